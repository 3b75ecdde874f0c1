import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { closeDb, databaseGeneration, getDb, getPrimaryDb, getReplicaDb, replicaUrl } from "~/server/db.server";
import { GenerationCache } from "~/server/generation-cache.server";
import { createHttpApp, loadServerBuild } from "~/server/http.server";
import { WRITTEN_COOKIE, databaseFor, forgetReplicaHealth, replicaHealth, withDatabaseFor, writtenPosition } from "~/server/replica.server";
import { loader as dashboardLoader } from "~/routes/_app._index";
import { action as plansAction, loader as plansLoader } from "~/routes/_app.plans._index";
import { loader as planLoader } from "~/routes/_app.plans.$planId._index";
import { defined } from "../support/defined";
import { call, get, makeUser, payloadOf, post, signIn, statusOf } from "../support/app";
import { type Standby, startStandby } from "../support/postgres-standby";

/**
 * A real streaming replica of the test cluster: views read from it, writes go to the primary, and
 * a browser that has just written reads its own write even while the replica stands still.
 */

const TODAY = "2025-07-31";
let standby: Standby;
const cookies = { head: "", staff: "" };
const ids = { staff: 0 };

type PlanList = Awaited<ReturnType<typeof plansLoader>>;

/** Calls a loader or action the way the HTTP server does: on the database chosen for the request. */
function serve(handler: Parameters<typeof call>[0], request: Request, params: Record<string, string> = {}) {
  return withDatabaseFor(request, async () => {
    const result = await call(handler, request, params);
    // A failure (a write refused by the read-only replica) is the test's failure, not a status.
    if (result instanceof Error) throw result;
    return { result, db: getDb() };
  });
}

/** The browser's cookies after a response that set the written cookie. */
function withWritten(cookie: string, written: string | null): string {
  return `${cookie}; ${(written ?? "").split(";")[0]}`;
}

function replicaDb() {
  const replica = getReplicaDb();
  if (!replica) throw new Error("DATABASE_REPLICA_URL opened no replica");
  return replica;
}

async function planIdsOn(db: ReturnType<typeof getDb>): Promise<number[]> {
  const rows = await db.selectFrom("plans").select("id").orderBy("id").execute();
  return rows.map((row) => row.id);
}

async function lastSeen(db: ReturnType<typeof getDb>, userId: number): Promise<string[]> {
  const rows = await db.selectFrom("sessions").select("last_seen_at").where("user_id", "=", userId).execute();
  return rows.map((row) => row.last_seen_at);
}

beforeAll(async () => {
  vi.stubEnv("QUARTERDECK_TODAY", TODAY);
  const head = await makeUser("head");
  const staff = await makeUser("staff");
  ids.staff = staff.id;
  cookies.head = await signIn(head.email);
  cookies.staff = await signIn(staff.email);
  standby = await startStandby(defined(process.env.DATABASE_URL));
  process.env.DATABASE_REPLICA_URL = standby.url;
  await standby.caughtUp();
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await closeDb();
  delete process.env.DATABASE_REPLICA_URL;
  standby?.stop();
});

