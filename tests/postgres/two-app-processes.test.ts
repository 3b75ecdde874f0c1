import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { today } from "~/server/clock.server";
import { databaseUrl, getDb } from "~/server/db.server";
import { TEST_PASSWORD, makeUser } from "../support/app";
import { freePort } from "../support/free-port";
import { makePlan } from "../support/plans";

/**
 * Two app processes (`npm start`, the built app) on one PostgreSQL, each on its own port, as two
 * machines behind a load balancer would be (the second with WEB_CONCURRENCY=2): what one process wrote is what the other checks
 * against. A save with a version the other process already moved on is refused with 409, a
 * session made through one is valid on the other, and failed sign-ins count on both.
 */

interface App {
  origin: string;
  process: ChildProcess;
}

const apps: App[] = [];
let head = "";
let guessed = "";
let planId = 0;
let itemId = 0;

async function startApp(webConcurrency: number): Promise<App> {
  const port = await freePort();
  const child = spawn("node_modules/.bin/tsx", ["db/cli/start.ts"], {
    env: { ...process.env, DATABASE_URL: databaseUrl(), PORT: String(port), HOST: "127.0.0.1", WEB_CONCURRENCY: String(webConcurrency) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`The app did not start within 120 s:\n${output}`)), 120_000);
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Quarterdeck is serving")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", (code) => reject(new Error(`The app exited with ${code}:\n${output}`)));
  });
  return { origin: `http://127.0.0.1:${port}`, process: child };
}

async function stopApp(app: App): Promise<void> {
  if (app.process.exitCode !== null || app.process.signalCode !== null) return;
  const exited = new Promise((resolve) => app.process.once("exit", resolve));
  app.process.kill("SIGTERM");
  await exited;
}

function send(app: App, path: string, init: { form?: Record<string, string>; cookie?: string } = {}): Promise<Response> {
  const headers: Record<string, string> = { Origin: app.origin, "Sec-Fetch-Site": "same-origin" };
  if (init.cookie) headers.Cookie = init.cookie;
  if (init.form) headers["Content-Type"] = "application/x-www-form-urlencoded";
  return fetch(`${app.origin}${path}`, {
    method: init.form ? "POST" : "GET",
    headers,
    body: init.form ? new URLSearchParams(init.form).toString() : undefined,
    redirect: "manual",
  });
}

async function signIn(app: App, email: string, password = TEST_PASSWORD): Promise<Response> {
  return send(app, "/login", { form: { email, password } });
}

function cookieOf(response: Response): string {
  return response.headers.getSetCookie().map((line) => line.split(";")[0]).join("; ");
}

/** The version the item's edit form carries, as the page served it. */
async function formVersion(app: App, cookie: string): Promise<string> {
  const response = await send(app, `/plans/${planId}/items/${itemId}`, { cookie });
  expect(response.status).toBe(200);
  const html = await response.text();
  const version = /<input type="hidden" name="version" value="(\d+)"\/>/.exec(html)?.[1];
  if (version === undefined) throw new Error("the item page has no edit form with a version");
  return version;
}

const itemRow = () => getDb().selectFrom("plan_items").select(["title", "version"]).where("id", "=", itemId).executeTakeFirstOrThrow();

beforeAll(async () => {
  if (!fs.existsSync("build/index.js")) throw new Error("No build: run `npm run build` first (npm test does).");
  // A database with users is not empty: the starts seed no demo.
  head = (await makeUser("head")).email;
  const leader = (await makeUser("leader")).email;
  guessed = (await makeUser("staff")).email;
  const fiscalYear = Number(today().slice(0, 4)) + 1;
  const made = await makePlan(getDb(), { head, leader }, { fiscalYear, quarter: 1, items: [{ title: "Call the overdue accounts" }] }, today());
  planId = made.planId;
  itemId = made.itemIds[0]!;
  // One after the other: the first migrates (nothing is left to do) and both run the jobs, whose
  // locks are rows in the database. B serves its port from two worker processes (node:cluster),
  // so its requests also land on processes of their own.
  apps.push(await startApp(1));
  apps.push(await startApp(2));
}, 300_000);

afterAll(async () => {
  await Promise.all(apps.map(stopApp));
});

describe("two app processes on one PostgreSQL", () => {
  it("keep a session made through one valid on the other", async () => {
    const [a, b] = apps as [App, App];
    const signedIn = await signIn(a, head);
    expect(signedIn.status).toBe(302);
    const cookie = cookieOf(signedIn);
    expect((await send(b, "/plans", { cookie })).status).toBe(200);
    expect((await send(b, "/", { cookie })).status).toBe(200);
    // Signed out through B, the session ends on A too.
    const signedOut = await send(b, "/logout", { form: {}, cookie });
    expect(signedOut.status).toBe(302);
    const after = await send(a, "/plans", { cookie });
    expect(after.status).toBe(302);
    expect(after.headers.get("Location")).toMatch(/^\/login/);
  });

  it("lose no update: the second save of the same version, on the other process, gets 409 and the first stays", async () => {
    const [a, b] = apps as [App, App];
    const cookieA = cookieOf(await signIn(a, head));
    const cookieB = cookieOf(await signIn(b, head));
    const versionA = await formVersion(a, cookieA);
    const versionB = await formVersion(b, cookieB);
    expect(versionB).toBe(versionA);
    const form = { intent: "update-item", category: "collection", ownerId: "", dueDate: "", customers: "" };

    const savedOnA = await send(a, `/plans/${planId}/items/${itemId}`, { form: { ...form, version: versionA, title: "Saved on A" }, cookie: cookieA });
    expect(savedOnA.status).toBe(302);
    const kept = await itemRow();
    expect(kept).toEqual({ title: "Saved on A", version: Number(versionA) + 1 });

    const savedOnB = await send(b, `/plans/${planId}/items/${itemId}`, { form: { ...form, version: versionB, title: "Saved on B" }, cookie: cookieB });
    expect(savedOnB.status).toBe(409);
    // B's answer shows what A saved, and its form now carries A's version.
    const conflictPage = await savedOnB.text();
    expect(conflictPage).toContain("Saved on A");
    expect(conflictPage).toContain(`name="version" value="${kept.version}"`);
    expect(await itemRow()).toEqual(kept);
    expect(await formVersion(b, cookieB)).toBe(String(kept.version));
  });

  it("count failed sign-ins through both processes toward one back-off", async () => {
    const [a, b] = apps as [App, App];
    // Wrong passwords, taking turns. After five failures each further one doubles the wait; a
    // throttled attempt is not counted, so it is made again a second later until the wait has passed.
    let failures = 0;
    while (failures < 7) {
      const app = failures % 2 === 0 ? a : b;
      const answer = await signIn(app, guessed, "not the password");
      if (answer.status === 429) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        continue;
      }
      expect(answer.status).toBe(400);
      failures += 1;
    }
    const counted = await getDb().selectFrom("login_throttle").select("failures").where("key", "=", `account:${guessed}`).executeTakeFirstOrThrow();
    expect(Number(counted.failures)).toBe(7);
    // The seventh failure (on A) makes the right password wait on B too: eight seconds.
    const refused = await signIn(b, guessed);
    expect(refused.status).toBe(429);
    expect(refused.headers.getSetCookie()).toEqual([]);
  }, 60_000);
});
