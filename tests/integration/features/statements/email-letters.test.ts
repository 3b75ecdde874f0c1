import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import { getDb } from "~/server/db.server";
import { runNotifications } from "~/features/notifications/index.server";
import { loader as customerLoader } from "~/routes/_app.customers.$code";
import { action as customerAction } from "~/routes/_app.customers.$code.contact";
import { action as statementAction } from "~/routes/_app.customers.$code.statement";
import { action as dunningAction } from "~/routes/_app.customers.$code.dunning";
import { action as newActionAction } from "~/routes/_app.customers.$code_.actions.new";
import { call, get, headersOf, makeUser, payloadOf, post, signIn, statusOf } from "../../../support/app";
import { importLedgerFixture } from "../../../support/ledger";
import { type ReceivedMail, TestSmtpServer } from "../../../support/smtp";

const TODAY = "2025-09-30";
const smtp = new TestSmtpServer();
const cookies = { head: "", staff: "", leader: "" };
let staffId = 0;
const own = { id: 0, code: "", name: "" };
const other = { id: 0, code: "" };
const dir = mkdtempSync(path.join(tmpdir(), "qd-mail-letters-"));
let files = 0;

beforeAll(async () => {
  await smtp.start();
  const head = await makeUser("head", { email: "head@demo.quarterdeck" });
  const staff = await makeUser("staff", { email: "staff@demo.quarterdeck" });
  staffId = staff.id;
  const leader = await makeUser("leader");
  vi.stubEnv("QUARTERDECK_TODAY", TODAY);
  await importLedgerFixture();
  vi.unstubAllEnvs();
  cookies.head = await signIn(head.email);
  cookies.staff = await signIn(staff.email);
  cookies.leader = await signIn(leader.email);
  Object.assign(own, await getDb().selectFrom("customers").select(["id", "code", "name"]).where("owner_id", "=", staffId).orderBy("code").executeTakeFirstOrThrow());
  Object.assign(other, await getDb().selectFrom("customers").select(["id", "code"]).where((eb) => eb.or([eb("owner_id", "!=", staffId), eb("owner_id", "is", null)])).orderBy("code").executeTakeFirstOrThrow());
});
afterAll(async () => {
  await smtp.stop();
});
beforeEach(async () => {
  vi.stubEnv("QUARTERDECK_TODAY", TODAY);
  vi.stubEnv("SMTP_URL", smtp.url);
  vi.stubEnv("MAIL_FROM", "Receivables <ar@example.test>");
  const db = getDb();
  await db.deleteFrom("payment_promises").execute();
  await db.deleteFrom("collection_actions").execute();
  await db.deleteFrom("notification_outbox").execute();
  await db.updateTable("customers").set({ contact_email: null }).execute();
});
afterEach(() => {
  vi.unstubAllEnvs();
});

const setContact = (code: string, email: string, cookie = cookies.staff) => call(customerAction, post(`/customers/${code}/contact`, { intent: "contact-email", email }, cookie), { code });
const sendStatement = (code: string, fields: Record<string, string>, cookie = cookies.staff) => call(statementAction, post(`/customers/${code}/statement`, { intent: "email", ...fields }, cookie), { code });
const sendLetter = (code: string, fields: Record<string, string>, cookie = cookies.staff) => call(dunningAction, post(`/customers/${code}/dunning`, { intent: "email", ...fields }, cookie), { code });

async function snapshot() {
  const db = getDb();
  return {
    actions: await db.selectFrom("collection_actions").selectAll().execute(),
    outbox: await db.selectFrom("notification_outbox").selectAll().execute(),
    contacts: await db.selectFrom("customers").select(["code", "contact_email"]).where("contact_email", "is not", null).execute(),
  };
}

/** The covering text of a received mail with an attachment (its text/plain part, quoted-printable or base64). */
function textOf(mail: ReceivedMail): string {
  const [, headers = "", part = ""] = /Content-Type: text\/plain[^\r\n]*\r\n((?:[^\r\n]+\r\n)*?)\r\n([\s\S]*?)\r\n--/.exec(mail.raw) ?? [];
  if (/base64/i.test(headers)) return Buffer.from(part.replace(/\s+/g, ""), "base64").toString("utf8").replace(/\r\n/g, "\n");
  const bytes = part.replace(/=\r\n/g, "").replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, "latin1").toString("utf8").replace(/\r\n/g, "\n");
}

/** The PDF attached to a received mail, read back with pdftotext. */
function attachedPdfText(mail: ReceivedMail): { fileName: string; text: string } {
  const part = /Content-Type: application\/pdf[^\r\n]*\r\n(?:[^\r\n]+\r\n)*?\r\n([A-Za-z0-9+/=\r\n]+)/.exec(mail.raw);
  const fileName = /filename="?([^"\r\n;]+)"?/.exec(mail.raw)?.[1] ?? "";
  if (!part?.[1]) throw new Error("no PDF attached");
  const file = path.join(dir, `attached-${(files += 1)}.pdf`);
  writeFileSync(file, Buffer.from(part[1].replace(/\s+/g, ""), "base64"));
  return { fileName, text: execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" }) };
}