describe("a read replica", () => {
  it("serves views from the replica and posts from the primary, and a browser that wrote reads its own write while the replica lags", async () => {
    const replica = replicaDb();
    const primary = getPrimaryDb();
    expect(replica).not.toBe(primary);

    // Views of a browser that has not written: the replica (the dashboard reads only there).
    const dashboard = await serve(dashboardLoader, get("/", cookies.staff));
    expect(statusOf(dashboard.value.result)).toBe(200);
    expect(dashboard.value.db).toBe(replica);
    expect(dashboard.written).toBeNull();

    await standby.pauseReplay();
    // A post goes to the primary and hands back where the primary stood after it.
    const request = post("/plans", { intent: "create-plan", fiscalYear: "2025", quarter: "3", source: "empty", language: "en" }, cookies.head);
    const created = await serve(plansAction, request);
    expect(created.value.db).toBe(primary);
    expect(statusOf(created.value.result)).toBe(302);
    const planId = Number((created.value.result as Response).headers.get("Location")?.split("/").pop());
    expect(await planIdsOn(primary)).toContain(planId);
    // The replica stands still: the new plan is only on the primary.
    expect(await planIdsOn(replica)).not.toContain(planId);
    expect(created.written).toMatch(new RegExp(`^${WRITTEN_COOKIE}=[0-9A-F]+/[0-9A-F]+; Path=/; HttpOnly; SameSite=Lax$`));

    // The writer's next views read the primary: its own plan is there, on the list and its page.
    const headCookie = withWritten(cookies.head, created.written);
    const ownList = await serve(plansLoader, get("/plans", headCookie));
    expect(ownList.value.db).toBe(primary);
    expect(payloadOf<PlanList>(ownList.value.result).plans.map((plan) => plan.id)).toContain(planId);
    const ownPage = await serve(planLoader, get(`/plans/${planId}`, headCookie), { planId: String(planId) });
    expect(statusOf(ownPage.value.result)).toBe(200);

    // Another browser's view meanwhile reads the lagging replica: no new plan yet.
    const otherList = await serve(plansLoader, get("/plans", cookies.staff));
    expect(otherList.value.db).toBe(replica);
    expect(payloadOf<PlanList>(otherList.value.result).plans.map((plan) => plan.id)).not.toContain(planId);

    await standby.resumeReplay();
    await standby.caughtUp();
    // Caught up: the other browser sees the plan, and the writer's views go back to the replica.
    const caughtUp = await serve(plansLoader, get("/plans", cookies.staff));
    expect(caughtUp.value.db).toBe(replica);
    expect(payloadOf<PlanList>(caughtUp.value.result).plans.map((plan) => plan.id)).toContain(planId);
    expect(await databaseFor(get("/plans", headCookie))).toBe(replica);
  });

  it("touches a session on a view on the primary, while the replica stands still", async () => {
    const replica = replicaDb();
    const primary = getPrimaryDb();
    // Last seen ten minutes ago by the database's clock, so the next view touches the session.
    await primary
      .updateTable("sessions")
      .set({ last_seen_at: sql<string>`to_char((now() at time zone 'UTC') - interval '10 minutes', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')` })
      .where("user_id", "=", ids.staff)
      .execute();
    await standby.caughtUp();
    const replicaBefore = await lastSeen(replica, ids.staff);
    await standby.pauseReplay();
    try {
      // A write on the replica would fail (it is read-only): the view answers, the primary moved.
      const view = await serve(plansLoader, get("/plans", cookies.staff));
      expect(view.value.db).toBe(replica);
      expect(statusOf(view.value.result)).toBe(200);
      expect(await lastSeen(primary, ids.staff)).not.toEqual(replicaBefore);
      expect(await lastSeen(replica, ids.staff)).toEqual(replicaBefore);
    } finally {
      await standby.resumeReplay();
    }
  });

  it("keeps figures read from the replica under its replay position", async () => {
    const replica = replicaDb();
    await standby.caughtUp();
    expect(await databaseGeneration(replica)).toMatch(/^pg-replica:[0-9A-F]+\/[0-9A-F]+$/);
    const cache = new GenerationCache<number>(10);
    let computed = 0;
    const count = () =>
      cache.get(replica, "plans", async () => {
        computed += 1;
        return (await planIdsOn(replica)).length;
      });
    await standby.pauseReplay();
    try {
      const kept = await count();
      // A write on the primary the replica has not replayed: what the replica shows is unchanged,
      // and so is what is kept for it.
      const request = post("/plans", { intent: "create-plan", fiscalYear: "2025", quarter: "4", source: "empty", language: "en" }, cookies.head);
      expect(statusOf((await serve(plansAction, request)).value.result)).toBe(302);
      expect(await count()).toBe(kept);
      expect(computed).toBe(1);
      await standby.resumeReplay();
      await standby.caughtUp();
      // Replayed: the kept figure is not served again.
      expect(await count()).toBe(kept + 1);
      expect(computed).toBe(2);
    } finally {
      await standby.resumeReplay();
    }
  });

  it("routes through the real HTTP server and the built app: the post's answer carries the written cookie", async () => {
    const app = createHttpApp(await loadServerBuild());
    const server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
    });
    // the server listens on a TCP port
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      await standby.caughtUp();
      await standby.pauseReplay();
      try {
        const created = await fetch(`${base}/plans`, {
          method: "POST",
          body: new URLSearchParams({ intent: "create-plan", fiscalYear: "2025", quarter: "2", source: "empty", language: "en" }),
          headers: { Cookie: cookies.head },
          redirect: "manual",
        });
        expect(created.status).toBe(302);
        const location = defined(created.headers.get("Location") ?? undefined);
        const written = created.headers.getSetCookie().find((cookie) => cookie.startsWith(`${WRITTEN_COOKIE}=`));
        expect(written).toMatch(/^qd_written=[0-9A-F]+\/[0-9A-F]+;/);
        const planId = Number(location.split("/").pop());
        expect(await planIdsOn(replicaDb())).not.toContain(planId);
        // The writer's browser sends the cookie back: its view of the new plan is read on the primary.
        const own = await fetch(`${base}${location}`, { headers: { Cookie: withWritten(cookies.head, written ?? null) } });
        expect(own.status).toBe(200);
        const ownList = await (await fetch(`${base}/plans`, { headers: { Cookie: withWritten(cookies.head, written ?? null) } })).text();
        expect(ownList).toContain(`/plans/${planId}"`);
        // Another browser's list is read on the lagging replica.
        const otherList = await (await fetch(`${base}/plans`, { headers: { Cookie: cookies.staff } })).text();
        expect(otherList).not.toContain(`/plans/${planId}"`);
        expect(otherList).toContain("/plans/");
      } finally {
        await standby.resumeReplay();
      }
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("leaves a replica further behind than DATABASE_REPLICA_MAX_LAG_SECONDS aside until it catches up", async () => {
    await standby.caughtUp();
    await standby.pauseReplay();
    process.env.DATABASE_REPLICA_MAX_LAG_SECONDS = "0.5";
    forgetReplicaHealth();
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      // a commit the replica receives but does not replay, older than the bound by the time it is probed
      await makeUser("staff");
      await new Promise((resolve) => setTimeout(resolve, 1_200));
      const health = await replicaHealth(replicaDb());
      expect(health.state).toBe("lagging");
      expect(health.lagSeconds).toBeGreaterThan(0.5);
      expect(await databaseFor(get("/plans", cookies.staff))).toBe(getPrimaryDb());
      expect(warn.mock.calls.filter((args) => String(args[0]).startsWith("Read replica lagging"))).toHaveLength(1);
    } finally {
      warn.mockRestore();
      await standby.resumeReplay();
      delete process.env.DATABASE_REPLICA_MAX_LAG_SECONDS;
    }
    await standby.caughtUp();
    forgetReplicaHealth();
    expect(await databaseFor(get("/plans", cookies.staff))).toBe(getReplicaDb());
    forgetReplicaHealth();
  });

  it("ignores a written cookie that is not a WAL position", async () => {
    const forged = `${cookies.staff}; ${WRITTEN_COOKIE}=FFFFFFFF/FFFFFFFF'; DROP TABLE plans; --`;
    expect(writtenPosition(get("/plans", forged))).toBeNull();
    expect(await databaseFor(get("/plans", forged))).toBe(getReplicaDb());
    const view = await serve(plansLoader, get("/plans", forged));
    expect(statusOf(view.value.result)).toBe(200);
    // A position far ahead of the replica sends only that browser's views to the primary.
    expect(await databaseFor(get("/plans", `${cookies.staff}; ${WRITTEN_COOKIE}=FFFFFFFF/FFFFFFFF`))).toBe(getPrimaryDb());
    expect(await databaseFor(get("/plans", cookies.staff))).toBe(getReplicaDb());
  });

  it("is refused when DATABASE_URL is not PostgreSQL, or the replica's URL is not", () => {
    vi.stubEnv("DATABASE_URL", "/tmp/quarterdeck-replica-refused.db");
    expect(() => replicaUrl()).toThrow(/DATABASE_REPLICA_URL is set but DATABASE_URL names an SQLite file/);
    vi.unstubAllEnvs();
    vi.stubEnv("QUARTERDECK_TODAY", TODAY);
    vi.stubEnv("DATABASE_REPLICA_URL", "/tmp/replica.db");
    expect(() => replicaUrl()).toThrow(/DATABASE_REPLICA_URL must be a postgres/);
    vi.stubEnv("DATABASE_REPLICA_URL", standby.url);
    expect(replicaUrl()).toBe(standby.url);
  });
});
