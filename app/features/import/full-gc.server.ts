import v8 from "node:v8";
import vm from "node:vm";

/**
 * V8's full garbage collection, for the bulk import's few points where it knows that much of
 * what it allocated is garbage (after a file, every ~100k documents re-settled): V8 would let
 * that garbage reach ~100 MB before collecting it itself. Enabled through the flag Node documents
 * for it (v8.setFlagsFromString, then `gc` in a new context); null if refused.
 */
export function fullGarbageCollection(): (() => void) | null {
  try {
    v8.setFlagsFromString("--expose-gc");
    // A fresh context's global `gc` is untyped; it is checked to be a function just below.
    const gc = vm.runInNewContext("gc") as unknown;
    // V8's gc() takes no argument that matters here and returns nothing.
    return typeof gc === "function" ? (gc as () => void) : null;
  } catch {
    return null;
  }
}