describe("the customer's contact e-mail", () => {
  it("is kept by the customer's owner, audited, and shown on the page; a bad address, leadership or another owner's customer is refused", async () => {
    const before = await snapshot();
    const bad = await setContact(own.code, "not an address");
    expect(statusOf(bad)).toBe(400);
    expect(payloadOf<{ fieldErrors: Record<string, string[]> }>(bad).fieldErrors.email).toEqual(["statements.contact.invalid"]);
    expect(statusOf(await setContact(own.code, "ap@customer.example", cookies.leader))).toBe(403);
    expect(statusOf(await setContact(other.code, "ap@customer.example"))).toBe(403);
    expect(await snapshot()).toEqual(before);

    expect(payloadOf(await setContact(own.code, " ap@customer.example "))).toEqual({ ok: true, email: "ap@customer.example" });
    const page = payloadOf<Awaited<ReturnType<typeof customerLoader>>>(await call(customerLoader, get(`/customers/${own.code}`, cookies.staff), { code: own.code }));
    expect(page.contact).toEqual({ email: "ap@customer.example", canEdit: true });
    const audit = await getDb().selectFrom("audit_log").select(["after"]).where("entity", "=", "customer").where("action", "=", "contact_email").execute();
    expect(audit.map((row) => JSON.parse(row.after ?? "{}"))).toContainEqual({ email: "ap@customer.example" });
  });
});

describe("e-mailing a statement or a dunning letter", () => {
  it("queues the statement with its PDF for the contact e-mail, records a collection action, and the outbox delivers it once", async () => {
    await setContact(own.code, "ap@customer.example");
    const sent = await sendStatement(own.code, { asOf: TODAY, lang: "zh-CN" });
    expect(statusOf(sent)).toBe(303);
    expect(headersOf(sent).get("Location")).toBe(`/customers/${own.code}?sent=statement#statement`);
    const actions = await getDb().selectFrom("collection_actions").select(["customer_id", "kind", "note", "user_id"]).execute();
    expect(actions).toEqual([{ customer_id: own.id, kind: "email", note: `Statement of account as of ${TODAY} e-mailed to ap@customer.example`, user_id: staffId }]);
    // nothing leaves inside the request
    expect(smtp.to("ap@customer.example")).toHaveLength(0);

    const run = await runNotifications(getDb(), TODAY);
    expect(run).toMatchObject({ ran: true, failed: 0 });
    const mails = smtp.to("ap@customer.example");
    expect(mails).toHaveLength(1);
    expect(mails[0]?.subject).toContain("对账单");
    expect(textOf(mails[0]!)).toContain("附件为对账单");
    const { fileName, text } = attachedPdfText(mails[0]!);
    expect(fileName).toBe(`statement-${own.code}-${TODAY}-zh-CN.pdf`);
    expect(text).toContain(own.code);
    expect(text.replace(/\s+/g, "")).toContain("对账单");
    await runNotifications(getDb(), TODAY);
    expect(smtp.to("ap@customer.example")).toHaveLength(1);
  });

  it("sends a dunning letter the same way, as the collection action of its level", async () => {
    await setContact(own.code, "billing@customer.example");
    expect(statusOf(await sendLetter(own.code, { level: "demand", lang: "en" }))).toBe(303);
    const [action] = await getDb().selectFrom("collection_actions").select(["kind", "note"]).execute();
    expect(action).toEqual({ kind: "email", note: "Demand for payment e-mailed to billing@customer.example (English)" });
    await runNotifications(getDb(), TODAY);
    const [mail] = smtp.to("billing@customer.example");
    expect(mail?.subject).toContain("Demand for payment");
    expect(textOf(mail!)).toContain(`Dear ${own.name},`);
    expect(attachedPdfText(mail!).text).toContain("Demand for payment");
  });

  it("pauses a reminder by e-mail while a promise is open and not yet due, refusing it with the date and sending nothing", async () => {
    await setContact(own.code, "ap@customer.example");
    const promised = await call(newActionAction, post(`/customers/${own.code}/actions/new?kind=promise_to_pay`, { kind: "promise_to_pay", actionDate: TODAY, note: "Will pay", amount: "100.00", dueOn: "2025-10-15" }, cookies.staff), { code: own.code });
    expect(statusOf(promised)).toBe(302);
    const before = await snapshot();
    const refused = await sendLetter(own.code, { level: "reminder", lang: "en" }).catch((response: unknown) => response);
    expect(statusOf(refused)).toBe(409);
    expect(await (refused as Response).text()).toContain("2025-10-15");
    expect(await snapshot()).toEqual(before);
  });

  it("refuses without a contact e-mail, without a mail server, for leadership, another owner's customer or a forged date, recording and queueing nothing", async () => {
    const before = await snapshot();
    const refused = async (result: Promise<unknown>) => statusOf(await result.catch((response: unknown) => response));
    expect(await refused(sendStatement(own.code, { asOf: TODAY, lang: "en" }))).toBe(409);
    expect(await refused(sendLetter(own.code, { level: "demand", lang: "en" }))).toBe(409);
    await getDb().updateTable("customers").set({ contact_email: "ap@customer.example" }).where("id", "in", [own.id, other.id]).execute();
    const withContact = await snapshot();
    expect(await refused(sendStatement(own.code, { asOf: TODAY, lang: "en" }, cookies.leader))).toBe(403);
    expect(await refused(sendStatement(other.code, { asOf: TODAY, lang: "en" }))).toBe(403);
    expect(await refused(sendStatement(own.code, { asOf: "2999-01-01", lang: "en" }))).toBe(400);
    expect(await refused(sendStatement(own.code, { asOf: TODAY, lang: "fr" }))).toBe(400);
    expect(await refused(sendLetter(own.code, { level: "summons", lang: "en" }))).toBe(400);
    vi.stubEnv("SMTP_URL", "");
    expect(await refused(sendStatement(own.code, { asOf: TODAY, lang: "en" }))).toBe(409);
    expect(await snapshot()).toEqual(withContact);
    expect(before.actions).toEqual(withContact.actions);
  });
});
