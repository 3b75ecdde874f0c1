import fs from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";

import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createDb, databaseUrl, getDb, isPostgresUrl } from "~/server/db.server";
import { readiness } from "~/server/health.server";
import { createHttpApp, loadServerBuild } from "~/server/http.server";
import { TEST_PASSWORD, makeUser } from "../../support/app";

// The real HTTP stack over the built app (npm test builds first): headers and CSRF live here.
let server: Server;
let base: string;

beforeAll(async () => {
  const app = createHttpApp(await loadServerBuild());
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

function loginBody(email: string) {
  return new URLSearchParams({ email, password: TEST_PASSWORD });
}

describe("bodies that are not forms", () => {
  const routes = ["/login", "/set-locale", "/logout", "/settings", "/plans", "/tasks", "/credit/grades", "/customers/C1/actions/new", "/import"];
  it.each<[string, string, string | Blob]>([
    ["JSON", "application/json", '{"email":"a@b.c"}'],
    ["text/plain", "text/plain", "email=a@b.c"],
    ["no content type", "", new Blob(["x"])],
    ["multipart without a boundary", "multipart/form-data", "--x\r\n"],
  ])("answers %s with 415 and a sentence on every action route, signed in or not", async (_name, type, body) => {
    for (const route of routes) {
      const response = await fetch(`${base}${route}`, { method: "POST", body, headers: type ? { "Content-Type": type } : {}, redirect: "manual" });
      expect(response.status, route).toBe(415);
      expect(await response.text()).toMatch(/application\/x-www-form-urlencoded or multipart\/form-data/);
    }
  });

  it("answers a broken multipart body with 400 and a sentence, not a 500", async () => {
    const broken = '--b0undary\r\nContent-Disposition: form-data; name="locale"\r\n\r\nen';
    for (const route of ["/login", "/set-locale"]) {
      const response = await fetch(`${base}${route}`, {
        method: "POST",
        body: broken,
        headers: { "Content-Type": "multipart/form-data; boundary=b0undary" },
        redirect: "manual",
      });
      expect(response.status, route).toBe(400);
      expect(await response.text()).toContain("The form could not be read");
    }
  });

  it("still reads a real form post", async () => {
    const response = await fetch(`${base}/set-locale`, {
      method: "POST",
      body: new URLSearchParams({ locale: "en", redirectTo: "/login" }),
      redirect: "manual",
    });
    expect(response.status).toBe(302);
  });
});

describe("health checks for operators", () => {
  it("answers /healthz and /readyz without a session, with the security headers", async () => {
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
    expect(health.headers.get("x-content-type-options")).toBe("nosniff");
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, checks: { database: "ok", migrations: "current", imports: "ok" } });
  });

  it("is not ready before the database is migrated, and names the migrations still to run", async () => {
    // A new, empty database beside the test's own: an SQLite file, or a database on the same PostgreSQL server.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qd-readyz-"));
    const server = isPostgresUrl(databaseUrl()) ? new URL(databaseUrl()) : null;
    const freshName = `${server?.pathname.slice(1) ?? ""}_fresh`;
    if (server) await sql`CREATE DATABASE ${sql.id(freshName)}`.execute(getDb());
    const fresh = createDb(server ? Object.assign(new URL(server), { pathname: `/${freshName}` }).toString() : path.join(dir, "fresh.db"));
    try {
      const answer = await readiness(fresh);
      expect(answer).toMatchObject({ ready: false, checks: { database: "ok", migrations: "pending" } });
      expect(answer.pendingMigrations.length).toBeGreaterThan(0);
    } finally {
      await fresh.destroy();
      if (server) await sql`DROP DATABASE ${sql.id(freshName)} WITH (FORCE)`.execute(getDb());
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("is not ready while an import has been running for longer than any import takes", async () => {
    // started long before any clock this test could run at: stuck by any measure
    const startedAt = "2000-01-03T08:00:00.000Z";
    const run = await getDb()
      .insertInto("import_runs")
      .values({ user_id: null, source: "cli", status: "running", files: "[]", summary: null, report: null, started_at: startedAt, finished_at: null })
      .returning("id")
      .executeTakeFirstOrThrow();
    try {
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ ready: false, checks: { imports: "stuck" }, stuckImports: [run.id] });
    } finally {
      await getDb().deleteFrom("import_runs").where("id", "=", run.id).execute();
    }
  });
});

describe("HTTP front", () => {
  it.each(["/login", "/favicon.svg", "/no-such-page"])("sends the security headers on %s", async (path) => {
    const response = await fetch(`${base}${path}`, { redirect: "manual" });
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(/default-src 'self'/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("referrer-policy")).toBe("same-origin");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("x-powered-by")).toBeNull();
  });

  it("puts the CSP nonce on the page's scripts", async () => {
    const response = await fetch(`${base}/login`);
    const nonce = /'nonce-([^']+)'/.exec(response.headers.get("content-security-policy") ?? "")?.[1];
    const html = await response.text();
    expect(nonce).toBeTruthy();
    expect(html).toContain(`nonce="${nonce}"`);
  });

  it("serves the files of public and the built assets as files, with their caching, and pages from the app", async () => {
    const icon = await fetch(`${base}/favicon.svg`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get("content-type")).toMatch(/image\/svg\+xml/);
    expect(icon.headers.get("cache-control")).toBe("public, max-age=3600");
    expect(await icon.text()).toBe(fs.readFileSync("public/favicon.svg", "utf8"));
    const asset = fs.readdirSync("public/build").find((name) => name.endsWith(".js"));
    expect(asset).toBeDefined();
    const built = await fetch(`${base}/build/${asset}`);
    expect(built.status).toBe(200);
    expect(built.headers.get("cache-control")).toMatch(/max-age=31536000/);
    // A page whose name is not a file goes to the app, and a public file's name with more after it is no file.
    const login = await fetch(`${base}/login`);
    expect(login.status).toBe(200);
    expect(await login.text()).toContain("<html");
    const beyond = await fetch(`${base}/favicon.svg/more`);
    expect(beyond.status).toBe(404);
  });

  it("answers an unknown page with a 404 page a user can act on", async () => {
    const response = await fetch(`${base}/no-such-page`);
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('href="/"');
  });

  it.each([
    ["a foreign Origin", { Origin: "https://evil.example" }],
    ["Sec-Fetch-Site cross-site", { "Sec-Fetch-Site": "cross-site" }],
    ["an opaque Origin", { Origin: "null" }],
  ])("refuses a cross-site POST with %s and starts no session", async (_, headers) => {
    const user = await makeUser("head");
    const response = await fetch(`${base}/login`, {
      method: "POST",
      body: loginBody(user.email),
      headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
      redirect: "manual",
    });
    expect(response.status).toBe(403);
    expect(response.headers.get("set-cookie")).toBeNull();
    const sessions = await getDb().selectFrom("sessions").select("id").where("user_id", "=", user.id).execute();
    expect(sessions).toHaveLength(0);
  });

  it("sends Retry-After with the sign-in page's 429, as the form says how long to wait", async () => {
    const user = await makeUser("staff");
    let response: Response | undefined;
    for (let attempt = 0; attempt < 20; attempt++) {
      response = await fetch(`${base}/login`, {
        method: "POST",
        body: new URLSearchParams({ email: user.email, password: "not the password" }),
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: base, "Sec-Fetch-Site": "same-origin" },
        redirect: "manual",
      });
      if (response.status === 429) break;
      // a wrong password is refused at the form
      expect(response.status).toBe(400);
    }
    expect(response?.status).toBe(429);
    expect(Number(response?.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await response?.text()).toContain("Too many");
    // The back-off counts this address too: the other tests sign in from it.
    await getDb().deleteFrom("login_throttle").execute();
  });

  it("accepts a same-origin POST", async () => {
    const user = await makeUser("head");
    const response = await fetch(`${base}/login`, {
      method: "POST",
      body: loginBody(user.email),
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: base, "Sec-Fetch-Site": "same-origin" },
      redirect: "manual",
    });
    expect(response.status).toBe(302);
    expect(response.headers.get("set-cookie")).toMatch(/qd_session=/);
  });
});
