import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { AppError } from "~/kernel/app-error";
import { getDb, openLedgerConnection } from "~/server/db.server";
import { statusPositionsJob } from "~/features/status-table/index.server";
import { action as listAction } from "~/routes/_app.credit.confirmations._index";
import type { Refusal } from "~/server/responses.server";
import { call, headersOf, makeUser, payloadOf, post, signIn, statusOf } from "../../../support/app";
import { importLedgerFixture } from "../../../support/ledger";

/**
 * While an import holds the ledger's write lock, what must bring the status table's positions up to
 * date first refuses with AppError busy: a 503 in the one refusal shape with Retry-After, nothing
 * written; the background job waits for its next look.
 */

const TODAY = "2025-09-30";
let previousToday: string | undefined;
let headCookie = "";

beforeAll(async () => {
  previousToday = process.env.QUARTERDECK_TODAY;
  process.env.QUARTERDECK_TODAY = TODAY;
  const head = await makeUser("head");
  await importLedgerFixture();
  headCookie = await signIn(head.email);
});

afterAll(() => {
  if (previousToday === undefined) delete process.env.QUARTERDECK_TODAY;
  else process.env.QUARTERDECK_TODAY = previousToday;
});

/** Marks a customer's positions stale and holds the write lock as an import does, for the span of `run`. */
async function whileImporting<T>(run: () => Promise<T>): Promise<T> {
  const importer = openLedgerConnection();
  importer.exec("INSERT INTO status_stale_customers (customer_id) SELECT id FROM customers ORDER BY id LIMIT 1 ON CONFLICT DO NOTHING");
  importer.exec("BEGIN IMMEDIATE");
  try {
    return await run();
  } finally {
    importer.exec("ROLLBACK");
    importer.close();
  }
}

/** Tables kept outside the Kysely schema (raw SQL, written by the status table itself). */
function rawRows(query: string): unknown[] {
  const reader = openLedgerConnection();
  try {
    return reader.prepare(query).all();
  } finally {
    reader.close();
  }
}

async function snapshot() {
  const db = getDb();
  return {
    batches: await db.selectFrom("confirmation_batches").selectAll().orderBy("id").execute(),
    rows: await db.selectFrom("balance_confirmations").selectAll().orderBy("id").execute(),
    positions: rawRows("SELECT * FROM status_positions ORDER BY customer_id"),
    stale: rawRows("SELECT * FROM status_stale_customers ORDER BY customer_id"),
    audits: (await db.selectFrom("audit_log").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n,
  };
}

describe("a busy ledger", () => {
  it("refuses a new confirmation batch with 503 busy in the refusal shape, Retry-After, and writes nothing", async () => {
    const fields = { intent: "create-batch", name: "During an import", periodEnd: "2025-06-30" };
    const { result, before } = await whileImporting(async () => {
      const before = await snapshot();
      return { before, result: await call(listAction, post("/credit/confirmations", fields, headCookie)) };
    });
    expect(result).not.toBeInstanceOf(Response);
    expect(statusOf(result)).toBe(503);
    expect(headersOf(result).get("Retry-After")).toBe("30");
    expect(payloadOf<Refusal>(result)).toEqual({
      ok: false,
      code: "busy",
      intent: "create-batch",
      message: "confirmations.validation.ledgerBusy",
      params: { seconds: 30 },
      fieldErrors: { form: ["confirmations.validation.ledgerBusy"] },
      submitted: fields,
      current: null,
      subjectId: null,
    });
    expect(await snapshot()).toEqual(before);

    // once the import has let go, the same post creates the batch
    const created = await call(listAction, post("/credit/confirmations", fields, headCookie));
    expect(statusOf(created)).toBe(302);
  });

  it("makes the status job wait for its next look instead of failing", async () => {
    const job = statusPositionsJob(getDb(), () => TODAY);
    const outcome = await whileImporting(async () => {
      const before = await snapshot();
      const said = await job.run();
      return { said, before, after: await snapshot() };
    });
    expect(outcome.said).toBeNull();
    expect(outcome.after).toEqual(outcome.before);
    expect(outcome.before.stale.length).toBeGreaterThan(0);
    // with the lock free the job catches up
    expect(await job.run()).toMatch(/Brought the status table's positions of 1 customer/);
    expect(rawRows("SELECT * FROM status_stale_customers")).toEqual([]);
  });

  it("is an AppError busy a loader turns into a 503 page with Retry-After", async () => {
    const { ledgerBusy } = await import("~/features/status-table/index.server");
    const { errorPage } = await import("~/server/responses.server");
    const refusal = ledgerBusy();
    expect(refusal).toBeInstanceOf(AppError);
    const page = errorPage(refusal);
    expect(page.status).toBe(503);
    expect(page.headers.get("Retry-After")).toBe("30");
    expect(await page.text()).toBe("errors.ledgerBusy");
  });
});
