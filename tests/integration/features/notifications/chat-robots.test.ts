import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import { getDb } from "~/server/db.server";
import { action as robotsAction, loader as robotsLoader } from "~/routes/_app.admin.notifications";
import { action as settingsAction } from "~/routes/_app.settings";
import { getPlan, transition } from "~/features/plans/plans.server";
import { runNotifications } from "~/features/notifications/index.server";
import { call, get, makeUser, payloadOf, post, signIn, statusOf } from "../../../support/app";
import { actorByEmail, clearPlans, makePlan } from "../../../support/plans";

const TODAY = "2025-07-31";
const KEY = "0f".repeat(32);
const SECRETS = { dingtalk: "SEC-ding-0123456789", feishu: "feishu-secret-abc" };

interface Hit {
  path: string;
  query: URLSearchParams;
  body: Record<string, unknown>;
}
const hits: Hit[] = [];
/** Answers per path, in order; then the platform's "ok". */
const scripted = new Map<string, string[]>();
const receiver = http.createServer((request, response) => {
  let text = "";
  request.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
  request.on("end", () => {
    const url = new URL(request.url ?? "/", "http://receiver");
    hits.push({ path: url.pathname, query: url.searchParams, body: JSON.parse(text) as Record<string, unknown> });
    const next = scripted.get(url.pathname)?.shift();
    response.setHeader("Content-Type", "application/json");
    response.end(next ?? (url.pathname === "/feishu" ? '{"code":0,"msg":"success","data":{}}' : '{"errcode":0,"errmsg":"ok"}'));
  });
});
let base = "";
const people = { head: "", leader: "" };
const cookies = { admin: "", leader: "", head: "" };

beforeAll(async () => {
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", () => resolve()));
  // the receiver listens on TCP: its address is an AddressInfo
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  const admin = await makeUser("admin");
  const head = await makeUser("head");
  const leader = await makeUser("leader");
  Object.assign(people, { head: head.email, leader: leader.email });
  cookies.admin = await signIn(admin.email);
  cookies.leader = await signIn(leader.email);
  cookies.head = await signIn(head.email);
});
afterAll(async () => {
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});
beforeEach(async () => {
  vi.stubEnv("QUARTERDECK_TODAY", TODAY);
  vi.stubEnv("QUARTERDECK_SECRET_KEY", KEY);
  await clearPlans(getDb());
  hits.length = 0;
});
afterEach(() => {
  vi.unstubAllEnvs();
});

const addRobot = (fields: Record<string, string>, cookie = cookies.admin) => call(robotsAction, post("/admin/notifications", { intent: "add-robot", ...fields }, cookie));

async function submitPlan(): Promise<number> {
  const { planId } = await makePlan(getDb(), people, { fiscalYear: 2025, quarter: 3, items: [{ title: "Chase the East region", owner: people.head, dueDate: "2025-09-15" }] }, TODAY);
  const head = await actorByEmail(getDb(), people.head, "head");
  await transition(getDb(), head, planId, (await getPlan(getDb(), planId)).version, { type: "submit" }, TODAY);
  return planId;
}

