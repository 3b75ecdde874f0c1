import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import { getDb } from "~/server/db.server";
import { getPlan, transition } from "~/features/plans/plans.server";
import { runNotifications } from "~/features/notifications/index.server";
import { makeUser } from "../../../support/app";
import { actorByEmail, clearPlans, makePlan } from "../../../support/plans";
import { TestSmtpServer } from "../../../support/smtp";

const TODAY = "2025-07-31";
/** Attempt times count from when the message was queued (the row says when). */
let T0 = new Date(0);
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const smtp = new TestSmtpServer();
const people = { head: "", leader: "" };

beforeAll(async () => {
  // Started once to learn a free port, then taken down: the mail server is away when the plan is submitted.
  await smtp.start();
  await smtp.stop();
  people.head = (await makeUser("head")).email;
  people.leader = (await makeUser("leader")).email;
});
afterAll(async () => {
  await smtp.stop();
});
beforeEach(async () => {
  vi.stubEnv("QUARTERDECK_TODAY", TODAY);
  vi.stubEnv("SMTP_URL", smtp.url);
  await clearPlans(getDb());
});
afterEach(() => {
  vi.unstubAllEnvs();
});

async function submit(): Promise<number> {
  const { planId } = await makePlan(getDb(), people, { fiscalYear: 2025, quarter: 3, items: [{ title: "Visit the slow payers", owner: people.head, dueDate: "2025-09-10" }] }, TODAY);
  const head = await actorByEmail(getDb(), people.head, "head");
  await transition(getDb(), head, planId, (await getPlan(getDb(), planId)).version, { type: "submit" }, TODAY);
  return planId;
}

const outboxFor = (email: string) => getDb().selectFrom("notification_outbox").selectAll().where("recipient", "=", email).orderBy("id").execute();

describe("the outbox with the mail server down", () => {
  it("keeps the e-mail, retries with back-off, delivers once the server is back, and never twice", async () => {
    await submit();
    const [queued] = await outboxFor(people.leader);
    expect(queued).toMatchObject({ status: "pending", attempts: 0, channel: "email" });
    T0 = new Date(queued!.next_attempt_at);

    // Down: the attempt fails, the message stays queued with its error and a later attempt time.
    const first = await runNotifications(getDb(), TODAY, { now: at(0) });
    expect(first).toMatchObject({ ran: true, sent: 0, failed: 1 });
    const [afterFailure] = await outboxFor(people.leader);
    expect(afterFailure).toMatchObject({ status: "pending", attempts: 1, next_attempt_at: at(30).toISOString() });
    expect(afterFailure?.last_error).toBeTruthy();

    // Before its time nothing is tried; a second failure doubles the wait.
    expect(await runNotifications(getDb(), TODAY, { now: at(10) })).toMatchObject({ sent: 0, failed: 0 });
    expect(await runNotifications(getDb(), TODAY, { now: at(30) })).toMatchObject({ sent: 0, failed: 1 });
    expect((await outboxFor(people.leader))[0]).toMatchObject({ attempts: 2, next_attempt_at: at(90).toISOString() });

    // Back on the same port: the next due attempt delivers it, once.
    await smtp.start();
    expect(await runNotifications(getDb(), TODAY, { now: at(60) })).toMatchObject({ sent: 0, failed: 0 });
    expect(await runNotifications(getDb(), TODAY, { now: at(90) })).toMatchObject({ sent: 1, failed: 0 });
    expect(await runNotifications(getDb(), TODAY, { now: at(3600) })).toMatchObject({ sent: 0, failed: 0 });
    const mails = smtp.to(people.leader);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.messageId).toBe(`<outbox-${queued!.id}@quarterdeck>`);
    expect((await outboxFor(people.leader))[0]).toMatchObject({ status: "sent", attempts: 3, last_error: null });
    await smtp.stop();
  });

  it("runs in one process at a time: a held lock makes another run do nothing until it expires", async () => {
    await smtp.start();
    await submit();
    T0 = new Date((await outboxFor(people.leader)).at(-1)!.next_attempt_at);
    await getDb().insertInto("job_locks").values({ name: "notifications", holder: "other-host:1", expires_at: at(300).toISOString() }).execute();
    expect(await runNotifications(getDb(), TODAY, { now: at(0), holder: "this-host:2" })).toMatchObject({ ran: false, sent: 0 });
    expect((await outboxFor(people.leader)).at(-1)).toMatchObject({ status: "pending", attempts: 0 });

    // The other holder died: once its lock expires this process takes it over and delivers.
    const run = await runNotifications(getDb(), TODAY, { now: at(301), holder: "this-host:2" });
    expect(run).toMatchObject({ ran: true, failed: 0 });
    expect(run.sent).toBeGreaterThanOrEqual(1);
    expect((await outboxFor(people.leader)).at(-1)).toMatchObject({ status: "sent" });
    // released after the run
    expect(await getDb().selectFrom("job_locks").selectAll().execute()).toEqual([]);
    await smtp.stop();
  });
});
