import type { PassThrough } from "node:stream";

/** Resolves when `out` can take more, or has been closed (the download was cancelled). */
export function drained(out: PassThrough): Promise<void> {
  if (out.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      out.off("drain", done);
      out.off("close", done);
      resolve();
    };
    out.once("drain", done);
    out.once("close", done);
  });
}
