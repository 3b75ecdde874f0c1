import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { getDb } from "~/server/db.server";
import { customerPosition } from "~/kernel/ledger/customer-position";
import { formatAmount, minorToMajorNumber } from "~/kernel/money";
import { customerDocuments } from "~/features/ledger/queries/customers.server";
import { loader as statementLoader } from "~/routes/_app.customers.$code.statement";
import { call, get, makeUser, signIn } from "../../../support/app";
import { importLedgerFixture } from "../../../support/ledger";

const TODAY = "2025-09-30";
const cookies = { head: "", staff: "" };
let staffId = 0;
let previousToday: string | undefined;
const dir = mkdtempSync(path.join(tmpdir(), "qd-statements-"));
let files = 0;

beforeAll(async () => {
  previousToday = process.env.QUARTERDECK_TODAY;
  process.env.QUARTERDECK_TODAY = TODAY;
  const head = await makeUser("head", { email: "head@demo.quarterdeck" });
  const staff = await makeUser("staff", { email: "staff@demo.quarterdeck" });
  staffId = staff.id;
  await importLedgerFixture();
  cookies.head = await signIn(head.email);
  cookies.staff = await signIn(staff.email);
});

afterAll(() => {
  if (previousToday === undefined) delete process.env.QUARTERDECK_TODAY;
  else process.env.QUARTERDECK_TODAY = previousToday;
});

async function statement(code: string, query: string, cookie = cookies.head): Promise<Response> {
  const result = await call(statementLoader, get(`/customers/${encodeURIComponent(code)}/statement${query}`, cookie), { code });
  if (!(result instanceof Response)) throw new Error("not a response");
  return result;
}

async function pdfText(response: Response): Promise<string> {
  expect(response.status).toBe(200);
  expect(response.headers.get("Content-Type")).toBe("application/pdf");
  const file = path.join(dir, `statement-${(files += 1)}.pdf`);
  writeFileSync(file, Buffer.from(await response.arrayBuffer()));
  return execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
}

/** A customer with open invoices, overdue ones among them, at the date, and its exact position. */
async function customerWithOverdue(asOf: string, ownerId?: number) {
  const db = getDb();
  let query = db.selectFrom("customers").select(["id", "code", "name", "owner_id", "credit_limit"]).orderBy("code");
  if (ownerId !== undefined) query = query.where("owner_id", "=", ownerId);
  for (const customer of await query.execute()) {
    const position = customerPosition(customer.code, await customerDocuments(db, { kind: "all" }, customer.id), null, asOf);
    if (position.openInvoices.length > 0 && position.overdueTotal > 0) return { customer, position };
  }
  throw new Error("no customer with overdue invoices");
}

const squeezed = (text: string) => text.replace(/\s+/g, "");

describe("statement of account", () => {
  it("as PDF: every open invoice with its open amount and aging, the totals and the unapplied credit, as of the date asked", async () => {
    const asOf = "2025-06-30";
    const { customer, position } = await customerWithOverdue(asOf);
    const text = await pdfText(await statement(customer.code, `?asOf=${asOf}&format=pdf&lang=zh-CN`));
    expect(squeezed(text)).toContain("对账单");
    expect(squeezed(text)).toContain("2025年6月30日");
    expect(text).toContain(customer.code);
    for (const line of position.openInvoices) {
      expect(text).toContain(line.invoiceNo);
      expect(text).toContain(formatAmount(line.openAmount, { locale: "zh-CN", currency: "CNY" }).replace("¥", ""));
    }
    expect(text).toContain(formatAmount(position.arTotal, { locale: "zh-CN", currency: "CNY" }));
    expect(text).toContain(formatAmount(position.overdueTotal, { locale: "zh-CN", currency: "CNY" }));
    expect(squeezed(text)).toContain("未核销款项");
    expect(text).toContain(formatAmount(position.arTotal - position.unappliedCredit, { locale: "zh-CN", currency: "CNY" }));
    expect(squeezed(text)).toContain("账龄分布");
  });

  it("as XLSX through the spreadsheet writer: the open invoices as numbers with their total, and the summary", async () => {
    const asOf = "2025-06-30";
    const { customer, position } = await customerWithOverdue(asOf);
    const response = await statement(customer.code, `?asOf=${asOf}&format=xlsx&lang=en`);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Disposition")).toContain(`statement-`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await response.arrayBuffer());
    const items = workbook.worksheets[0];
    if (!items) throw new Error("no sheet");
    expect(items.getRow(1).getCell(1).value).toBe("Invoice");
    position.openInvoices.forEach((line, index) => {
      const row = items.getRow(index + 2);
      expect(row.getCell(1).value).toBe(line.invoiceNo);
      expect(row.getCell(5).value).toBe(minorToMajorNumber(line.openAmount));
    });
    expect(items.getRow(position.openInvoices.length + 2).getCell(5).value).toBe(minorToMajorNumber(position.arTotal));
    const summary = workbook.worksheets[1];
    const values = summary?.getSheetValues().flat().filter((v) => typeof v === "number");
    expect(values).toContain(minorToMajorNumber(position.arTotal - position.unappliedCredit));
  });

  it("gives staff their own customers' statements and refuses another owner's", async () => {
    const own = await customerWithOverdue("2025-06-30", staffId);
    expect((await statement(own.customer.code, "?asOf=2025-06-30&format=pdf", cookies.staff)).status).toBe(200);
    const other = await getDb().selectFrom("customers").select("code").where((eb) => eb.or([eb("owner_id", "!=", staffId), eb("owner_id", "is", null)])).executeTakeFirstOrThrow();
    expect((await statement(other.code, "?asOf=2025-06-30&format=pdf", cookies.staff)).status).toBe(403);
  });

  it("refuses a bad date, a future date, an unknown format or language, or an unknown customer, in words", async () => {
    const { customer } = await customerWithOverdue("2025-06-30");
    for (const query of ["?asOf=2025-02-30", "?asOf=2025-10-01", "?format=docx", "?lang=fr"]) {
      const response = await statement(customer.code, query);
      expect(response.status).toBe(400);
      expect(response.headers.get("Content-Type")).toContain("text/plain");
      expect((await response.text()).length).toBeGreaterThan(5);
    }
    expect(await (await statement(customer.code, "?asOf=2025-10-01")).text()).toContain("not after today");
    expect((await statement("NO-SUCH-CUSTOMER", "?format=pdf")).status).toBe(404);
  });
});
