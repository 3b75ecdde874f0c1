import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import { getDb } from "~/server/db.server";
import { runNotifications, sendDigests } from "~/features/notifications/index.server";
import { makeUser } from "../../../support/app";
import { clearPlans, makePlan } from "../../../support/plans";
import { TestSmtpServer } from "../../../support/smtp";

/** A Monday: the weekly digests are due. */
const MONDAY = "2025-07-28";
const smtp = new TestSmtpServer();
const people = { head: "", leader: "", ana: "", bo: "" };
const ids = { ana: 0, bo: 0 };

async function customer(code: string, ownerId: number): Promise<number> {
  const at = "2025-07-01T00:00:00.000Z";
  const row = await getDb()
    .insertInto("customers")
    .values({ code, name: `${code} Trading`, owner_id: ownerId, region: "East", credit_grade: null, credit_limit: null, created_at: at, updated_at: at })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

async function promise(customerId: number, dueOn: string, amount: number, status: "pending" | "broken" | "kept" = "pending"): Promise<void> {
  const action = await getDb()
    .insertInto("collection_actions")
    .values({ customer_id: customerId, user_id: null, kind: "promise_to_pay", action_date: "2025-07-01", amount, created_at: "2025-07-01T00:00:00.000Z" })
    .returning("id")
    .executeTakeFirstOrThrow();
  await getDb()
    .insertInto("payment_promises")
    .values({ customer_id: customerId, action_id: action.id, kind: "promise", made_on: "2025-07-01", due_on: dueOn, amount, status, created_at: "2025-07-01T00:00:00.000Z" })
    .execute();
}

beforeAll(async () => {
  await smtp.start();
  const head = await makeUser("head");
  const leader = await makeUser("leader");
  const ana = await makeUser("staff");
  const bo = await makeUser("staff");
  Object.assign(people, { head: head.email, leader: leader.email, ana: ana.email, bo: bo.email });
  Object.assign(ids, { ana: ana.id, bo: bo.id });
  await getDb().updateTable("users").set({ locale: "zh-CN" }).where("id", "=", bo.id).execute();

  // Ana's and Bo's customers, each with a promise due this week, one broken last week and one kept.
  const anaCustomer = await customer("ANA-1", ana.id);
  const boCustomer = await customer("BO-1", bo.id);
  await promise(anaCustomer, "2025-07-30", 1_500_000);
  await promise(anaCustomer, "2025-07-24", 700_000, "broken");
  await promise(anaCustomer, "2025-07-23", 900_000, "kept");
  await promise(boCustomer, "2025-08-01", 2_200_000);
  await promise(boCustomer, "2025-07-25", 330_000, "broken");
});
afterAll(async () => {
  await smtp.stop();
});
beforeEach(async () => {
  vi.stubEnv("QUARTERDECK_TODAY", MONDAY);
  vi.stubEnv("SMTP_URL", smtp.url);
  await clearPlans(getDb());
  // The approved Q3 plan: each staff member owns an item due this week and one overdue; one item is done.
  await makePlan(
    getDb(),
    { head: people.head, leader: people.leader },
    {
      fiscalYear: 2025,
      quarter: 3,
      state: "approved",
      items: [
        { title: "Ana: call the East customers", owner: people.ana, dueDate: "2025-07-31" },
        { title: "Ana: reconcile July", owner: people.ana, dueDate: "2025-07-18" },
        { title: "Bo: visit Wenzhou", owner: people.bo, dueDate: "2025-08-02" },
        { title: "Bo: confirm balances", owner: people.bo, dueDate: "2025-07-21" },
        { title: "Bo: next month's review", owner: people.bo, dueDate: "2025-08-20" },
      ],
    },
    MONDAY,
  );
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe("the weekly staff digest", () => {
  it("lists exactly the reader's own items and promises, and nobody else's", async () => {
    const digests = await sendDigests(getDb(), MONDAY, { dryRun: true });
    const ana = digests.find((digest) => digest.kind === "staff" && digest.userId === ids.ana)!;
    expect(ana.body).toContain("Ana: call the East customers (due 2025-07-31)");
    expect(ana.body).toContain("Ana: reconcile July (due 2025-07-18)");
    expect(ana.body).toContain("ANA-1 ANA-1 Trading: CN¥15,000.00 due 2025-07-30");
    expect(ana.body).toContain("ANA-1 ANA-1 Trading: CN¥7,000.00 due 2025-07-24");
    // the kept promise and the item due after the week are not listed; nothing of Bo's is
    expect(ana.body).not.toContain("2025-07-23");
    expect(ana.body).not.toMatch(/Bo:|BO-1/);

    const bo = digests.find((digest) => digest.kind === "staff" && digest.userId === ids.bo)!;
    expect(bo.title).toBe("您自 2025-07-28 起的一周");
    expect(bo.body).toContain("Bo: visit Wenzhou（2025-08-02 到期）");
    expect(bo.body).toContain("Bo: confirm balances（2025-07-21 到期）");
    expect(bo.body).toContain("BO-1 BO-1 Trading：¥22,000.00，2025-08-01 到期");
    expect(bo.body).toContain("BO-1 BO-1 Trading：¥3,300.00，2025-07-25 到期");
    expect(bo.body).not.toContain("next month's review");
    expect(bo.body).not.toMatch(/Ana:|ANA-1/);
    // The head's weekly digest is there too; a dry run writes nothing.
    expect(digests.some((digest) => digest.kind === "head")).toBe(true);
    expect(await getDb().selectFrom("notification_events").select("id").where("kind", "=", "digest").execute()).toEqual([]);
  });

  it("reaches the reader's inbox and mailbox once, however often it is raised", async () => {
    const sent = await sendDigests(getDb(), MONDAY);
    expect(sent.filter((digest) => digest.kind === "staff").every((digest) => digest.sent)).toBe(true);
    expect((await sendDigests(getDb(), MONDAY)).some((digest) => digest.sent)).toBe(false);
    await runNotifications(getDb(), MONDAY);

    // (the job also raises what fell due: Ana's overdue item and broken promise come by e-mail of their own)
    const mails = smtp.to(people.ana).filter((mail) => mail.subject.includes("Your week"));
    expect(mails).toHaveLength(1);
    expect(mails[0]?.subject).toContain("Your week from 28 Jul 2025");
    expect(mails[0]?.body).toContain("Ana: call the East customers");
    expect(mails[0]?.body).not.toContain("Bo:");
    const boMails = smtp.to(people.bo).filter((mail) => mail.subject.includes("您自"));
    expect(boMails).toHaveLength(1);
    expect(boMails[0]?.body).toContain("Bo: visit Wenzhou");
    expect(smtp.to(people.ana).some((mail) => mail.subject.includes("Reconcile") || mail.body.includes("Bo:"))).toBe(false);
    const inbox = await getDb().selectFrom("notifications").innerJoin("notification_events", "notification_events.id", "notifications.event_id").select(["notification_events.kind", "notification_events.link"]).where("notifications.user_id", "=", ids.ana).where("notification_events.kind", "=", "digest").execute();
    expect(inbox).toEqual([{ kind: "digest", link: "/tasks" }]);
  });

  it("is not due on other days of the week", async () => {
    expect(await sendDigests(getDb(), "2025-07-29", { dryRun: true })).toEqual([]);
  });
});

describe("the head's weekly digest", () => {
  it("lists the early warnings raised last week that are still open, most severe first, and no resolved or older one", async () => {
    const db = getDb();
    const anaCustomer = await db.selectFrom("customers").select("id").where("code", "=", "ANA-1").executeTakeFirstOrThrow();
    const boCustomer = await db.selectFrom("customers").select("id").where("code", "=", "BO-1").executeTakeFirstOrThrow();
    const warning = (customerId: number, kind: string, severity: "info" | "warning" | "critical", raisedOn: string, state: "open" | "resolved" = "open") =>
      db
        .insertInto("warnings")
        .values({ rule_kind: kind, subject_key: `customer:${customerId}:${kind}`, customer_id: customerId, invoice_id: null, owner_id: null, severity, reasons: "[]", raised_on: raisedOn, last_seen_on: raisedOn, state, created_at: "2025-07-20T00:00:00.000Z" })
        .execute();
    await warning(anaCustomer.id, "over_limit", "warning", "2025-07-22");
    await warning(boCustomer.id, "broken_promise", "critical", "2025-07-27");
    await warning(boCustomer.id, "invoice_61_90", "warning", "2025-07-23", "resolved");
    await warning(anaCustomer.id, "days_late_rising", "info", "2025-07-14");
    const head = (await sendDigests(db, MONDAY, { dryRun: true })).find((digest) => digest.kind === "head")!;
    const section = head.body.split("New early warnings last week, still open")[1] ?? "";
    expect(section.trim().split("\n").map((line) => line.trim())).toEqual([
      "- BO-1 BO-1 Trading: Broken promise (Critical)",
      "- ANA-1 ANA-1 Trading: Over the credit limit (Warning)",
    ]);
    await db.deleteFrom("warnings").execute();
  });
});
