import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";

import { describe, expect, it } from "vitest";

import { databaseUrl, getDb } from "~/server/db.server";
import { renderMessage, type ImportMessage } from "~/features/import/issue-text";
import { formatIssue, type ImportIssue } from "~/features/import/report";
import { createI18n } from "~/i18n";
import { action as runAction } from "~/routes/_app.import.runs.$runId";
import { action as uploadAction, loader as importLoader } from "~/routes/_app.import._index";
import { expireStagedImports, importExpiryJob, STAGED_LIFETIME_MS } from "~/features/import/web-import.server";
import { uploadDirectory } from "~/features/import/uploads.server";
import { PNG_BYTES } from "../../../fixtures/import/helpers";
import { call, get, payloadOf, post, signedInAs, statusOf } from "../../../support/app";
import { loadRun, multipart, waitForOutcome } from "../../../support/web-import";
import { defined } from "../../../support/defined";

const fixture = (name: string) => fs.readFileSync(path.resolve("tests/fixtures/import/xlsx", name));

async function stage(files: { name: string; content: string | Buffer }[], cookie: string): Promise<number> {
  const response = await call(uploadAction, multipart("/import", {}, files, cookie));
  expect(statusOf(response)).toBe(302);
  return Number(/\/import\/runs\/(\d+)$/.exec((response as Response).headers.get("Location") ?? "")?.[1]);
}

async function act(runId: number, fields: Record<string, string>, cookie: string) {
  return call(runAction, post(`/import/runs/${runId}`, fields, cookie), { runId: String(runId) });
}

async function stagedPaths(runId: number): Promise<string[]> {
  const row = await getDb().selectFrom("import_runs").select("files").where("id", "=", runId).executeTakeFirstOrThrow();
  return (JSON.parse(row.files) as { path: string }[]).map((file) => file.path);
}

const en = createI18n("en").t;
const zh = createI18n("zh-CN").t;

