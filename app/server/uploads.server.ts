import {
  MaxPartSizeExceededError,
  unstable_createMemoryUploadHandler as createMemoryUploadHandler,
  unstable_parseMultipartFormData as parseMultipartFormData,
} from "@remix-run/node";

import { AppError } from "~/kernel/app-error";

/** A file of a multipart post, as use cases take it: the client's name and the bytes. */
export interface UploadedFile {
  name: string;
  bytes: Uint8Array;
}

/**
 * Reads a multipart post: its uploaded files (the `files` field) as names and bytes, its other
 * fields as a FormData. A part over `maxBytes` is refused at the files field (400, the message
 * an i18n key), a body that is not multipart at all as an unreadable form: never a 500 for what
 * a client sent.
 */
export async function readUploads(
  request: Request,
  { maxBytes, tooLarge }: { maxBytes: number; tooLarge: string },
): Promise<{ formData: FormData; files: UploadedFile[] }> {
  let formData: FormData;
  try {
    formData = await parseMultipartFormData(request, createMemoryUploadHandler({ maxPartSize: maxBytes }));
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) throw AppError.field("files", tooLarge);
    throw new Response("The form could not be read. Go back to the page and send it again.", {
      status: 400,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  const files: UploadedFile[] = [];
  for (const value of formData.getAll("files")) {
    if (typeof value === "string") continue;
    files.push({ name: value.name, bytes: new Uint8Array(await value.arrayBuffer()) });
  }
  return { formData, files };
}
