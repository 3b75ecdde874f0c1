import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { trustProxySetting } from "~/server/env.server";
import { createHttpApp, loadServerBuild } from "~/server/http.server";
import { TEST_PASSWORD, makeUser } from "../../support/app";

/**
 * The app behind a real TLS-terminating proxy, as the README's `TRUST_PROXY=1` describes: a small
 * Node HTTPS proxy (a self-signed certificate kept for tests only) forwards to the app over plain
 * HTTP with X-Forwarded-Proto and X-Forwarded-For, as nginx or Caddy would.
 */
const tls = {
  key: fs.readFileSync("tests/fixtures/tls/localhost-key.pem"),
  cert: fs.readFileSync("tests/fixtures/tls/localhost-cert.pem"),
};
const servers: { close(callback: () => void): void }[] = [];

async function listen(server: http.Server | https.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push(server);
  return (server.address() as AddressInfo).port;
}

/** Starts the app with `trustProxy` and a TLS proxy in front of it; returns the proxy's origin. */
async function appBehindProxy(trustProxy: ReturnType<typeof trustProxySetting>): Promise<string> {
  const appPort = await listen(http.createServer(createHttpApp(await loadServerBuild(), { trustProxy })));
  const proxy = https.createServer(tls, (req, res) => {
    const upstream = http.request(
      {
        host: "127.0.0.1",
        port: appPort,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, "x-forwarded-proto": "https", "x-forwarded-for": "198.51.100.23" },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  return `https://localhost:${await listen(proxy)}`;
}

/** A request through the proxy, trusting the test certificate. */
function request(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders }>((resolve, reject) => {
    const req = https.request(url, { method: init.method ?? "GET", headers: init.headers, ca: tls.cert }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on("error", reject);
    req.end(init.body);
  });
}

let email = "";
beforeAll(async () => {
  email = (await makeUser("head")).email;
});

afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
});

describe("TRUST_PROXY", () => {
  it.each([
    [undefined, false],
    ["", false],
    ["0", false],
    ["false", false],
    ["true", true],
    ["1", 1],
    ["2", 2],
    ["loopback", "loopback"],
    ["10.0.0.0/8, 127.0.0.1", "10.0.0.0/8, 127.0.0.1"],
  ] as const)("reads %j as %j", (raw, expected) => {
    expect(trustProxySetting(raw)).toEqual(expected);
  });

  it("TRUST_PROXY=1 behind a TLS proxy: a same-origin sign-in is accepted, the cookie is Secure, HSTS is sent", async () => {
    const origin = await appBehindProxy(trustProxySetting("1"));
    const page = await request(`${origin}/login`);
    expect(page.status).toBe(200);
    expect(page.headers["strict-transport-security"]).toMatch(/max-age=\d+/);
    const signIn = await request(`${origin}/login`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: origin, "Sec-Fetch-Site": "same-origin" },
      body: new URLSearchParams({ email, password: TEST_PASSWORD }).toString(),
    });
    expect(signIn.status).toBe(302);
    const cookie = (signIn.headers["set-cookie"] ?? []).join("\n");
    expect(cookie).toMatch(/qd_session=/);
    expect(cookie).toMatch(/; Secure/i);
  });

  it("without TRUST_PROXY the same proxy's posts look cross-site and are refused, as before", async () => {
    const origin = await appBehindProxy(false);
    const signIn = await request(`${origin}/login`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: origin, "Sec-Fetch-Site": "same-origin" },
      body: new URLSearchParams({ email, password: TEST_PASSWORD }).toString(),
    });
    expect(signIn.status).toBe(403);
  });
});