describe("the import preview with a file that cannot be read", () => {
  it("does not offer the start, refuses it, and lets the user replace the file with a readable one", async () => {
    const { cookie } = await signedInAs("head");
    const runId = await stage([{ name: "invoices.xlsx", content: PNG_BYTES }], cookie);
    const staged = await loadRun(runId, cookie);
    expect(staged.canStart).toBe(false);
    const problem = staged.previews[0]?.problem as ImportMessage;
    expect(renderMessage(problem, en)).toBe('"invoices.xlsx" is not a CSV or XLSX file (looks like a PNG image)');
    expect(renderMessage(problem, zh)).toBe("“invoices.xlsx”不是 CSV 或 XLSX 文件（看起来是PNG 图片）");

    // a forged start changes nothing
    const start = await act(runId, { intent: "start", layout: "kind:invoices" }, cookie);
    expect(statusOf(start)).toBe(400);
    expect(payloadOf(start)).toMatchObject({ message: "importing.unreadableFiles" });
    expect((await loadRun(runId, cookie)).status).toBe("pending");

    const pngPath = defined((await stagedPaths(runId))[0], "the staged file");
    const replaced = await call(
      runAction,
      multipart(`/import/runs/${runId}`, { intent: "replace", index: "0" }, [{ name: "customers.csv", content: "code,name\nR1,Replaced Ltd\n" }], cookie),
      { runId: String(runId) },
    );
    expect(statusOf(replaced)).toBe(302);
    expect((replaced as Response).headers.get("Location")).toBe(`/import/runs/${runId}`);
    expect(fs.existsSync(pngPath)).toBe(false);
    const fixed = await loadRun(runId, cookie);
    expect(fixed.canStart).toBe(true);
    expect(fixed.previews.map((p) => [p.name, p.kind, p.problem, p.format, p.encoding])).toEqual([["customers.csv", "customers", null, "csv", "utf-8"]]);

    expect(statusOf(await act(runId, { intent: "start", layout: "kind:customers" }, cookie))).toBe(302);
    expect((await waitForOutcome(runId, cookie)).status).toBe("succeeded");
  });

  it("refuses forged changes: a file index that is not there, a run already started, a hidden or unknown sheet", async () => {
    const { cookie } = await signedInAs("head");
    const runId = await stage([{ name: "hidden.xlsx", content: fixture("openpyxl-hidden-first.xlsx") }], cookie);
    const before = await getDb().selectFrom("import_runs").select(["status", "files"]).where("id", "=", runId).executeTakeFirstOrThrow();

    const forged: Record<string, string>[] = [
      { intent: "drop", index: "5" },
      { intent: "drop", index: "-1" },
      { intent: "choose-sheet", index: "0", sheet: "旧数据" },
      { intent: "choose-sheet", index: "0", sheet: "Nope" },
      { intent: "choose-sheet", index: "3", sheet: "Payments" },
      { intent: "bogus" },
    ];
    for (const fields of forged) {
      expect(statusOf(await act(runId, fields, cookie)), JSON.stringify(fields)).toBe(400);
    }
    const replace = await call(
      runAction,
      multipart(`/import/runs/${runId}`, { intent: "replace", index: "2" }, [{ name: "x.csv", content: "code,name\nX,Y\n" }], cookie),
      { runId: String(runId) },
    );
    expect(statusOf(replace)).toBe(400);
    expect(await getDb().selectFrom("import_runs").select(["status", "files"]).where("id", "=", runId).executeTakeFirstOrThrow()).toEqual(before);
    // the refused upload was not left behind: only the staged file's folder remains
    const folders = fs.readdirSync(uploadDirectory()).filter((f) => fs.readdirSync(path.join(uploadDirectory(), f)).length > 0);
    expect(folders).toContain(path.basename(path.dirname(defined((await stagedPaths(runId))[0], "the staged file"))));

    // staff may not change a preview
    const staff = await signedInAs("staff");
    expect(statusOf(await act(runId, { intent: "cancel" }, staff.cookie))).toBe(403);
    expect((await loadRun(runId, cookie)).status).toBe("pending");
  });

  it("removes a file from the import; removing the last one cancels the import and deletes its files", async () => {
    const { cookie } = await signedInAs("head");
    const runId = await stage(
      [
        { name: "logo.xlsx", content: PNG_BYTES },
        { name: "customers.csv", content: "code,name\nD1,Dropped\n" },
      ],
      cookie,
    );
    const [logo, customers] = (await stagedPaths(runId)).map((file) => defined(file));
    if (!logo || !customers) throw new Error("expected two staged files");
    expect(statusOf(await act(runId, { intent: "drop", index: "0" }, cookie))).toBe(302);
    expect(fs.existsSync(logo)).toBe(false);
    const left = await loadRun(runId, cookie);
    expect(left.previews.map((p) => p.name)).toEqual(["customers.csv"]);
    expect(left.canStart).toBe(true);

    const last = await act(runId, { intent: "drop", index: "0" }, cookie);
    expect((last as Response).headers.get("Location")).toBe("/import");
    expect(fs.existsSync(customers)).toBe(false);
    expect(fs.existsSync(path.dirname(customers))).toBe(false);
    expect((await loadRun(runId, cookie)).status).toBe("cancelled");
    // and it cannot be started any more
    expect(payloadOf(await act(runId, { intent: "start", layout: "kind:customers" }, cookie))).toMatchObject({ message: "importing.notPending" });
  });
});

