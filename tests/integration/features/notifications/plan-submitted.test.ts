import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import { getDb } from "~/server/db.server";
import { action as boardAction } from "~/routes/_app.plans.$planId._index";
import { action as inboxAction, loader as inboxLoader } from "~/routes/_app.notifications";
import { loader as appLoader } from "~/routes/_app";
import { action as settingsAction, loader as settingsLoader } from "~/routes/_app.settings";
import { getPlan } from "~/features/plans/plans.server";
import { runNotifications } from "~/features/notifications/index.server";
import { call, get, makeUser, payloadOf, post, signIn, statusOf } from "../../../support/app";
import { clearPlans, makePlan } from "../../../support/plans";
import { TestSmtpServer } from "../../../support/smtp";

const TODAY = "2025-07-31";
const smtp = new TestSmtpServer();
const people = { head: "", leader: "", leaderZh: "", staff: "" };
const cookies = { head: "", leader: "", leaderZh: "", staff: "" };

type Inbox = Awaited<ReturnType<typeof inboxLoader>>;
const inbox = async (cookie: string, query = "") => payloadOf<Inbox>(await call(inboxLoader, get(`/notifications${query}`, cookie)));
const unread = async (cookie: string) => payloadOf<{ unread: number }>(await call(appLoader, get("/", cookie))).unread;

beforeAll(async () => {
  await smtp.start();
  const head = await makeUser("head");
  const leader = await makeUser("leader");
  const leaderZh = await makeUser("leader");
  const staff = await makeUser("staff");
  await getDb().updateTable("users").set({ locale: "zh-CN" }).where("id", "=", leaderZh.id).execute();
  Object.assign(people, { head: head.email, leader: leader.email, leaderZh: leaderZh.email, staff: staff.email });
  cookies.head = await signIn(head.email);
  cookies.leader = await signIn(leader.email);
  cookies.leaderZh = await signIn(leaderZh.email);
  cookies.staff = await signIn(staff.email);
});
afterAll(async () => {
  await smtp.stop();
});

beforeEach(async () => {
  vi.stubEnv("QUARTERDECK_TODAY", TODAY);
  vi.stubEnv("SMTP_URL", smtp.url);
  vi.stubEnv("MAIL_FROM", "Quarterdeck <qd@example.test>");
  vi.stubEnv("QUARTERDECK_URL", "https://qd.example.test");
  await clearPlans(getDb());
});
afterEach(() => {
  vi.unstubAllEnvs();
});

/** The head's Q3 draft with one item for the staff member, submitted through the board's form. */
async function submitPlan(): Promise<number> {
  const { planId } = await makePlan(getDb(), { head: people.head, leader: people.leader }, { fiscalYear: 2025, quarter: 3, items: [{ title: "Call the top ten", owner: people.staff, dueDate: "2025-09-20" }] }, TODAY);
  const version = (await getPlan(getDb(), planId)).version;
  const result = await call(boardAction, post(`/plans/${planId}`, { intent: "submit", version: String(version) }, cookies.head), { planId: String(planId) });
  expect(statusOf(result)).toBeLessThan(400);
  return planId;
}

