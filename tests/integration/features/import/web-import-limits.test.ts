import fs from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { getDb } from "~/server/db.server";
import { readUploads } from "~/server/uploads.server";
import { AppError } from "~/kernel/app-error";
import { uploadDirectory } from "~/features/import/uploads.server";
import { UPLOAD_LIMITS } from "~/features/import/schema";
import { action as runAction } from "~/routes/_app.import.runs.$runId";
import { action as uploadAction } from "~/routes/_app.import._index";
import { BASE, call, payloadOf, signedInAs, statusOf } from "../../../support/app";

const BOUNDARY = "----quarterdeck-test-boundary";
const encoder = new TextEncoder();

/** A multipart body produced lazily; `pulled` counts the bytes the reader asked for. */
function streamedPost(pathname: string, parts: () => Generator<Uint8Array>, cookie: string, headers: Record<string, string> = {}) {
  const counter = { pulled: 0 };
  const iterator = parts();
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = iterator.next();
      if (next.done) return controller.close();
      counter.pulled += next.value.byteLength;
      controller.enqueue(next.value);
    },
  }, { highWaterMark: 0 });
  const request = new Request(`${BASE}${pathname}`, {
    method: "POST",
    body,
    headers: { "Content-Type": `multipart/form-data; boundary=${BOUNDARY}`, Cookie: cookie, ...headers },
    duplex: "half",
  } as RequestInit);
  return { request, counter };
}

