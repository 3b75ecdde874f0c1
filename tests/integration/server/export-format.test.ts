import type { LoaderFunctionArgs } from "@remix-run/node";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import { action as confirmationsAction } from "~/routes/_app.credit.confirmations._index";
import { loader as confirmationsExport } from "~/routes/_app.credit.confirmations.$batchId.export";
import { loader as holdsExport } from "~/routes/_app.credit.holds.export";
import { loader as scoreboardExport } from "~/routes/_app.scoreboard.export";
import { loader as statusExport } from "~/routes/_app.status.export";
import { loader as reviewExport } from "~/routes/_app.review.$fiscalYear.xlsx";
import { getDb } from "~/server/db.server";
import { createI18n } from "~/i18n";
import { call, get, makeUser, post, signIn, statusOf } from "../../support/app";
import { databaseState } from "../../support/database-state";
import { importLedgerFixture } from "../../support/ledger";

/**
 * Every spreadsheet export reads its `format` the one way (server/spreadsheet.server.ts): a link
 * asking for anything but xlsx or csv gets a 400 saying in the reader's words which formats there
 * are, no file, and nothing written. Downloads have no error boundary, so the words are the body.
 */

const TODAY = "2025-09-30";
let cookie = "";
let zhCookie = "";
let batchId = 0;
const IN_WORDS = {
  en: "This export comes as csv, xlsx only: set format= to one of them, or use the export links on the page.",
  zh: "此导出只提供 csv, xlsx 格式：请将 format= 设为其中之一，或使用页面上的导出链接。",
};

beforeAll(async () => {
  vi.stubEnv("QUARTERDECK_TODAY", TODAY);
  const head = await makeUser("head", { email: "head@demo.quarterdeck" });
  await makeUser("staff", { email: "staff@demo.quarterdeck" });
  const zhHead = await makeUser("head");
  await getDb().updateTable("users").set({ locale: "zh-CN" }).where("id", "=", zhHead.id).execute();
  await importLedgerFixture();
  cookie = await signIn(head.email);
  zhCookie = await signIn(zhHead.email);
  const created = await call(confirmationsAction, post("/credit/confirmations", { intent: "create-batch", name: "Half year 2025", periodEnd: "2025-06-30" }, cookie));
  const location = created instanceof Response ? (created.headers.get("Location") ?? "") : "";
  batchId = Number(/confirmations\/(\d+)/.exec(location)?.[1] ?? 0);
  expect(batchId).toBeGreaterThan(0);
  vi.unstubAllEnvs();
});

beforeEach(() => {
  vi.stubEnv("QUARTERDECK_TODAY", TODAY);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

type Loader = (args: LoaderFunctionArgs) => unknown;
const exportsTable: [string, Loader, () => { path: string; params: Record<string, string> }][] = [
  ["the status table", statusExport as Loader, () => ({ path: "/status/export?month=2025-06", params: {} })],
  ["the scoreboard", scoreboardExport as Loader, () => ({ path: "/scoreboard/export?start=2025-04-01&end=2025-06-30", params: {} })],
  ["the holds in force", holdsExport as Loader, () => ({ path: "/credit/holds/export?list=holds", params: {} })],
  ["the over-limit list", holdsExport as Loader, () => ({ path: "/credit/holds/export?list=over-limit", params: {} })],
  [
    "a confirmation batch",
    confirmationsExport as Loader,
    () => ({ path: `/credit/confirmations/${batchId}/export?state=awaiting`, params: { batchId: String(batchId) } }),
  ],
];

const withFormat = (path: string, format: string | null) => (format === null ? path : `${path}&${new URLSearchParams({ format })}`);

describe("export links with a format there is none of", () => {
  it.each(exportsTable)("%s: 400 naming the formats in the reader's words, no file, nothing written", async (_name, loader, target) => {
    const { path, params } = target();
    // the link is a real one: with a format it answers the file
    const good = await call(loader, get(withFormat(path, "csv"), cookie), params);
    expect(statusOf(good)).toBe(200);
    expect((good as Response).headers.get("Content-Disposition")).toMatch(/^attachment; filename=".+\.csv"$/);
    await (good as Response).arrayBuffer();

    const before = await databaseState();
    for (const format of ["pdf", "", "XLSX", "xlsx,csv", null]) {
      const result = await call(loader, get(withFormat(path, format), cookie), params);
      expect(result, `format=${format}`).toBeInstanceOf(Response);
      const response = result as Response;
      expect(response.status).toBe(400);
      expect(response.headers.get("Content-Disposition")).toBeNull();
      expect(response.headers.get("Content-Type")).toBe("text/plain; charset=utf-8");
      expect(await response.text()).toBe(IN_WORDS.en);
    }
    const chinese = await call(loader, get(withFormat(path, "pdf"), zhCookie), params);
    expect(statusOf(chinese)).toBe(400);
    expect(await (chinese as Response).text()).toBe(IN_WORDS.zh);
    expect(await databaseState()).toEqual(before);
  });

  it("the holds export refuses a list there is none of the same way", async () => {
    const before = await databaseState();
    const result = await call(holdsExport as Loader, get("/credit/holds/export?format=xlsx&list=everyone", cookie));
    expect(result).toBeInstanceOf(Response);
    const response = result as Response;
    expect(response.status).toBe(400);
    expect(response.headers.get("Content-Disposition")).toBeNull();
    expect(await response.text()).toBe(
      "This export is the holds in force (list=holds) or the over-limit list (list=over-limit). Use one of the export links on the page.",
    );
    expect(await databaseState()).toEqual(before);
  });

  it("a download refused for another reason says it in words too: a review year with nothing to review, a batch there is none of", async () => {
    const year = await call(reviewExport as Loader, get("/review/2019/xlsx", cookie), { fiscalYear: "2019" });
    expect(statusOf(year)).toBe(404);
    expect(await (year as Response).text()).toBe(createI18n("en").t("review.error.notFound"));
    const batch = await call(confirmationsExport as Loader, get("/credit/confirmations/999999/export?format=csv", cookie), { batchId: "999999" });
    expect(statusOf(batch)).toBe(404);
    expect(await (batch as Response).text()).toBe("Page not found");
    const notAnId = await call(confirmationsExport as Loader, get("/credit/confirmations/abc/export?format=csv", cookie), { batchId: "abc" });
    expect(statusOf(notAnId)).toBe(404);
    expect(await (notAnId as Response).text()).toBe("Page not found");
  });
});
