import { beforeAll, describe } from "vitest";

import { loader as dashboardLoader } from "~/routes/_app._index";
import { loader as customerLoader } from "~/routes/_app.customers.$code";
import { loader as customersLoader } from "~/routes/_app.customers._index";
import { loader as invoicesLoader } from "~/routes/_app.invoices._index";
import { action as uploadAction, loader as importLoader } from "~/routes/_app.import._index";
import { loader as runLoader } from "~/routes/_app.import.runs.$runId";
import { BASE, call, get, makeUser, signIn, statusOf } from "../../../support/app";
import { expectPagesReadOnly, withDerivedDataBehind } from "../../../support/database-state";
import { importLedgerFixture } from "../../../support/ledger";

/**
 * Looking is not changing: the dashboard, the customer and invoice lists, a customer's page and
 * the import pages only read. Whatever a page shows that is derived (status positions, KPI
 * summaries) is brought up to date by what changes its inputs, or by a background job; a GET
 * that found it behind must still answer, from the documents, and leave every row as it was.
 */

let cookie = "";
let runId = 0;

beforeAll(async () => {
  const head = await makeUser("head", { email: "head@demo.quarterdeck" });
  await importLedgerFixture();
  cookie = await signIn(head.email);
  // A preview waiting for its start, so its page reads a staged file.
  const form = new FormData();
  form.append("files", new File(["code,name,region\nW1,Web Customer,East\n"], "customers.csv"));
  const staged = await call(uploadAction, new Request(`${BASE}/import`, { method: "POST", body: form, headers: { Cookie: cookie } }));
  runId = Number(/\/import\/runs\/(\d+)$/.exec((staged as Response).headers.get("Location") ?? "")?.[1]);
});

withDerivedDataBehind();

describe("the ledger's pages write nothing on GET", () => {
  const pages: [string, () => Promise<unknown>][] = [
    ["the dashboard", () => call(dashboardLoader, get("/", cookie))],
    ["the dashboard at an earlier date", () => call(dashboardLoader, get("/?asOf=2025-03-31", cookie))],
    ["the dashboard of a region", () => call(dashboardLoader, get("/?scope=region:East", cookie))],
    ["the customer list", () => call(customersLoader, get("/customers?sort=overdue", cookie))],
    ["a customer's page", () => call(customerLoader, get("/customers/FX001", cookie), { code: "FX001" })],
    ["the invoice list", () => call(invoicesLoader, get("/invoices?status=overdue", cookie))],
    ["the import page", () => call(importLoader, get("/import", cookie))],
    ["an import's preview", () => call(runLoader, get(`/import/runs/${runId}`, cookie), { runId: String(runId) })],
  ];

  expectPagesReadOnly(pages, statusOf);
});
