import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { getDb } from "~/server/db.server";
import { formatAmount } from "~/kernel/money";
import { action as listAction } from "~/routes/_app.credit.confirmations._index";
import { loader as lettersLoader } from "~/routes/_app.credit.confirmations.$batchId.letters";
import { call, get, makeUser, post, signIn, statusOf } from "../../../../support/app";
import { importLedgerFixture } from "../../../../support/ledger";

const TODAY = "2025-09-30";
const PERIOD_END = "2025-06-30";
const cookies = { head: "", staff: "", leader: "" };
let staffId = 0;
let previousToday: string | undefined;
let batchId = 0;
const dir = mkdtempSync(path.join(tmpdir(), "qd-letters-"));
let files = 0;

beforeAll(async () => {
  previousToday = process.env.QUARTERDECK_TODAY;
  process.env.QUARTERDECK_TODAY = TODAY;
  const head = await makeUser("head", { email: "head@demo.quarterdeck" });
  const staff = await makeUser("staff", { email: "staff@demo.quarterdeck" });
  staffId = staff.id;
  const leader = await makeUser("leader");
  await importLedgerFixture();
  cookies.head = await signIn(head.email);
  cookies.staff = await signIn(staff.email);
  cookies.leader = await signIn(leader.email);
  await getDb().deleteFrom("confirmation_batches").execute();
  const created = await call(listAction, post("/credit/confirmations", { intent: "create-batch", name: "Half year 2025", periodEnd: PERIOD_END }, cookies.head));
  expect(statusOf(created)).toBe(302);
  batchId = Number(/confirmations\/(\d+)/.exec((created as Response).headers.get("Location") ?? "")?.[1]);
});

afterAll(() => {
  if (previousToday === undefined) delete process.env.QUARTERDECK_TODAY;
  else process.env.QUARTERDECK_TODAY = previousToday;
});

async function letters(query: string, cookie = cookies.head): Promise<Response> {
  const result = await call(lettersLoader, get(`/credit/confirmations/${batchId}/letters${query}`, cookie), { batchId: String(batchId) });
  if (!(result instanceof Response)) throw new Error("not a response");
  return result;
}

/** The PDF's text as pdftotext reads it, one string per page. */
async function pagesOf(response: Response): Promise<string[]> {
  expect(response.status).toBe(200);
  expect(response.headers.get("Content-Type")).toBe("application/pdf");
  const file = path.join(dir, `letters-${(files += 1)}.pdf`);
  writeFileSync(file, Buffer.from(await response.arrayBuffer()));
  return execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" }).split("\f").filter((page) => page.trim() !== "");
}

async function batchRows() {
  return getDb()
    .selectFrom("balance_confirmations as b")
    .innerJoin("customers as c", "c.id", "b.customer_id")
    .select(["c.code", "c.name", "b.our_balance", "b.owner_id"])
    .where("b.batch_id", "=", batchId)
    .orderBy("c.code")
    .execute();
}

const squeezed = (text: string | undefined) => (text ?? "").replace(/\s+/g, "");

describe("confirmation letters (询证函) of a batch", () => {
  it("prints one letter per customer in a merged PDF whose text carries each customer's balance, in Chinese with the reply slip", async () => {
    const rows = await batchRows();
    expect(rows.length).toBeGreaterThan(1);
    const pages = await pagesOf(await letters("?lang=zh-CN"));
    expect(pages).toHaveLength(rows.length);
    rows.forEach((row, index) => {
      const page = pages[index] ?? "";
      expect(page).toContain(row.code);
      expect(squeezed(page)).toContain(squeezed(row.name));
      const shown = formatAmount(Math.abs(row.our_balance), { locale: "zh-CN", currency: "CNY" });
      expect(page).toContain(shown);
      for (const words of ["企业询证函", "贵公司欠本公司", "本公司欠贵公司", "以下仅供被询证单位使用", "信息证明无误", "信息不符", "公司盖章", "经办人"]) {
        expect(squeezed(page)).toContain(words);
      }
      expect(squeezed(page)).toContain("2025年6月30日");
      expect(squeezed(page)).toContain("第1页共1页");
    });
  });

  it("prints in English, and one customer's letter alone", async () => {
    const [first] = await batchRows();
    if (!first) throw new Error("no rows");
    const pages = await pagesOf(await letters(`?lang=en&customer=${encodeURIComponent(first.code)}`));
    expect(pages).toHaveLength(1);
    const page = pages[0] ?? "";
    expect(page).toContain("Balance confirmation");
    expect(page).toContain(formatAmount(Math.abs(first.our_balance), { locale: "en", currency: "CNY" }));
    expect(page).toContain("The information is correct.");
    expect(page).toContain("The information does not agree");
    expect(page).toContain("30 June 2025");
  });

  it("gives staff the letters of their own customers only", async () => {
    const rows = await batchRows();
    const own = rows.filter((row) => row.owner_id === staffId);
    const others = rows.filter((row) => row.owner_id !== staffId);
    expect(own.length).toBeGreaterThan(0);
    expect(others.length).toBeGreaterThan(0);
    const text = (await pagesOf(await letters("?lang=en", cookies.staff))).join("\n");
    for (const row of own) expect(text).toContain(row.code);
    for (const row of others) expect(text).not.toContain(`customer ${row.code})`);
    const other = others[0];
    expect((await letters(`?lang=en&customer=${encodeURIComponent(other?.code ?? "")}`, cookies.staff)).status).toBe(404);
  });

  it("refuses a bad language, an unknown customer or batch in words, and writes nothing", async () => {
    const before = await getDb().selectFrom("audit_log").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    const bad = await letters("?lang=fr");
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("zh-CN");
    expect((await letters("?customer=NOPE")).status).toBe(404);
    const missing = await call(lettersLoader, get(`/credit/confirmations/999999/letters`, cookies.head), { batchId: "999999" });
    expect(statusOf(missing)).toBe(404);
    const noneMatching = await letters("?region=Nowhere-at-all");
    expect(noneMatching.status).toBe(400);
    const after = await getDb().selectFrom("audit_log").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });
});