describe("workbooks on the preview", () => {
  it("reads the sheet with a ledger layout, says which, and reads another sheet on request", async () => {
    const { cookie } = await signedInAs("head");
    const runId = await stage([{ name: "pandas-invoices.xlsx", content: fixture("pandas-invoices.xlsx") }], cookie);
    const staged = await loadRun(runId, cookie);
    expect(staged.previews[0]).toMatchObject({ kind: "invoices", format: "xlsx", encoding: null, sheet: "应收发票", sheets: ["说明", "应收发票"] });

    expect(statusOf(await act(runId, { intent: "choose-sheet", index: "0", sheet: "说明" }, cookie))).toBe(302);
    expect((await loadRun(runId, cookie)).previews[0]).toMatchObject({ sheet: "说明", header: ["说明"] });
    expect(statusOf(await act(runId, { intent: "choose-sheet", index: "0", sheet: "应收发票" }, cookie))).toBe(302);
    expect((await loadRun(runId, cookie)).previews[0]).toMatchObject({ sheet: "应收发票", kind: "invoices" });
    await act(runId, { intent: "cancel" }, cookie);
  });

  it("imports a non-Sheet1 workbook from openpyxl and keeps the sheet and its warning in the summary", async () => {
    const { cookie } = await signedInAs("head");
    const customersRun = await stage([{ name: "customers.csv", content: "code,name\nC1,One\nC2,Two\n" }], cookie);
    await act(customersRun, { intent: "start", layout: "kind:customers" }, cookie);
    expect((await waitForOutcome(customersRun, cookie)).status).toBe("succeeded");

    const runId = await stage([{ name: "收款.xlsx", content: fixture("openpyxl-receipts.xlsx") }], cookie);
    expect((await loadRun(runId, cookie)).previews[0]).toMatchObject({ kind: "payments", sheet: "收款" });
    await act(runId, { intent: "start", layout: "kind:payments" }, cookie);
    const done = await waitForOutcome(runId, cookie);
    expect(done.status).toBe("succeeded");
    expect(done.summary?.[0]).toMatchObject({ file: "收款.xlsx", sheet: "收款" });
    const warning = done.summary?.[0]?.warnings[0] as ImportIssue;
    expect(formatIssue(warning, en)).toBe('收款.xlsx:1: ignored column "备注"');
    expect(formatIssue(warning, zh)).toBe('收款.xlsx:1: 已忽略列 "备注"');
  });
});

