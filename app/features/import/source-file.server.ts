import { createReadStream } from "node:fs";
import { open, stat } from "node:fs/promises";

import { CHUNK, type ImportSource } from "~/features/import/source";

/** A file on disk; `name` defaults to the path's last segment. */
export async function sourceFromFile(path: string, name = path.split(/[\\/]/).pop() ?? path): Promise<ImportSource> {
  const { size } = await stat(path);
  return {
    name,
    size,
    path,
    readRange: async (position, length) => {
      const handle = await open(path, "r");
      try {
        const buffer = Buffer.alloc(Math.max(0, Math.min(length, size - position)));
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
        return buffer.subarray(0, bytesRead);
      } finally {
        await handle.close();
      }
    },
    stream: (chunkBytes = CHUNK) => createReadStream(path, { highWaterMark: chunkBytes }),
  };
}
