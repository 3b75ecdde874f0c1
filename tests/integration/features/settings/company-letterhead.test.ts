import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { getDb } from "~/server/db.server";
import { action as settingsAction, loader as settingsLoader } from "~/routes/_app.admin.settings";
import { loader as statementLoader } from "~/routes/_app.customers.$code.statement";
import { action as dunningAction } from "~/routes/_app.customers.$code.dunning";
import { action as batchesAction } from "~/routes/_app.credit.confirmations._index";
import { loader as lettersLoader } from "~/routes/_app.credit.confirmations.$batchId.letters";
import { call, get, makeUser, payloadOf, post, signIn, statusOf } from "../../../support/app";
import { importLedgerFixture } from "../../../support/ledger";

const TODAY = "2025-09-30";
const cookies = { admin: "", head: "" };
const dir = mkdtempSync(path.join(tmpdir(), "qd-letterhead-"));
let files = 0;
let previousToday: string | undefined;

const COMPANY = { name: "上海远帆贸易有限公司", address: "上海市浦东新区世纪大道 100 号 18 楼", contact: "电话 021-5555 0100 · 应收账款部 王丽" };
const blank = { basedOnName: "", basedOnAddress: "", basedOnContact: "" };

beforeAll(async () => {
  previousToday = process.env.QUARTERDECK_TODAY;
  process.env.QUARTERDECK_TODAY = TODAY;
  const admin = await makeUser("admin");
  const head = await makeUser("head", { email: "head@demo.quarterdeck" });
  await makeUser("staff", { email: "staff@demo.quarterdeck" });
  await importLedgerFixture();
  cookies.admin = await signIn(admin.email);
  cookies.head = await signIn(head.email);
});
afterAll(() => {
  if (previousToday === undefined) delete process.env.QUARTERDECK_TODAY;
  else process.env.QUARTERDECK_TODAY = previousToday;
});

const save = (fields: Record<string, string>, cookie = cookies.admin) => call(settingsAction, post("/admin/settings", { intent: "company", ...fields }, cookie));
const stored = async () => getDb().selectFrom("settings").select(["key", "value"]).where("key", "like", "company_%").orderBy("key").execute();
const audits = async () => getDb().selectFrom("audit_log").select(["entity_id", "before", "after"]).where("entity", "=", "settings").where("entity_id", "=", "company").execute();

async function pdfText(result: unknown): Promise<string> {
  if (!(result instanceof Response)) throw new Error("not a response");
  expect(result.status).toBe(200);
  const file = path.join(dir, `doc-${(files += 1)}.pdf`);
  writeFileSync(file, Buffer.from(await result.arrayBuffer()));
  return execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
}
const squeezed = (text: string) => text.replace(/\s+/g, "");

describe("the company on its letters", () => {
  it("refuses anyone but the administrator, an empty name, an over-long line and a stale form, storing nothing", async () => {
    const before = { settings: await stored(), audits: await audits() };
    expect(statusOf(await save({ ...COMPANY, ...blank }, cookies.head))).toBe(403);
    const empty = await save({ name: "  ", address: "x", contact: "", ...blank });
    expect(statusOf(empty)).toBe(400);
    expect(payloadOf<{ fieldErrors: Record<string, string[]> }>(empty).fieldErrors.name).toEqual(["installation.company.nameRequired"]);
    expect(statusOf(await save({ ...COMPANY, address: "x".repeat(201), ...blank }))).toBe(400);
    expect(statusOf(await save({ ...COMPANY }))).toBe(400);
    expect(statusOf(await save({ ...COMPANY, ...blank, basedOnName: "Someone else's name" }))).toBe(409);
    expect({ settings: await stored(), audits: await audits() }).toEqual(before);
  });

  it("is saved by the administrator, audited, and shown on the settings page", async () => {
    const saved = await save({ ...COMPANY, ...blank });
    expect(payloadOf(saved)).toMatchObject({ ok: true, saved: "company" });
    expect(await stored()).toEqual([
      { key: "company_address", value: COMPANY.address },
      { key: "company_contact", value: COMPANY.contact },
      { key: "company_name", value: COMPANY.name },
    ]);
    const [audit] = await audits();
    expect(JSON.parse(audit?.after ?? "{}")).toEqual(COMPANY);
    const page = payloadOf<Awaited<ReturnType<typeof settingsLoader>>>(await call(settingsLoader, get("/admin/settings", cookies.admin)));
    expect(page.settings.company).toEqual(COMPANY);
    // saving the same values again changes nothing
    await save({ ...COMPANY, basedOnName: COMPANY.name, basedOnAddress: COMPANY.address, basedOnContact: COMPANY.contact });
    expect(await audits()).toHaveLength(1);
  });

  it("heads the statement and the dunning letter with the name, address and contact line", async () => {
    const customer = await getDb().selectFrom("customers").select(["code"]).orderBy("code").executeTakeFirstOrThrow();
    const statement = await pdfText(await call(statementLoader, get(`/customers/${customer.code}/statement?format=pdf&lang=zh-CN`, cookies.head), { code: customer.code }));
    const head = squeezed(statement.split("对账单")[0] ?? "");
    for (const text of Object.values(COMPANY)) expect(head).toContain(squeezed(text));
    const letter = await pdfText(await call(dunningAction, post(`/customers/${customer.code}/dunning`, { level: "demand", lang: "en" }, cookies.head), { code: customer.code }));
    const top = squeezed(letter.split("Demand for payment")[0] ?? "");
    for (const text of Object.values(COMPANY)) expect(top).toContain(squeezed(text));
  });

  it("names the company above its seal on each 询证函 and gives its address and contact for the reply, one page per customer", async () => {
    const created = await call(batchesAction, post("/credit/confirmations", { intent: "create-batch", name: "Letterhead", periodEnd: "2025-06-30" }, cookies.head));
    const batchId = Number(/confirmations\/(\d+)/.exec((created as Response).headers.get("Location") ?? "")?.[1]);
    const rows = await getDb().selectFrom("balance_confirmations").select("id").where("batch_id", "=", batchId).execute();
    const text = await pdfText(await call(lettersLoader, get(`/credit/confirmations/${batchId}/letters?lang=zh-CN`, cookies.head), { batchId: String(batchId) }));
    const pages = text.split("\f").filter((page) => page.trim() !== "");
    expect(pages).toHaveLength(rows.length);
    for (const page of pages) {
      expect(squeezed(page)).toContain(squeezed(`回函地址：${COMPANY.address}`));
      expect(squeezed(page)).toContain(squeezed(`联系方式：${COMPANY.contact}`));
      expect(squeezed(page)).toContain(squeezed(`${COMPANY.name}（本公司盖章）`));
    }
  });
});