describe("group chat robots", () => {
  it("are configured by the administrator only, their address and secret sealed at rest; bad input changes nothing", async () => {
    expect(statusOf(await addRobot({ kind: "wecom", name: "Team", url: `${base}/wecom?key=k1`, locale: "en" }, cookies.head))).toBe(403);
    expect(statusOf(await addRobot({ kind: "wecom", name: "", url: `${base}/wecom?key=k1`, locale: "en" }))).toBe(400);
    expect(statusOf(await addRobot({ kind: "wecom", name: "Team", url: "javascript:alert(1)", locale: "en" }))).toBe(400);
    expect(statusOf(await addRobot({ kind: "telegram", name: "Team", url: `${base}/x`, locale: "en" }))).toBe(400);
    expect(await getDb().selectFrom("chat_robots").selectAll().execute()).toEqual([]);

    expect(payloadOf(await addRobot({ kind: "wecom", name: "企业微信群", url: `${base}/wecom?key=wecom-key-1`, locale: "zh-CN" }))).toMatchObject({ ok: true });
    expect(payloadOf(await addRobot({ kind: "dingtalk", name: "钉钉群", url: `${base}/dingtalk?access_token=ding-token`, secret: SECRETS.dingtalk, locale: "zh-CN" }))).toMatchObject({ ok: true });
    expect(payloadOf(await addRobot({ kind: "feishu", name: "Feishu group", url: `${base}/feishu`, secret: SECRETS.feishu, locale: "en" }))).toMatchObject({ ok: true });

    const stored = await getDb().selectFrom("chat_robots").selectAll().execute();
    expect(stored).toHaveLength(3);
    for (const robot of stored) {
      expect(robot.url.startsWith("v1:")).toBe(true);
      expect(robot.url).not.toContain("127.0.0.1");
      if (robot.secret !== null) expect(robot.secret.startsWith("v1:")).toBe(true);
    }
    const page = payloadOf<Awaited<ReturnType<typeof robotsLoader>>>(await call(robotsLoader, get("/admin/notifications", cookies.admin)));
    expect(page.keyConfigured).toBe(true);
    expect(JSON.stringify(page)).not.toContain("ding-token");
    expect(statusOf(await call(robotsLoader, get("/admin/notifications", cookies.leader)))).toBe(403);
  });

  it("post each platform's documented payload with its signature, in the robot's language", async () => {
    await call(settingsAction, post("/settings", { intent: "notifications", "notify-plan_submitted": "chat" }, cookies.leader));
    const planId = await submitPlan();
    const run = await runNotifications(getDb(), TODAY);
    expect(run).toMatchObject({ ran: true, failed: 0, sent: 3 });

    const wecom = hits.find((hit) => hit.path === "/wecom")!;
    expect(wecom.query.get("key")).toBe("wecom-key-1");
    expect(wecom.body).toEqual({ msgtype: "text", text: { content: expect.stringContaining("提交了计划 2025 Q3") } });
    expect(JSON.stringify(wecom.body)).toContain(`/plans/${planId}`);

    const ding = hits.find((hit) => hit.path === "/dingtalk")!;
    expect(ding.query.get("access_token")).toBe("ding-token");
    const timestamp = ding.query.get("timestamp")!;
    expect(timestamp).toMatch(/^\d{13}$/);
    const expected = crypto.createHmac("sha256", SECRETS.dingtalk).update(`${timestamp}\n${SECRETS.dingtalk}`).digest("base64");
    expect(ding.query.get("sign")).toBe(expected);
    expect(ding.body).toEqual({ msgtype: "text", text: { content: expect.stringContaining("提交了计划 2025 Q3") } });

    const feishu = hits.find((hit) => hit.path === "/feishu")!;
    const seconds = String(feishu.body.timestamp);
    expect(seconds).toMatch(/^\d{10}$/);
    expect(feishu.body.sign).toBe(crypto.createHmac("sha256", `${seconds}\n${SECRETS.feishu}`).update("").digest("base64"));
    expect(feishu.body).toMatchObject({ msg_type: "text", content: { text: expect.stringContaining("submitted the plan 2025 Q3 for approval") } });
    // names the people it is for
    expect((feishu.body.content as { text: string }).text).toMatch(/For leader \d+/);
  });

  it("retries a message the platform refused and sends the others once", async () => {
    await call(settingsAction, post("/settings", { intent: "notifications", "notify-plan_submitted": "chat" }, cookies.leader));
    scripted.set("/dingtalk", ['{"errcode":310000,"errmsg":"sign not match"}']);
    await submitPlan();
    expect(await runNotifications(getDb(), TODAY)).toMatchObject({ sent: 2, failed: 1 });
    const refused = await getDb().selectFrom("notification_outbox").selectAll().where("status", "=", "pending").execute();
    expect(refused).toHaveLength(1);
    expect(refused[0]?.last_error).toContain("310000");
    // Its next attempt (after the back-off) goes through; nothing else is sent again.
    const later = new Date(new Date(refused[0]!.next_attempt_at).getTime() + 1000);
    hits.length = 0;
    expect(await runNotifications(getDb(), TODAY, { now: later })).toMatchObject({ sent: 1, failed: 0 });
    expect(hits.map((hit) => hit.path)).toEqual(["/dingtalk"]);
  });
});
