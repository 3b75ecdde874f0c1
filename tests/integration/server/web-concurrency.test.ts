import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import http from "node:http";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { webConcurrency } from "~/server/env.server";
import { TEST_PASSWORD, makeUser } from "../../support/app";
import { freePort } from "../../support/free-port";

/**
 * `npm start` with WEB_CONCURRENCY=2 on the test's database: the first process prepares the
 * database and runs the jobs, two worker processes serve the port in turn. A session made through
 * one worker holds on the other, and a worker that dies is replaced.
 */

let server: ChildProcess;
let origin = "";
let email = "";

/** Every process as pid, parent and command name. */
function processTable(): { pid: number; parent: number; command: string }[] {
  return execFileSync("ps", ["-e", "-o", "pid=,ppid=,comm="])
    .toString()
    .trim()
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .map(([pid, parent, command]) => ({ pid: Number(pid), parent: Number(parent), command: command ?? "" }));
}

/**
 * The worker processes: the Node processes whose parent is the first app process (tsx starts the
 * app as its child; the first app process has the workers and esbuild's service as its own).
 */
function workers(): number[] {
  const table = processTable();
  const nodes = table.filter((row) => row.command === "node");
  const primary = nodes.find((row) => row.parent === server.pid);
  return nodes.filter((row) => primary !== undefined && row.parent === primary.pid).map((row) => row.pid);
}

function request(path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders }>((resolve, reject) => {
    // A new connection each time, so the workers take turns.
    const req = http.request(`${origin}${path}`, { method: init.method ?? "GET", headers: { ...init.headers, Connection: "close" } }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on("error", reject);
    req.end(init.body);
  });
}

beforeAll(async () => {
  // A database with a user is not empty: the start seeds no demo and is quick.
  email = (await makeUser("head")).email;
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  server = spawn("node_modules/.bin/tsx", ["db/cli/start.ts"], {
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", WEB_CONCURRENCY: "2" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`The app did not start within 120 s:\n${output}`)), 120_000);
    server.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("with 2 processes")) {
        clearTimeout(timer);
        resolve();
      }
    });
    server.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    server.once("exit", (code) => reject(new Error(`The app exited with ${code}:\n${output}`)));
  });
}, 150_000);

afterAll(async () => {
  if (server.exitCode === null) {
    const exited = new Promise((resolve) => server.once("exit", resolve));
    server.kill("SIGTERM");
    await exited;
  }
});

describe("WEB_CONCURRENCY", () => {
  it("reads unset as one process, auto as the cores, and refuses what is not a count", () => {
    expect(webConcurrency(undefined, 8)).toBe(1);
    expect(webConcurrency(" ", 8)).toBe(1);
    expect(webConcurrency("3", 8)).toBe(3);
    expect(webConcurrency("auto", 2)).toBe(2);
    for (const bad of ["0", "-1", "two", "1.5", "65"]) expect(() => webConcurrency(bad, 8)).toThrow(/WEB_CONCURRENCY/);
  });

  it("serves one port from two processes, and a session made through one holds on the other", async () => {
    expect(workers()).toHaveLength(2);
    const signIn = await request("/login", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: origin, "Sec-Fetch-Site": "same-origin" },
      body: new URLSearchParams({ email, password: TEST_PASSWORD }).toString(),
    });
    expect(signIn.status).toBe(302);
    const cookie = (signIn.headers["set-cookie"] ?? []).map((line) => line.split(";")[0]).join("; ");
    const answers = await Promise.all(Array.from({ length: 8 }, () => request("/plans", { headers: { Cookie: cookie } })));
    expect(answers.map((answer) => answer.status)).toEqual(Array(8).fill(200));
  });

  it("replaces a worker that dies", async () => {
    const [victim, survivor] = workers();
    expect(victim).toBeDefined();
    process.kill(victim ?? -1, "SIGKILL");
    await expect.poll(() => workers().filter((pid) => pid !== victim), { timeout: 60_000, interval: 250 }).toHaveLength(2);
    expect(workers()).toContain(survivor);
    const answers = await Promise.all(Array.from({ length: 4 }, () => request("/login")));
    expect(answers.map((answer) => answer.status)).toEqual(Array(4).fill(200));
  }, 90_000);
});
