import { beforeAll, describe } from "vitest";

import { loader as holdsLoader } from "~/routes/_app.credit.holds._index";
import { loader as holdsExportLoader } from "~/routes/_app.credit.holds.export";
import { loader as confirmationsLoader } from "~/routes/_app.credit.confirmations._index";
import { loader as reviewsLoader } from "~/routes/_app.credit.review._index";
import { loader as gradesLoader } from "~/routes/_app.credit.grades";
import { call, get, makeUser, signIn, statusOf } from "../../../support/app";
import { expectPagesReadOnly, withDerivedDataBehind } from "../../../support/database-state";
import { importLedgerFixture } from "../../../support/ledger";

/**
 * The credit pages only read. The holds lists read customers' open amounts from the open items
 * and, for an earlier date, from the status table's open runs; those are kept current by the
 * import and by the status keeper's background job, never by the page that shows them.
 */

let cookie = "";

beforeAll(async () => {
  const head = await makeUser("head", { email: "head@demo.quarterdeck" });
  await importLedgerFixture();
  cookie = await signIn(head.email);
});

withDerivedDataBehind();

describe("the credit pages write nothing on GET", () => {
  const pages: [string, () => Promise<unknown>][] = [
    ["the holds lists", () => call(holdsLoader, get("/credit/holds", cookie))],
    ["the holds lists at an earlier date", () => call(holdsLoader, get("/credit/holds?asOf=2025-03-31", cookie))],
    ["the holds export", () => call(holdsExportLoader, get("/credit/holds/export?format=csv", cookie))],
    ["the confirmation batches", () => call(confirmationsLoader, get("/credit/confirmations", cookie))],
    ["the credit reviews", () => call(reviewsLoader, get("/credit/review", cookie))],
    ["the grade policy", () => call(gradesLoader, get("/credit/grades", cookie))],
  ];

  expectPagesReadOnly(pages, statusOf);
});
