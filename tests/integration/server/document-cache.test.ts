import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { getDb } from "~/server/db.server";
import { createHttpApp, loadServerBuild } from "~/server/http.server";
import { signedInAs } from "../../support/app";

// The real HTTP stack over the built app (npm test builds first): rendered pages are kept by the
// server's entry module, which only the built app runs.
let server: Server;
let base: string;
let keptDocuments: () => number;

beforeAll(async () => {
  const build = await loadServerBuild();
  // the built entry module exports keptDocuments beside Remix's own entry exports
  keptDocuments = (build.entry.module as unknown as { keptDocuments: () => number }).keptDocuments;
  const app = createHttpApp(build);
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

interface Seen {
  status: number;
  html: string;
  nonce: string;
}

async function view(path: string, cookie: string): Promise<Seen> {
  const response = await fetch(`${base}${path}`, { headers: { Cookie: cookie }, redirect: "manual" });
  const nonce = /'nonce-([^']+)'/.exec(response.headers.get("content-security-policy") ?? "")?.[1] ?? "";
  return { status: response.status, html: await response.text(), nonce };
}

/** The page with its nonce blanked out: what two views of unchanged data must share. */
const withoutNonce = (seen: Seen) => seen.html.split(seen.nonce).join("NONCE");

describe("rendered pages kept by their data", () => {
  it("answers a second view of unchanged data with the same page and the new request's nonce", async () => {
    const { cookie } = await signedInAs("head");
    const first = await view("/tasks", cookie);
    const kept = keptDocuments();
    expect(kept).toBeGreaterThan(0);
    const second = await view("/tasks", cookie);
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(first.nonce).not.toBe(second.nonce);
    // Every script carries the nonce the Content-Security-Policy header of its own response names.
    const scripts = second.html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) expect(script).toContain(`nonce="${second.nonce}"`);
    expect(second.html).not.toContain(first.nonce);
    expect(withoutNonce(second)).toBe(withoutNonce(first));
    // The second view was served from the kept page, not rendered and kept again.
    expect(keptDocuments()).toBe(kept);
  });

  it("renders again when the data changes, so a kept page is never shown for changed figures", async () => {
    const { user, cookie } = await signedInAs("head");
    const before = await view("/tasks", cookie);
    expect(before.html).toContain(user.name);
    await getDb().updateTable("users").set({ name: "Renamed Head" }).where("id", "=", user.id).execute();
    const after = await view("/tasks", cookie);
    expect(after.status).toBe(200);
    expect(after.html).toContain("Renamed Head");
    expect(after.html).not.toContain(`>${user.name}<`);
  });

  it("keeps each viewer's page apart: another user at the same address sees their own", async () => {
    const head = await signedInAs("head");
    const staff = await signedInAs("staff");
    const headPage = await view("/tasks", head.cookie);
    const staffPage = await view("/tasks", staff.cookie);
    expect(headPage.html).toContain(head.user.name);
    expect(staffPage.html).toContain(staff.user.name);
    expect(staffPage.html).not.toContain(`>${head.user.name}<`);
  });

  it("keeps no error page: it is rendered each time", async () => {
    const { cookie } = await signedInAs("head");
    const missing = await view("/plans/999999", cookie);
    expect(missing.status).toBe(404);
    const kept = keptDocuments();
    const again = await view("/plans/999999", cookie);
    expect(again.status).toBe(404);
    expect(keptDocuments()).toBe(kept);
  });
});
