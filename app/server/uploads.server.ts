import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

import { unstable_parseMultipartFormData as parseMultipartFormData } from "@remix-run/node";

import { AppError } from "~/kernel/app-error";

/** A file of a multipart post once written to disk: the client's name, where it is, its size. */
export interface UploadedFile {
  name: string;
  path: string;
  size: number;
}

/** What one multipart post may carry; refused (413) as soon as a limit is passed. */
export interface UploadLimits {
  /** bytes of one file */
  fileBytes: number;
  /** files in one post */
  files: number;
  /** bytes of the whole post (files, fields and multipart framing) */
  totalBytes: number;
}

/** The i18n keys of the refusals, shown at the files field. */
export interface UploadMessages {
  fileTooLarge: string;
  tooManyFiles: string;
  requestTooLarge: string;
}

/** A text field beside the files is a few words (an intent, an index): never more than this. */
const FIELD_BYTES = 64 * 1024;

const unreadable = () =>
  new Response("The form could not be read. Go back to the page and send it again.", {
    status: 400,
    headers: { "Content-Type": "text/plain; charset=utf-8" },
  });

function tooLarge(key: string, limits: UploadLimits): AppError {
  return new AppError("too_large", key, {
    fieldErrors: { files: [key] },
    params: { mb: limits.fileBytes / 1024 / 1024, files: limits.files, totalMb: limits.totalBytes / 1024 / 1024 },
  });
}

/**
 * Reads a multipart post, streaming each uploaded file (the `files` field) to its own file in a
 * fresh folder under `directory`: no file is ever held in memory whole. A post whose declared
 * Content-Length is over the total is refused before it is read; the declared length is not
 * trusted, the bytes are counted as they come and reading stops at the first limit passed, the
 * folder is deleted and the answer is a 413 at the files field. A body that is not multipart at
 * all is an unreadable form (400): never a 500 for what a client sent. An empty file part (no
 * file chosen) is skipped. The caller owns the files once this returns.
 */
export async function readUploads(
  request: Request,
  { directory, limits, messages }: { directory: string; limits: UploadLimits; messages: UploadMessages },
): Promise<{ formData: FormData; files: UploadedFile[] }> {
  const declared = Number(request.headers.get("Content-Length") ?? "");
  if (Number.isFinite(declared) && declared > limits.totalBytes) throw tooLarge(messages.requestTooLarge, limits);

  const folder = path.join(directory, crypto.randomBytes(12).toString("hex"));
  const files: UploadedFile[] = [];
  let total = 0;
  const count = (bytes: number) => {
    total += bytes;
    if (total > limits.totalBytes) throw tooLarge(messages.requestTooLarge, limits);
  };

  const handler = async ({ name, filename, data }: { name: string; filename?: string; data: AsyncIterable<Uint8Array> }) => {
    if (filename === undefined) {
      const chunks: Uint8Array[] = [];
      let size = 0;
      for await (const chunk of data) {
        count(chunk.byteLength);
        size += chunk.byteLength;
        if (size > FIELD_BYTES) throw unreadable();
        chunks.push(chunk);
      }
      return Buffer.concat(chunks).toString("utf8");
    }
    if (name !== "files" || filename === "") {
      // a part we do not keep (or no file chosen) still counts towards the total
      for await (const chunk of data) count(chunk.byteLength);
      return undefined;
    }
    if (files.length >= limits.files) throw tooLarge(messages.tooManyFiles, limits);
    fs.mkdirSync(folder, { recursive: true });
    const stored = path.join(folder, `upload-${files.length}`);
    const file: UploadedFile = { name: path.basename(filename.replace(/\\/g, "/")) || `upload-${files.length}`, path: stored, size: 0 };
    files.push(file);
    const handle = await fs.promises.open(stored, "w");
    try {
      for await (const chunk of data) {
        count(chunk.byteLength);
        file.size += chunk.byteLength;
        if (file.size > limits.fileBytes) throw tooLarge(messages.fileTooLarge, limits);
        await handle.write(chunk);
      }
    } finally {
      await handle.close();
    }
    return undefined;
  };

  try {
    const formData = await parseMultipartFormData(request, handler);
    return { formData, files };
  } catch (error) {
    fs.rmSync(folder, { recursive: true, force: true });
    if (error instanceof AppError || error instanceof Response) throw error;
    throw unreadable();
  }
}