function* filePart(name: string, chunks: number, chunk = new Uint8Array(64 * 1024).fill(65)): Generator<Uint8Array> {
  yield encoder.encode(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="${name}"\r\nContent-Type: text/csv\r\n\r\n`);
  for (let i = 0; i < chunks; i++) yield chunk;
  yield encoder.encode("\r\n");
}

function* end(): Generator<Uint8Array> {
  yield encoder.encode(`--${BOUNDARY}--\r\n`);
}

function uploadFolders(): string[] {
  return fs.existsSync(uploadDirectory()) ? fs.readdirSync(uploadDirectory()) : [];
}

async function runCount(): Promise<number> {
  const row = await getDb().selectFrom("import_runs").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow();
  return Number(row.n);
}

function fieldError(result: unknown): string | undefined {
  return payloadOf<{ fieldErrors?: Record<string, string[]> }>(result).fieldErrors?.files?.[0];
}

describe("the web upload's limits", () => {
  it("refuses a post whose declared length is over the total before reading it", async () => {
    const { cookie } = await signedInAs("head");
    const folders = uploadFolders();
    const runs = await runCount();
    const { request, counter } = streamedPost("/import", () => filePart("big.csv", 1), cookie, {
      "Content-Length": String(UPLOAD_LIMITS.totalBytes + 1),
    });
    const response = await call(uploadAction, request);
    expect(statusOf(response)).toBe(413);
    expect(fieldError(response)).toBe("importing.requestTooLarge");
    expect(counter.pulled).toBe(0);
    expect(uploadFolders()).toEqual(folders);
    expect(await runCount()).toBe(runs);
  });

  it("refuses more files than allowed as they come, whatever the declared length, and keeps nothing", async () => {
    const { cookie } = await signedInAs("head");
    const folders = uploadFolders();
    const runs = await runCount();
    const { request } = streamedPost(
      "/import",
      function* () {
        for (let i = 0; i <= UPLOAD_LIMITS.files; i++) yield* filePart(`part-${i}.csv`, 1);
        yield* end();
      },
      cookie,
      { "Content-Length": "10" },
    );
    const response = await call(uploadAction, request);
    expect(statusOf(response)).toBe(413);
    expect(fieldError(response)).toBe("importing.tooManyFiles");
    expect(uploadFolders()).toEqual(folders);
    expect(await runCount()).toBe(runs);
  });

  it("stops reading a file at the per-file limit and a post at the total, and deletes what was written", async () => {
    const directory = fs.mkdtempSync(path.join(uploadDirectory(), "..", "limits-"));
    const limits = { fileBytes: 1024 * 1024, files: 8, totalBytes: 2.5 * 1024 * 1024 };
    const messages = { fileTooLarge: "file", tooManyFiles: "files", requestTooLarge: "total" };

    // a file part that never ends: only stopping at the limit lets this answer at all
    const endless = streamedPost("/import", () => filePart("endless.csv", Number.POSITIVE_INFINITY), "");
    const tooBig = await readUploads(endless.request, { directory, limits, messages }).catch((error: unknown) => error);
    expect(tooBig).toBeInstanceOf(AppError);
    expect((tooBig as AppError).status).toBe(413);
    expect((tooBig as AppError).fieldErrors).toEqual({ files: ["file"] });
    expect(endless.counter.pulled).toBeLessThan(limits.fileBytes + 256 * 1024);
    expect(fs.readdirSync(directory)).toEqual([]);

    // files each within their limit (16 × 64 KB = 1 MB) but over the total together
    const many = streamedPost("/import", function* () {
      for (let i = 0; i < 4; i++) yield* filePart(`part-${i}.csv`, 16);
      yield* end();
    }, "");
    const total = await readUploads(many.request, { directory, limits, messages }).catch((error: unknown) => error);
    expect((total as AppError).status).toBe(413);
    expect((total as AppError).fieldErrors).toEqual({ files: ["total"] });
    expect(many.counter.pulled).toBeLessThan(limits.totalBytes + 256 * 1024);
    expect(fs.readdirSync(directory)).toEqual([]);

    // within every limit: written to disk, not held in memory
    const fine = streamedPost("/import", function* () {
      for (let i = 0; i < 2; i++) yield* filePart(`part-${i}.csv`, 16);
      yield* end();
    }, "");
    const { files } = await readUploads(fine.request, { directory, limits, messages });
    expect(files.map((file) => [file.name, file.size, fs.statSync(file.path).size])).toEqual([
      ["part-0.csv", limits.fileBytes, limits.fileBytes],
      ["part-1.csv", limits.fileBytes, limits.fileBytes],
    ]);
    fs.rmSync(directory, { recursive: true, force: true });
  });

  it("deletes a replacement upload the preview refuses", async () => {
    const { cookie } = await signedInAs("head");
    const form = new FormData();
    form.append("files", new File(["customer_code,customer_name,region\nC1,One,North\n"], "customers.csv"));
    const staged = await call(uploadAction, new Request(`${BASE}/import`, { method: "POST", body: form, headers: { Cookie: cookie } }));
    expect(statusOf(staged)).toBe(302);
    const runId = /\/import\/runs\/(\d+)$/.exec((staged as Response).headers.get("Location") ?? "")?.[1] ?? "";
    const folders = uploadFolders();

    const replace = new FormData();
    replace.append("intent", "replace");
    replace.append("index", "7");
    replace.append("files", new File(["customer_code,customer_name,region\n"], "other.csv"));
    const response = await call(runAction, new Request(`${BASE}/import/runs/${runId}`, { method: "POST", body: replace, headers: { Cookie: cookie } }), { runId });
    expect(statusOf(response)).toBe(400);
    expect(uploadFolders()).toEqual(folders);
  });

  it("refuses a replacement of more files than allowed with the limits to show, keeping the staged file", async () => {
    const { cookie } = await signedInAs("head");
    const form = new FormData();
    form.append("files", new File(["customer_code,customer_name,region\nC1,One,North\n"], "customers.csv"));
    const staged = await call(uploadAction, new Request(`${BASE}/import`, { method: "POST", body: form, headers: { Cookie: cookie } }));
    const runId = /\/import\/runs\/(\d+)$/.exec((staged as Response).headers.get("Location") ?? "")?.[1] ?? "";
    const folders = uploadFolders();
    const { request } = streamedPost(
      `/import/runs/${runId}`,
      function* () {
        yield encoder.encode(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="intent"\r\n\r\nreplace\r\n--${BOUNDARY}\r\nContent-Disposition: form-data; name="index"\r\n\r\n0\r\n`);
        for (let i = 0; i <= UPLOAD_LIMITS.files; i++) yield* filePart(`part-${i}.csv`, 1);
        yield* end();
      },
      cookie,
    );
    const response = await call(runAction, request, { runId });
    expect(statusOf(response)).toBe(413);
    expect(payloadOf<{ message: string; params: Record<string, number> }>(response)).toMatchObject({
      message: "importing.tooManyFiles",
      params: { mb: 200, files: 8, totalMb: 400 },
    });
    expect(uploadFolders()).toEqual(folders);
  });
});
