import fs from "node:fs";
import path from "node:path";

import { databasePath, databaseUrl, isPostgresUrl } from "~/server/db.server";
import type { UploadedFile } from "~/server/uploads.server";
import { UPLOAD_LIMITS } from "~/features/import/schema";

/** An uploaded file as the route read it from the request: the client's name and where it was written. */
export type { UploadedFile };

/**
 * Where uploaded files wait for their import: one fresh folder per upload beside the database,
 * under names of our own (the client's file name is kept for reports, never used as a path).
 * With PostgreSQL there is no database file to sit beside: UPLOAD_DIR, else `data/uploads`
 * (every app process of an installation must see the same folder).
 */
export function uploadDirectory(): string {
  if (process.env.UPLOAD_DIR) return path.resolve(process.env.UPLOAD_DIR);
  const url = databaseUrl();
  if (isPostgresUrl(url)) return path.resolve("data/uploads");
  return path.join(path.dirname(databasePath(url)), "uploads");
}


/** A file once saved in the upload folder. */
export interface StoredUpload {
  /** as uploaded, for the report */
  name: string;
  /** where it was saved (never shown to the client) */
  path: string;
}

/**
 * How the route reads an import upload (server/uploads.server.ts): each file streamed into a
 * fresh folder of the upload folder, within the limits, refused with these messages.
 */
export function importUploadOptions() {
  return {
    directory: uploadDirectory(),
    limits: UPLOAD_LIMITS,
    messages: { fileTooLarge: "importing.tooLarge", tooManyFiles: "importing.tooManyFiles", requestTooLarge: "importing.requestTooLarge" },
  };
}

/** Deletes staged uploads (the files, and their folder once empty); only ever inside the upload folder. */
export function removeUploads(files: { path: string }[]) {
  const root = uploadDirectory() + path.sep;
  for (const file of files) {
    const resolved = path.resolve(file.path);
    if (!resolved.startsWith(root)) continue;
    fs.rmSync(resolved, { force: true });
    const folder = path.dirname(resolved);
    if (folder.startsWith(root) && fs.existsSync(folder) && fs.readdirSync(folder).length === 0) fs.rmdirSync(folder);
  }
}

/** Upload folders older than `before` that no live import uses (uploads cut off before staging). */
export function removeStrayUploadFolders(used: Set<string>, before: number): number {
  const root = uploadDirectory();
  if (!fs.existsSync(root)) return 0;
  let removed = 0;
  for (const entry of fs.readdirSync(root, { withFileTypes: true })) {
    const folder = path.resolve(root, entry.name);
    if (!entry.isDirectory() || used.has(folder)) continue;
    if (fs.statSync(folder).mtimeMs > before) continue;
    fs.rmSync(folder, { recursive: true, force: true });
    removed += 1;
  }
  return removed;
}

export function uploadExists(file: { path: string }): boolean {
  return fs.existsSync(file.path);
}
