import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import { getDb } from "~/server/db.server";
import { addDays } from "~/kernel/dates";
import { sweepWarnings } from "~/features/warnings/index.server";
import { WARNINGS_ONE_BY_ONE, warningsRaised } from "~/features/notifications/emit.server";
import { loader as inboxLoader } from "~/routes/_app.notifications";
import { call, get, makeUser, payloadOf, signIn } from "../../../support/app";
import { csvSource, importIntoTestDb } from "../../../support/ledger";

/**
 * A sweep that raises many warnings at once (a first import of a real ledger raises thousands)
 * tells each person who would get more than WARNINGS_ONE_BY_ONE of them once: how many, the most
 * severe, a link to the list; the inbox and the outbox get one notice, not a flood. Someone with
 * a few still hears of each.
 */
const TODAY = process.env.QUARTERDECK_TODAY ?? "";
const many = WARNINGS_ONE_BY_ONE + 2;
const cookies = { cy: "", di: "" };
const emails = { cy: "", di: "" };

type Inbox = Awaited<ReturnType<typeof inboxLoader>>;
const inbox = async (cookie: string) => payloadOf<Inbox>(await call(inboxLoader, get("/notifications", cookie))).entries.filter((entry) => entry.kind === "warning_raised");
const outboxTo = (email: string) =>
  getDb()
    .selectFrom("notification_outbox as o")
    .innerJoin("notification_events as e", "e.id", "o.event_id")
    .select(["o.subject", "e.link"])
    .where("o.recipient", "=", email)
    .where("e.kind", "=", "warning_raised")
    .execute();

beforeAll(async () => {
  const cy = await makeUser("staff", { email: "cy.many@example.test" });
  const di = await makeUser("staff", { email: "di.many@example.test" });
  await getDb().updateTable("users").set({ locale: "zh-CN" }).where("id", "=", cy.id).execute();
  Object.assign(emails, { cy: cy.email, di: di.email });
  cookies.cy = await signIn(cy.email);
  cookies.di = await signIn(di.email);
  const day = (n: number) => addDays(TODAY, n);
  // Cy's customers are all over their limits; two of Di's are
  const customers = [
    ...Array.from({ length: many }, (_, i) => `M-CY-${i},Cy Over ${i},East,${cy.email},B,100.00,30`),
    `M-DI-1,Di Over 1,North,${di.email},B,100.00,30`,
    `M-DI-2,Di Over 2,North,${di.email},B,100.00,30`,
  ];
  const codes = customers.map((line) => line.split(",")[0]);
  await importIntoTestDb([
    { kind: "customers", source: csvSource("customers.csv", ["code,name,region,owner_email,credit_grade,credit_limit,payment_terms_days", ...customers]) },
    {
      kind: "invoices",
      source: csvSource("invoices.csv", ["invoice_no,customer_code,issue_date,due_date,amount", ...codes.map((code, i) => `M-${i},${code},${day(-5)},${day(25)},900.00`)]),
    },
  ]);
});

beforeEach(() => {
  vi.stubEnv("SMTP_URL", "smtp://127.0.0.1:1");
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe("many early warnings at once", () => {
  it("reach a person with more than the limit as one notice in their language, and one with a few one by one", async () => {
    const db = getDb();
    await db.deleteFrom("warnings").execute();
    await sweepWarnings(db, TODAY);
    const raised = await db.selectFrom("warnings").select("id").where("rule_kind", "=", "over_limit").execute();
    expect(raised.length).toBeGreaterThanOrEqual(many + 2);

    const cy = await inbox(cookies.cy);
    expect(cy).toHaveLength(1);
    expect(cy[0]).toMatchObject({ link: "/warnings", params: { count: many } });
    const cyMail = await outboxTo(emails.cy);
    expect(cyMail).toHaveLength(1);
    expect(cyMail[0]?.subject).toContain(`一次检查新增 ${many} 条预警`);

    const di = await inbox(cookies.di);
    expect(di).toHaveLength(2);
    for (const entry of di) expect(entry.link).toMatch(/^\/warnings\/\d+$/);
    const diMail = await outboxTo(emails.di);
    expect(diMail).toHaveLength(2);
    expect(diMail.map((mail) => mail.subject).sort()).toEqual([expect.stringContaining("Di Over 1"), expect.stringContaining("Di Over 2")]);
  });

  it("tells nobody again when the next sweep finds the same warnings, or the same warnings are told twice", async () => {
    const db = getDb();
    const events = async () => (await db.selectFrom("notification_events").select("id").where("kind", "=", "warning_raised").execute()).length;
    const before = await events();
    await sweepWarnings(db, TODAY);
    expect(await events()).toBe(before);
    // the same batch told again (a retried sweep): the summary and the single ones are each recorded once
    const raised = await db.selectFrom("warnings").select(["id", "rule_kind as kind", "severity", "customer_id as customerId", "owner_id as ownerId"]).orderBy("id").execute();
    await db.transaction().execute((trx) => warningsRaised(trx, raised));
    expect(await events()).toBe(before);
    expect(await inbox(cookies.cy)).toHaveLength(1);
    expect(await inbox(cookies.di)).toHaveLength(2);
  });
});
