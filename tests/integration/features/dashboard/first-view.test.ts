import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import { getDb } from "~/server/db.server";
import { loader } from "~/routes/_app._index";
import { computeProvision } from "~/features/provisions/index.server";
import { resolveProvisionRequest } from "~/features/provisions";
import { call, get, makeUser, payloadOf, signIn, statusOf } from "../../../support/app";
import { importProvisionLedger } from "../../../support/provision-ledger";
import { statementsDuring } from "../../../support/statements";

/**
 * The first dashboard view after an import, on a business date inside a month while some
 * customers have documents dated after it (post-dated payments): its provision cards are read
 * from what the import keeps (the open runs covering the date), never by settling those
 * customers' documents again, which on a large ledger took the first view many seconds.
 */

type Unwrap<T> = T extends { data: infer D; init: ResponseInit | null } ? D : T;
type Loaded = Unwrap<Awaited<ReturnType<typeof loader>>>;

// Inside a month; the test ledger has documents up to 2026-11-30 for several customers.
const TODAY = "2026-11-16";
const owners = { a: "first.view.a@example.test", b: "first.view.b@example.test" };
let cookie = "";

beforeAll(async () => {
  await makeUser("staff", { email: owners.a });
  await makeUser("staff", { email: owners.b });
  const head = await makeUser("head");
  await importProvisionLedger(owners);
  cookie = await signIn(head.email);
});

beforeEach(() => {
  vi.stubEnv("QUARTERDECK_TODAY", TODAY);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe("the first dashboard view after an import", () => {
  it("reads the provision at a date inside a month from the kept open runs, settling no customer's documents", async () => {
    const later = await getDb().selectFrom("provision_customers").select("customer_id").where("last_document_date", ">", TODAY).execute();
    expect(later.length).toBeGreaterThan(0);
    // Every statement the view sends to the database (SQLite or PostgreSQL).
    const { result, statements } = await statementsDuring(() => call(loader, get("/", cookie)));
    expect(statusOf(result)).toBe(200);
    const page = payloadOf<Loaded>(result);
    if (page.kind !== "dashboard") throw new Error(`expected the dashboard, got ${page.kind}`);
    const provision = page.dashboard?.headline.cards.find((card) => card.key === "provision_total");
    const expected = await computeProvision(getDb(), resolveProvisionRequest({ asOf: TODAY, method: "ladder" }));
    expect(provision?.value).toBe(expected.total);
    expect(expected.total).toBeGreaterThan(0);
    // The provision read the open runs; no ledger snapshot (the settling engine's input) was read.
    expect(statements.filter((text) => text.includes('"payments"."payment_no"') || text.includes('"invoices"."invoice_no", "customers"."code"'))).toEqual([]);
    expect(statements.some((text) => text.includes("status_open_runs r"))).toBe(true);
  });
});
