import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { getDb } from "~/server/db.server";
import { action as dunningAction } from "~/routes/_app.customers.$code.dunning";
import { action as templatesAction, loader as templatesLoader } from "~/routes/_app.credit.dunning";
import { loader as customerLoader } from "~/routes/_app.customers.$code";
import { action as newActionAction } from "~/routes/_app.customers.$code_.actions.new";
import { call, get, makeUser, payloadOf, post, signIn, statusOf } from "../../../support/app";
import { importLedgerFixture } from "../../../support/ledger";

const TODAY = "2025-09-30";
const cookies = { head: "", staff: "", leader: "" };
let staffId = 0;
let previousToday: string | undefined;
const dir = mkdtempSync(path.join(tmpdir(), "qd-dunning-"));
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
});

afterAll(() => {
  if (previousToday === undefined) delete process.env.QUARTERDECK_TODAY;
  else process.env.QUARTERDECK_TODAY = previousToday;
});

// Each test starts with the built-in templates and no collection actions.
beforeEach(async () => {
  const db = getDb();
  await db.deleteFrom("dunning_templates").execute();
  await db.deleteFrom("payment_promises").execute();
  await db.deleteFrom("collection_actions").execute();
});

async function customerOf(ownerId: number | null, other = false) {
  let query = getDb().selectFrom("customers").select(["id", "code", "name"]).orderBy("code");
  query = other ? query.where((eb) => eb.or([eb("owner_id", "!=", ownerId ?? 0), eb("owner_id", "is", null)])) : query.where("owner_id", "=", ownerId ?? 0);
  return query.executeTakeFirstOrThrow();
}

function printLetter(code: string, fields: Record<string, string>, cookie = cookies.head) {
  return call(dunningAction, post(`/customers/${encodeURIComponent(code)}/dunning`, fields, cookie), { code });
}

async function pdfText(result: unknown): Promise<string> {
  if (!(result instanceof Response)) throw new Error("not a response");
  expect(result.status).toBe(200);
  expect(result.headers.get("Content-Type")).toBe("application/pdf");
  const file = path.join(dir, `letter-${(files += 1)}.pdf`);
  writeFileSync(file, Buffer.from(await result.arrayBuffer()));
  return execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
}

