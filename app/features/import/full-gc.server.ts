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

/**
 * Runs `work` with V8's allocation-site pretenuring off. When a young collection finds most of
 * the objects some line of code allocated still alive (a batch of CSV rows being validated, a
 * customer's documents being swept), V8 decides that line's objects are long-lived and from then
 * on allocates them straight in the old generation, where only a full collection frees them: a
 * bulk import's rows, items and records then piled up as 80-100 MB of garbage between full
 * collections (uneven 500k: the read phase's peak memory). Its rows never live long; young
 * collections free them. `work` is called at once (nothing awaited before it).
 */
export async function withoutPretenuring<T>(work: () => Promise<T>): Promise<T> {
  v8.setFlagsFromString("--no-allocation-site-pretenuring");
  try {
    return await work();
  } finally {
    v8.setFlagsFromString("--allocation-site-pretenuring");
  }
}