describe("a failed import's report is data, shown in the reader's language", () => {
  it("stores each row error as a message key with its values, and the English report beside it", async () => {
    const { cookie } = await signedInAs("head");
    const runId = await stage([{ name: "payments.csv", content: "payment_no,customer_code,date,amount\nX1,NOPE,2026-01-01,10\nX2,NOPE,2026-02-30,12.345\n" }], cookie);
    await act(runId, { intent: "start", layout: "kind:payments" }, cookie);
    const done = await waitForOutcome(runId, cookie);
    expect(done.status).toBe("failed");
    expect(done.issues?.errorCount).toBe(4);
    expect(done.issues?.errors[0]?.message).toEqual({ key: "unknownCustomer", params: { code: "NOPE" } });
    expect(done.issues?.errors.map((issue) => formatIssue(issue, zh))).toEqual([
      "payments.csv:2: customer_code: 未知客户 NOPE（台账中没有，本次导入的客户文件中也没有）",
      "payments.csv:3: customer_code: 未知客户 NOPE（台账中没有，本次导入的客户文件中也没有）",
      "payments.csv:3: date: “2026-02-30”不是真实存在的日期",
      "payments.csv:3: amount: “12.345”的小数超过 2 位",
    ]);
    expect(done.report?.split("\n")[0]).toBe("payments.csv:2: customer_code: unknown customer NOPE (not in the ledger and not in the customers file of this import)");
  });

  it("shows a run recorded before reports were data as it was written", async () => {
    const { cookie } = await signedInAs("head");
    const inserted = await getDb()
      .insertInto("import_runs")
      .values({
        user_id: null,
        source: "cli",
        status: "succeeded",
        files: JSON.stringify([{ name: "c.csv", kind: "customers", mapping: null }]),
        summary: JSON.stringify([{ file: "c.csv", kind: "customers", format: "csv", encoding: "utf-8", rows: 1, counts: {}, warnings: ['ignored column "备注"'] }]),
        report: null,
        started_at: "2026-01-01T00:00:00.000Z",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const run = await loadRun(inserted.id, cookie);
    expect(run.summary?.[0]?.warnings.map((warning) => formatIssue(warning, zh))).toEqual(['c.csv: ignored column "备注"']);
  });
});

describe("expiring previews nobody started", () => {
  it("marks a day-old preview expired and deletes its files; a younger one and page views change nothing", async () => {
    const { cookie } = await signedInAs("head");
    const now = new Date("2026-12-07T08:00:00.000Z");
    const old = await stage([{ name: "old.csv", content: "code,name\nO1,Old\n" }], cookie);
    const young = await stage([{ name: "young.csv", content: "code,name\nY1,Young\n" }], cookie);
    const setStaged = (id: number, at: Date) => getDb().updateTable("import_runs").set({ started_at: at.toISOString() }).where("id", "=", id).execute();
    await setStaged(old, new Date(now.getTime() - STAGED_LIFETIME_MS - 60_000));
    await setStaged(young, new Date(now.getTime() - 60 * 60 * 1000));
    const oldFile = defined((await stagedPaths(old))[0], "the old staged file");
    const youngFile = defined((await stagedPaths(young))[0], "the young staged file");
    // a stray upload folder (an upload cut off before it was staged), two days old
    const stray = path.join(uploadDirectory(), "stray-upload");
    fs.mkdirSync(stray, { recursive: true });
    fs.writeFileSync(path.join(stray, "upload-0"), "x");
    const twoDaysAgo = new Date(now.getTime() - 2 * STAGED_LIFETIME_MS);
    fs.utimesSync(stray, twoDaysAgo, twoDaysAgo);

    // viewing the list and the preview writes nothing
    await call(importLoader, get("/import", cookie));
    await loadRun(old, cookie);
    expect((await loadRun(old, cookie)).status).toBe("pending");

    const result = await expireStagedImports(getDb(), now);
    expect(result.expired).toBeGreaterThanOrEqual(1);
    expect(result.foldersRemoved).toBeGreaterThanOrEqual(1);
    expect((await loadRun(old, cookie)).status).toBe("expired");
    expect(fs.existsSync(oldFile)).toBe(false);
    expect(fs.existsSync(stray)).toBe(false);
    expect((await loadRun(young, cookie)).status).toBe("pending");
    expect(fs.existsSync(youngFile)).toBe(true);

    const list = payloadOf<{ runs: { id: number; status: string }[] }>(await call(importLoader, get("/import", cookie)));
    expect(list.runs.find((run) => run.id === old)?.status).toBe("expired");
    expect(payloadOf(await act(old, { intent: "start", layout: "kind:customers" }, cookie))).toMatchObject({ message: "importing.notPending" });
    // running it again finds nothing more to do
    expect(await expireStagedImports(getDb(), now)).toEqual({ expired: 0, foldersRemoved: 0 });
  });

  it("the server's hourly job (also run at start) expires unstarted previews and deletes their files and folders", async () => {
    const { cookie } = await signedInAs("head");
    const now = new Date("2026-12-08T08:00:00.000Z");
    const runs = [
      await stage([{ name: "a.csv", content: "code,name\nA1,A\n" }, { name: "b.csv", content: "code,name\nB1,B\n" }], cookie),
      await stage([{ name: "c.csv", content: "code,name\nC1,C\n" }], cookie),
    ];
    const files: string[] = [];
    for (const runId of runs) {
      await getDb().updateTable("import_runs").set({ started_at: new Date(now.getTime() - STAGED_LIFETIME_MS - 1000).toISOString() }).where("id", "=", runId).execute();
      files.push(...(await stagedPaths(runId)));
    }
    expect(files.every((file) => fs.existsSync(file))).toBe(true);

    const job = importExpiryJob(getDb(), () => now);
    expect(job).toMatchObject({ everyMs: 60 * 60 * 1000, atStart: true });
    expect(await job.run()).toMatch(/^Expired \d+ import preview\(s\); removed \d+ stray upload folder\(s\)\.$/);
    for (const runId of runs) expect((await loadRun(runId, cookie)).status).toBe("expired");
    expect(files.filter((file) => fs.existsSync(file) || fs.existsSync(path.dirname(file)))).toEqual([]);
    expect(await job.run()).toBeNull();
  });

  it("npm run import:expire does the same from the shell", async () => {
    const { cookie } = await signedInAs("head");
    const runId = await stage([{ name: "forgotten.csv", content: "code,name\nF1,Forgotten\n" }], cookie);
    // staged long ago, whatever today is
    await getDb().updateTable("import_runs").set({ started_at: "2000-01-01T00:00:00.000Z" }).where("id", "=", runId).execute();
    const file = defined((await stagedPaths(runId))[0], "the staged file");
    const { stdout } = await promisify(execFile)("node_modules/.bin/tsx", ["db/cli/import-expire.ts"], {
      env: { ...process.env, DATABASE_URL: databaseUrl() },
    });
    expect(stdout).toMatch(/^Expired \d+ import previews?; removed \d+ stray upload folders?\.$/m);
    expect((await loadRun(runId, cookie)).status).toBe("expired");
    expect(fs.existsSync(file)).toBe(false);
  });
});
