import fs from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { getDb } from "~/server/db.server";
import { action as runAction, loader as runLoader } from "~/routes/_app.import.runs.$runId";
import { action as uploadAction, loader as importLoader } from "~/routes/_app.import._index";
import { BASE, call, get, payloadOf, post, signedInAs, statusOf } from "../../../support/app";
import { loadRun, multipart, waitForOutcome } from "../../../support/web-import";

function upload(files: { name: string; content: string | Buffer }[], cookie: string): Request {
  return multipart("/import", {}, files, cookie);
}

function runIdFrom(response: unknown): number {
  expect(response).toBeInstanceOf(Response);
  const location = (response as Response).headers.get("Location") ?? "";
  const match = /^\/import\/runs\/(\d+)$/.exec(location);
  expect(match).not.toBeNull();
  return Number(match?.[1]);
}

const ibm = fs.readFileSync(path.resolve("tests/fixtures/import/ibm-accounts-receivable.csv"));

describe("web import", () => {
  it("uploads, recognises each file's layout, previews, imports in a child process and summarises", async () => {
    const { cookie } = await signedInAs("head");
    const response = await call(
      uploadAction,
      upload(
        [
          { name: "ibm-accounts-receivable.csv", content: ibm },
          { name: "customers.csv", content: "code,name,region\nW1,Web Customer,华东\n" },
        ],
        cookie,
      ),
    );
    const runId = runIdFrom(response);
    const staged = await loadRun(runId, cookie);
    expect(staged.status).toBe("pending");
    expect(staged.previews.map((p) => [p.name, p.kind, p.mapping])).toEqual([
      ["ibm-accounts-receivable.csv", "invoices", "IBM accounts receivable export"],
      ["customers.csv", "customers", null],
    ]);
    expect(staged.previews[0]?.rows).toHaveLength(10);

    const start = await call(
      runAction,
      post(`/import/runs/${runId}`, { intent: "start" }, cookie),
      { runId: String(runId) },
    );
    // two layouts are posted as repeated fields; a plain object cannot carry them, so post again properly
    expect(statusOf(start)).toBe(400);
    const form = new URLSearchParams([
      ["intent", "start"],
      ["layout", "mapping:IBM accounts receivable export"],
      ["layout", "kind:customers"],
    ]);
    const started = await call(
      runAction,
      new Request(`${BASE}/import/runs/${runId}`, {
        method: "POST",
        body: form,
        headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
      }),
      { runId: String(runId) },
    );
    expect(statusOf(started)).toBe(302);

    const done = await waitForOutcome(runId, cookie);
    expect(done.status).toBe("succeeded");
    expect(done.summary?.map((f) => [f.file, f.counts])).toEqual([
      ["customers.csv", { customers: { added: 1, updated: 0, unchanged: 0 } }],
      [
        "ibm-accounts-receivable.csv",
        {
          customers: { added: 100, updated: 0, unchanged: 0 },
          invoices: { added: 2466, updated: 0, unchanged: 0 },
          payments: { added: 2466, updated: 0, unchanged: 0 },
        },
      ],
    ]);
    const counted = await getDb().selectFrom("invoices").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow();
    expect(Number(counted.n)).toBe(2466);
    // the list of imports names the files as they were uploaded
    const runs = payloadOf<{ runs: { id: number; files: string[] }[] }>(await call(importLoader, get("/import", cookie)));
    expect(runs.runs[0]?.files).toEqual(["ibm-accounts-receivable.csv", "customers.csv"]);

    // starting the same run again is refused
    const again = await call(
      runAction,
      new Request(`${BASE}/import/runs/${runId}`, { method: "POST", body: form, headers: { Cookie: cookie } }),
      { runId: String(runId) },
    );
    expect(statusOf(again)).toBe(400);
    expect(payloadOf(again)).toMatchObject({ message: "importing.notPending" });
  });

  it("shows the row report of a bad file and imports nothing", async () => {
    const { cookie } = await signedInAs("head");
    const before = await getDb().selectFrom("invoices").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow();
    const runId = runIdFrom(
      await call(
        uploadAction,
        upload([{ name: "bad-invoices.csv", content: "invoice_no,customer_code,issue_date,amount\nB1,W1,2026-02-30,10\n" }], cookie),
      ),
    );
    await call(runAction, post(`/import/runs/${runId}`, { intent: "start", layout: "kind:invoices" }, cookie), {
      runId: String(runId),
    });
    const done = await waitForOutcome(runId, cookie);
    expect(done.status).toBe("failed");
    expect(done.report).toBe('bad-invoices.csv:2: issue_date: "2026-02-30" is not a real date');
    const after = await getDb().selectFrom("invoices").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it("maps an unknown layout once, saves the mapping by name and imports through it", async () => {
    const { cookie } = await signedInAs("head");
    const content = "Kunde,Rechnung,Datum,Betrag\nW1,R-1,23.11.2026,99.5\n".replace("23.11.2026", "11/23/2026");
    const runId = runIdFrom(await call(uploadAction, upload([{ name: "erp.csv", content }], cookie)));
    const staged = await loadRun(runId, cookie);
    expect(staged.previews[0]?.missingColumns.length).toBeGreaterThan(0);

    const incomplete = await call(
      runAction,
      post(`/import/runs/${runId}`, { intent: "save-mapping", index: "0", name: "ERP", target: "invoices", dateFormat: "M/D/YYYY", col_invoice_no: "Rechnung" }, cookie),
      { runId: String(runId) },
    );
    expect(statusOf(incomplete)).toBe(400);
    expect(payloadOf<{ fieldErrors: Record<string, string[]> }>(incomplete).fieldErrors).toHaveProperty("col_amount");

    const saved = await call(
      runAction,
      post(
        `/import/runs/${runId}`,
        {
          intent: "save-mapping",
          index: "0",
          name: "ERP",
          target: "invoices",
          dateFormat: "M/D/YYYY",
          col_invoice_no: "Rechnung",
          col_customer_code: "Kunde",
          col_issue_date: "Datum",
          col_amount: "Betrag",
        },
        cookie,
      ),
      { runId: String(runId) },
    );
    expect(payloadOf(saved)).toMatchObject({ ok: true, message: "importing.mappingSaved" });
    expect((await loadRun(runId, cookie)).previews[0]?.mapping).toBe("ERP");

    await call(runAction, post(`/import/runs/${runId}`, { intent: "start", layout: "mapping:ERP" }, cookie), { runId: String(runId) });
    const done = await waitForOutcome(runId, cookie);
    expect(done.status).toBe("succeeded");
    const invoice = await getDb().selectFrom("invoices").select(["issue_date", "amount"]).where("invoice_no", "=", "R-1").executeTakeFirst();
    expect(invoice).toEqual({ issue_date: "2026-11-23", amount: 9950 });
  });

  it.each(["staff", "leader", "admin"] as const)("refuses a %s user: 403 and nothing staged", async (role) => {
    const { cookie } = await signedInAs(role);
    const runsBefore = await getDb().selectFrom("import_runs").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow();
    expect(statusOf(await call(importLoader, get("/import", cookie)))).toBe(403);
    expect(statusOf(await call(uploadAction, upload([{ name: "c.csv", content: "code,name\nX,Y\n" }], cookie)))).toBe(403);
    expect(statusOf(await call(runLoader, get("/import/runs/1", cookie), { runId: "1" }))).toBe(403);
    const runsAfter = await getDb().selectFrom("import_runs").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow();
    expect(Number(runsAfter.n)).toBe(Number(runsBefore.n));
  });

  it("refuses an upload without files, and an unknown run is a 404", async () => {
    const { cookie } = await signedInAs("head");
    const empty = await call(uploadAction, upload([], cookie));
    expect(statusOf(empty)).toBe(400);
    expect(payloadOf(empty)).toMatchObject({ fieldErrors: { files: ["importing.noFiles"] } });
    expect(statusOf(await call(runLoader, get("/import/runs/99999", cookie), { runId: "99999" }))).toBe(404);
  });
});
