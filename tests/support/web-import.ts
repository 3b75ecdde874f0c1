import type { ImportMessage } from "~/features/import/issue-text";
import type { ImportIssue } from "~/features/import/report";
import { loader as runLoader } from "~/routes/_app.import.runs.$runId";
import { BASE, call, get, payloadOf } from "./app";

/** What the tests read of a file's preview on the import run page. */
export type RunPreview = {
  name: string;
  kind: string;
  mapping: string | null;
  missingColumns: string[];
  rows: unknown[];
  problem: "gone" | ImportMessage | null;
  format: string | null;
  encoding: string | null;
  sheet: string | null;
  sheets: string[];
  header: string[];
};

/** What the tests read of the import run page's data. */
export type ImportRun = {
  id: number;
  status: string;
  previews: RunPreview[];
  canStart: boolean;
  summary: { file: string; sheet?: string | null; counts: Record<string, { added: number; updated: number; unchanged: number }>; warnings: ImportIssue[] }[] | null;
  issues: { errorCount: number; errors: ImportIssue[]; failure?: ImportMessage } | null;
  report: string | null;
};

/** A multipart form post as the import page's forms send it: fields, then the files as `files`. */
export function multipart(pathname: string, fields: Record<string, string>, files: { name: string; content: string | Buffer }[], cookie: string): Request {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  for (const file of files) form.append("files", new File([typeof file.content === "string" ? file.content : new Uint8Array(file.content)], file.name));
  return new Request(`${BASE}${pathname}`, { method: "POST", body: form, headers: { Cookie: cookie } });
}

/** The import run page's run, as this user sees it. */
export async function loadRun(runId: number, cookie: string): Promise<ImportRun> {
  return payloadOf<{ run: ImportRun }>(await call(runLoader, get(`/import/runs/${runId}`, cookie), { runId: String(runId) })).run;
}

/** Polls the run page until the background import has ended (neither pending nor running). */
export async function waitForOutcome(runId: number, cookie: string): Promise<ImportRun> {
  for (let i = 0; i < 200; i++) {
    const run = await loadRun(runId, cookie);
    if (run.status !== "running" && run.status !== "pending") return run;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the import did not finish in 20 s");
}
