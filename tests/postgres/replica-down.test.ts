import type { Server } from "node:http";
import net, { type AddressInfo } from "node:net";

import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { closeDb, getPrimaryDb, getReplicaDb } from "~/server/db.server";
import { createHttpApp, loadServerBuild } from "~/server/http.server";
import { databaseFor, forgetReplicaHealth, replicaHealth, withDatabaseFor } from "~/server/replica.server";
import { loader as plansLoader } from "~/routes/_app.plans._index";
import { defined } from "../support/defined";
import { call, get, makeUser, signIn, statusOf } from "../support/app";

/**
 * DATABASE_REPLICA_URL naming a replica that does not answer (a closed port): views read from the
 * primary instead of failing, the change is logged once, and /readyz stays ready while saying the
 * replica is degraded. When the replica answers again, views go back to it.
 */

let cookie = "";
let closedPortUrl = "";

/** A TCP port nothing listens on: one the system just gave out and took back. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function useReplica(url: string): Promise<void> {
  await closeDb();
  process.env.DATABASE_REPLICA_URL = url;
  forgetReplicaHealth();
}

async function readyz(): Promise<{ status: number; body: Record<string, unknown> }> {
  const app = createHttpApp(await loadServerBuild());
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  try {
    // the server listens on a TCP port
    const answer = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/readyz`);
    return { status: answer.status, body: (await answer.json()) as Record<string, unknown> };
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

beforeAll(async () => {
  const head = await makeUser("head");
  cookie = await signIn(head.email);
  const primary = new URL(defined(process.env.DATABASE_URL));
  primary.port = String(await closedPort());
  closedPortUrl = primary.toString();
});

afterAll(async () => {
  await closeDb();
  delete process.env.DATABASE_REPLICA_URL;
  forgetReplicaHealth();
});

describe("a read replica that does not answer", () => {
  it("sends views to the primary, which answer as usual, and logs the change once", async () => {
    await useReplica(closedPortUrl);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      expect(getReplicaDb()).not.toBeNull();
      expect(await databaseFor(get("/plans", cookie))).toBe(getPrimaryDb());
      const view = await withDatabaseFor(get("/plans", cookie), async () => call(plansLoader, get("/plans", cookie)));
      expect(statusOf(view.value)).toBe(200);
      // a second and third view: still the primary, nothing more logged
      expect(await databaseFor(get("/plans", cookie))).toBe(getPrimaryDb());
      expect(await databaseFor(get("/", cookie))).toBe(getPrimaryDb());
      const replicaLines = warn.mock.calls.filter((args) => String(args[0]).startsWith("Read replica"));
      expect(replicaLines).toHaveLength(1);
      expect(String(replicaLines[0]?.[0])).toMatch(/^Read replica unreachable: views read from the primary/);
    } finally {
      warn.mockRestore();
    }
  });

  it("leaves /readyz ready, its body saying the replica is degraded", async () => {
    await useReplica(closedPortUrl);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      const { status, body } = await readyz();
      expect(status).toBe(200);
      expect(body).toMatchObject({ ready: true, checks: { database: "ok", migrations: "current", replica: "degraded" }, replica: { state: "unreachable", lagSeconds: null } });
    } finally {
      warn.mockRestore();
    }
  });

  it("goes back to the replica once it answers, logging that once", async () => {
    await useReplica(closedPortUrl);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const info = vi.spyOn(console, "info").mockImplementation(() => undefined);
    try {
      expect(await databaseFor(get("/plans", cookie))).toBe(getPrimaryDb());
      // The replica answers again: here the primary's own address stands in for a caught-up replica.
      await closeDb();
      process.env.DATABASE_REPLICA_URL = defined(process.env.DATABASE_URL);
      const replica = defined(getReplicaDb() ?? undefined);
      expect((await replicaHealth(replica)).state).toBe("ok");
      expect(await databaseFor(get("/plans", cookie))).toBe(replica);
      expect(await databaseFor(get("/plans", cookie))).toBe(replica);
      expect(info.mock.calls.filter((args) => String(args[0]).startsWith("Read replica is back"))).toHaveLength(1);
      const { status, body } = await readyz();
      expect(status).toBe(200);
      expect(body).toMatchObject({ ready: true, checks: { replica: "ok" }, replica: { state: "ok" } });
    } finally {
      warn.mockRestore();
      info.mockRestore();
    }
  });
});