async function snapshot() {
  const db = getDb();
  return {
    actions: await db.selectFrom("collection_actions").selectAll().orderBy("id").execute(),
    templates: await db.selectFrom("dunning_templates").selectAll().execute(),
    audits: (await db.selectFrom("audit_log").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n,
  };
}

const squeezed = (text: string) => text.replace(/\s+/g, "");

describe("dunning letters", () => {
  it("prints each level from the built-in templates and records the collection action of its kind", async () => {
    const customer = await customerOf(staffId);
    const reminder = await pdfText(await printLetter(customer.code, { level: "reminder", lang: "zh-CN" }, cookies.staff));
    expect(squeezed(reminder)).toContain("付款提醒函");
    expect(squeezed(reminder)).toContain(squeezed(customer.name));
    expect(reminder).toContain(customer.code);
    expect(reminder).not.toMatch(/\{[a-z_]+\}/);
    const lawyer = await pdfText(await printLetter(customer.code, { level: "lawyer_letter", lang: "en" }));
    expect(lawyer).toContain("Lawyer's letter (draft)");
    expect(lawyer).toContain("30 September 2025");
    const actions = await getDb().selectFrom("collection_actions").select(["customer_id", "kind", "action_date", "note", "user_id"]).orderBy("id").execute();
    expect(actions).toEqual([
      // the letter's subject when it says more than the level's name (here: in the other language) …
      { customer_id: customer.id, kind: "email", action_date: TODAY, note: "Reminder printed (Chinese): 付款提醒函", user_id: staffId },
      // … and not when it only repeats it
      { customer_id: customer.id, kind: "lawyer_letter", action_date: TODAY, note: "Lawyer's letter (draft) printed (English)", user_id: expect.any(Number) as unknown as number },
    ]);
  });

  it("uses the head's edited template with its placeholders filled, audited, and shows its preview", async () => {
    const customer = await customerOf(staffId);
    const saved = await call(templatesAction, post("/credit/dunning", { intent: "save-demand-en", level: "demand", locale: "en", subject: "Final notice for {customer_code}", body: "Dear {customer},\nyou owe {amount} as of {as_of}, {overdue} overdue.\n{owner}" }, cookies.head));
    expect(payloadOf<{ ok: boolean }>(saved).ok).toBe(true);
    const audit = await getDb().selectFrom("audit_log").select(["entity", "entity_id", "action"]).where("entity", "=", "dunning_template").execute();
    expect(audit).toEqual([{ entity: "dunning_template", entity_id: "demand:en", action: "update" }]);
    const page = payloadOf<Awaited<ReturnType<typeof templatesLoader>>>(await call(templatesLoader, get("/credit/dunning", cookies.head)));
    const demand = page.templates.find((template) => template.level === "demand" && template.locale === "en");
    expect(demand?.preview.subject).toBe("Final notice for C0001");
    expect(demand?.edited).not.toBeNull();
    const text = await pdfText(await printLetter(customer.code, { level: "demand", lang: "en" }));
    expect(text).toContain(`Final notice for ${customer.code}`);
    expect(text).toContain(`Dear ${customer.name},`);
    expect(text).toContain("as of 30 September 2025");
  });

  it("refuses a template with an unknown placeholder or a stray brace, or from anyone but the head, and stores nothing", async () => {
    const before = await snapshot();
    for (const body of ["Dear {client},", "Dear {customer"]) {
      const result = await call(templatesAction, post("/credit/dunning", { intent: "save-reminder-en", level: "reminder", locale: "en", subject: "Reminder", body }, cookies.head));
      expect(statusOf(result)).toBe(400);
      expect(payloadOf<{ fieldErrors: Record<string, string[]> }>(result).fieldErrors.body?.[0]).toMatch(/^dunning\.validation\.(unknownPlaceholder|braces)$/);
    }
    expect(statusOf(await call(templatesAction, post("/credit/dunning", { level: "reminder", locale: "fr", subject: "x", body: "y" }, cookies.head)))).toBe(400);
    expect(statusOf(await call(templatesAction, post("/credit/dunning", { level: "reminder", locale: "en", subject: "x", body: "y" }, cookies.staff)))).toBe(403);
    expect(await snapshot()).toEqual(before);
  });

  it("pauses reminders while a promise is open and not yet due: not offered on the page, a forced post refused with the reason", async () => {
    const customer = await customerOf(staffId);
    const promised = await call(newActionAction, post(`/customers/${customer.code}/actions/new?kind=promise_to_pay`, { kind: "promise_to_pay", actionDate: TODAY, note: "Will pay", amount: "100.00", dueOn: "2025-10-15" }, cookies.staff), { code: customer.code });
    expect(statusOf(promised)).toBe(302);
    const page = payloadOf<Awaited<ReturnType<typeof customerLoader>>>(await call(customerLoader, get(`/customers/${customer.code}`, cookies.staff), { code: customer.code }));
    expect(page.dunning).toEqual({ canPrint: true, pausedUntil: "2025-10-15", noLetter: null });
    const before = await snapshot();
    const refused = await printLetter(customer.code, { level: "reminder", lang: "en" }, cookies.staff);
    expect(statusOf(refused)).toBe(409);
    expect(await (refused as Response).text()).toContain("2025-10-15");
    expect(await snapshot()).toEqual(before);
    // a demand still goes out
    expect(await pdfText(await printLetter(customer.code, { level: "demand", lang: "en" }, cookies.staff))).toContain("Demand for payment");
  });

  it("refuses every level, printed or e-mailed, for a customer who owes nothing or has nothing overdue: said on the form, nothing recorded", async () => {
    // FX003 overpaid its only invoice (balance 0.00, unapplied credit 200.00); FX004's one invoice falls due in 2036
    for (const [code, reason, message] of [
      ["FX003", "dunning.validation.nothingOpen", "the customer owes nothing"],
      ["FX004", "dunning.validation.nothingOverdue", "nothing is overdue yet"],
    ] as const) {
      const page = payloadOf<Awaited<ReturnType<typeof customerLoader>>>(await call(customerLoader, get(`/customers/${code}`, cookies.head), { code }));
      expect(page.dunning).toEqual({ canPrint: true, pausedUntil: null, noLetter: reason });
      const before = await snapshot();
      for (const level of ["reminder", "demand", "lawyer_letter"]) {
        for (const intent of ["", "email"]) {
          const refused = await printLetter(code, { level, lang: "en", ...(intent ? { intent } : {}) });
          expect(statusOf(refused)).toBe(409);
          expect(await (refused as Response).text()).toContain(message);
        }
      }
      const inChinese = await printLetter(code, { level: "reminder", lang: "zh-CN" }, cookies.head);
      expect(statusOf(inChinese)).toBe(409);
      expect(await snapshot()).toEqual(before);
    }
    // a customer with overdue invoices still gets a letter, and the form offers it
    const owing = payloadOf<Awaited<ReturnType<typeof customerLoader>>>(await call(customerLoader, get("/customers/FX001", cookies.head), { code: "FX001" }));
    expect(owing.dunning.noLetter).toBeNull();
  });

  it("refuses another owner's customer to staff, leadership, and forged levels or languages, recording nothing", async () => {
    const other = await customerOf(staffId, true);
    const own = await customerOf(staffId);
    const before = await snapshot();
    expect(statusOf(await printLetter(other.code, { level: "demand", lang: "en" }, cookies.staff))).toBe(403);
    expect(statusOf(await printLetter(own.code, { level: "demand", lang: "en" }, cookies.leader))).toBe(403);
    expect(statusOf(await printLetter(own.code, { level: "summons", lang: "en" }, cookies.head))).toBe(400);
    expect(statusOf(await printLetter(own.code, { level: "demand", lang: "de" }, cookies.head))).toBe(400);
    expect(statusOf(await printLetter("NO-SUCH", { level: "demand", lang: "en" }, cookies.head))).toBe(404);
    expect(await snapshot()).toEqual(before);
  });
});