describe("a submitted plan", () => {
  it("gives each leader an inbox item linking to the plan and an e-mail in their language", async () => {
    const before = smtp.received.length;
    const planId = await submitPlan();

    const leaderInbox = await inbox(cookies.leader);
    const entry = leaderInbox.entries.find((candidate) => candidate.link === `/plans/${planId}`);
    expect(entry).toMatchObject({ kind: "plan_submitted", read: false, params: { plan: "2025 Q3" } });
    expect(await unread(cookies.leader)).toBe(leaderInbox.unread);
    expect(leaderInbox.unread).toBeGreaterThan(0);
    // the head who submitted is not told of their own act; staff are not leadership
    expect((await inbox(cookies.head)).entries.some((candidate) => candidate.kind === "plan_submitted" && candidate.link === `/plans/${planId}`)).toBe(false);
    expect((await inbox(cookies.staff)).entries.some((candidate) => candidate.kind === "plan_submitted")).toBe(false);

    // Nothing is sent inside the request: the e-mails wait in the outbox for the job.
    expect(smtp.received.length).toBe(before);
    const run = await runNotifications(getDb(), TODAY);
    expect(run).toMatchObject({ ran: true, failed: 0 });
    expect(run.sent).toBeGreaterThanOrEqual(2);

    const [english] = smtp.to(people.leader).slice(-1);
    expect(english?.subject).toMatch(/submitted the plan 2025 Q3 for approval/);
    expect(english?.body).toContain(`https://qd.example.test/plans/${planId}`);
    const [chinese] = smtp.to(people.leaderZh).slice(-1);
    expect(chinese?.subject).toContain("提交了计划 2025 Q3，等待审批");
    expect(smtp.to(people.head)).toHaveLength(0);

    // A second run sends nothing again.
    const after = smtp.received.length;
    expect((await runNotifications(getDb(), TODAY)).sent).toBe(0);
    expect(smtp.received.length).toBe(after);
  });

  it("is marked read by its reader only; another user's or a garbled id is refused and changes nothing", async () => {
    const planId = await submitPlan();
    const entry = (await inbox(cookies.leader)).entries.find((candidate) => candidate.link === `/plans/${planId}`)!;
    const unreadBefore = await unread(cookies.leader);

    expect(statusOf(await call(inboxAction, post("/notifications", { intent: "mark-read", id: String(entry.id) }, cookies.head)))).toBe(404);
    expect(statusOf(await call(inboxAction, post("/notifications", { intent: "mark-read", id: "abc" }, cookies.leader)))).toBe(400);
    expect(statusOf(await call(inboxAction, post("/notifications", { intent: "explode" }, cookies.leader)))).toBe(400);
    expect(await unread(cookies.leader)).toBe(unreadBefore);

    const result = await call(inboxAction, post("/notifications", { intent: "mark-read", id: String(entry.id) }, cookies.leader));
    expect(payloadOf(result)).toMatchObject({ ok: true, done: "mark-read" });
    expect(await unread(cookies.leader)).toBe(unreadBefore - 1);
    expect((await inbox(cookies.leader)).entries.find((candidate) => candidate.id === entry.id)?.read).toBe(true);
    expect((await inbox(cookies.leader, "?unread=1")).entries.some((candidate) => candidate.id === entry.id)).toBe(false);

    await call(inboxAction, post("/notifications", { intent: "mark-all-read" }, cookies.leader));
    expect(await unread(cookies.leader)).toBe(0);
  });

  it("follows each leader's choices: inbox only sends no e-mail, none keeps it out of the inbox", async () => {
    const fields = (channel: string) => ({ intent: "notifications", "notify-plan_submitted": channel });
    expect(payloadOf(await call(settingsAction, post("/settings", fields("inbox"), cookies.leader)))).toMatchObject({ ok: true, done: "notifications" });
    await call(settingsAction, post("/settings", fields("none"), cookies.leaderZh));
    expect(statusOf(await call(settingsAction, post("/settings", fields("pigeon"), cookies.leader)))).toBe(400);
    const shown = payloadOf<Awaited<ReturnType<typeof settingsLoader>>>(await call(settingsLoader, get("/settings", cookies.leader)));
    expect(shown.notifications.choices.find((choice) => choice.kind === "plan_submitted")?.channel).toBe("inbox");

    await runNotifications(getDb(), TODAY);
    const mailsBefore = smtp.received.length;
    const planId = await submitPlan();
    await runNotifications(getDb(), TODAY);
    expect((await inbox(cookies.leader)).entries.some((candidate) => candidate.link === `/plans/${planId}`)).toBe(true);
    expect((await inbox(cookies.leaderZh)).entries.some((candidate) => candidate.link === `/plans/${planId}`)).toBe(false);
    expect(smtp.received.length).toBe(mailsBefore);

    await call(settingsAction, post("/settings", { intent: "notifications" }, cookies.leader));
    await call(settingsAction, post("/settings", { intent: "notifications" }, cookies.leaderZh));
  });
});
