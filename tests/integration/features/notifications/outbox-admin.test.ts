import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import { getDb } from "~/server/db.server";
import { getPlan, transition } from "~/features/plans/plans.server";
import { runNotifications } from "~/features/notifications/index.server";
import { action, loader } from "~/routes/_app.admin.outbox";
import { call, get, makeUser, payloadOf, post, signIn, statusOf } from "../../../support/app";
import { actorByEmail, clearPlans, makePlan } from "../../../support/plans";
import { TestSmtpServer } from "../../../support/smtp";

const TODAY = "2025-07-31";
const smtp = new TestSmtpServer();
const people = { head: "", leader: "" };
const cookies = { admin: "", head: "" };

type Page = Awaited<ReturnType<typeof loader>>;
const page = async (query = "", cookie = cookies.admin) => payloadOf<Page>(await call(loader, get(`/admin/outbox${query}`, cookie)));
const retry = (fields: Record<string, string>, cookie = cookies.admin) => call(action, post("/admin/outbox", fields, cookie));
const rows = () => getDb().selectFrom("notification_outbox").select(["id", "status", "attempts", "next_attempt_at", "last_error"]).orderBy("id").execute();
const audits = () => getDb().selectFrom("audit_log").select(["entity_id", "action", "user_id", "after"]).where("entity", "=", "notification_outbox").orderBy("id").execute();

beforeAll(async () => {
  // a free port with nobody listening: the mail server is down until the test starts it
  await smtp.start();
  await smtp.stop();
  const admin = await makeUser("admin");
  people.head = (await makeUser("head")).email;
  people.leader = (await makeUser("leader")).email;
  cookies.admin = await signIn(admin.email);
  cookies.head = await signIn(people.head);
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

/** A submitted plan queues an e-mail to the leader. */
async function queueOne(): Promise<void> {
  const { planId } = await makePlan(getDb(), people, { fiscalYear: 2025, quarter: 3, items: [{ title: "Chase the top ten", owner: people.head, dueDate: "2025-09-10" }] }, TODAY);
  const head = await actorByEmail(getDb(), people.head, "head");
  await transition(getDb(), head, planId, (await getPlan(getDb(), planId)).version, { type: "submit" }, TODAY);
}

describe("the administrator's outbox", () => {
  it("lists the waiting message with its attempts, last error and next try; retry now makes it due at once, audited, and it is delivered once", async () => {
    await queueOne();
    const [queued] = await rows();
    const firstTry = new Date(queued!.next_attempt_at);
    expect(await runNotifications(getDb(), TODAY, { now: firstTry })).toMatchObject({ sent: 0, failed: 1 });

    const shown = await page();
    expect(shown.filter).toBe("pending");
    expect(shown.counts).toEqual({ pending: 1, failed: 0, sent: 0 });
    const [row] = shown.rows;
    expect(row).toMatchObject({ id: queued!.id, channel: "email", recipient: people.leader, status: "pending", attempts: 1, nextAttemptAt: new Date(firstTry.getTime() + 30_000).toISOString() });
    expect(row?.lastError).toBeTruthy();
    expect(row?.subject).toContain("2025 Q3");

    await smtp.start();
    // "now" is the instant the test sets (only Date is faked): the retry makes the message due then
    const retriedAt = new Date(`${TODAY}T09:30:00.000Z`);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(retriedAt);
    try {
      expect(payloadOf(await retry({ intent: "retry", id: String(queued!.id) }))).toEqual({ ok: true, retried: queued!.id });
    } finally {
      vi.useRealTimers();
    }
    const [due] = await rows();
    expect(due!.next_attempt_at).toBe(retriedAt.toISOString());
    const [audit] = await audits();
    expect(audit).toMatchObject({ entity_id: String(queued!.id), action: "retry" });

    // delivered on the job's next pass, not waiting out the back-off; once
    expect(await runNotifications(getDb(), TODAY)).toMatchObject({ sent: 1, failed: 0 });
    expect(await runNotifications(getDb(), TODAY)).toMatchObject({ sent: 0 });
    expect(smtp.to(people.leader)).toHaveLength(1);
    const sent = await page("?status=sent");
    expect(sent.rows.map((entry) => [entry.id, entry.status, entry.attempts])).toEqual([[queued!.id, "sent", 2]]);
    await smtp.stop();
  });

  it("gives a failed message one more attempt", async () => {
    await queueOne();
    const last = (await rows()).at(-1)!;
    await getDb().updateTable("notification_outbox").set({ status: "failed", attempts: 12, last_error: "connection refused" }).where("id", "=", last.id).execute();
    expect((await page("?status=failed")).rows.map((entry) => entry.id)).toEqual([last.id]);
    expect(payloadOf(await retry({ intent: "retry", id: String(last.id) }))).toMatchObject({ ok: true });
    expect((await rows()).at(-1)).toMatchObject({ status: "pending", attempts: 12 });
    // the server is still down: the extra attempt fails and the message is failed again
    expect(await runNotifications(getDb(), TODAY)).toMatchObject({ failed: 1 });
    expect((await rows()).at(-1)).toMatchObject({ status: "failed", attempts: 13 });
  });

  it("refuses other roles, a sent or unknown message and forged posts, changing nothing", async () => {
    const before = { rows: await rows(), audits: await audits() };
    const sent = before.rows.find((entry) => entry.status === "sent")!;
    const pending = before.rows.find((entry) => entry.status !== "sent")!;
    expect(statusOf(await call(loader, get("/admin/outbox", cookies.head)))).toBe(403);
    expect(statusOf(await retry({ intent: "retry", id: String(pending.id) }, cookies.head))).toBe(403);
    expect(statusOf(await retry({ intent: "retry", id: String(sent.id) }))).toBe(409);
    expect(statusOf(await retry({ intent: "retry", id: "999999" }))).toBe(409);
    expect(statusOf(await retry({ intent: "retry", id: "abc" }))).toBe(400);
    expect(statusOf(await retry({ intent: "delete", id: String(pending.id) }))).toBe(400);
    expect({ rows: await rows(), audits: await audits() }).toEqual(before);
    // an unknown filter shows the waiting ones
    expect((await page("?status=everything")).filter).toBe("pending");
  });
});
