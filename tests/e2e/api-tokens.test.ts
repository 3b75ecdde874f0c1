import { describe, expect, inject, it } from "vitest";

import { baseURL, expectAccessible, signedInPage, useBrowser } from "./support/browser";

const browser = useBrowser();

async function askKpis(token: string) {
  const asOf = inject("today");
  const response = await fetch(`${baseURL()}/api/kpis?${new URLSearchParams({ asOf, scope: "company" })}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  return { status: response.status, type: response.headers.get("Content-Type"), body: (await response.json()) as Record<string, unknown> };
}

describe("personal API tokens on the settings page", () => {
  it("creates a token shown once, which reads /api/kpis until it is revoked", async () => {
    const { page, assertClean } = await signedInPage(browser, "leader");
    await page.goto(`${baseURL()}/settings`);
    const section = page.getByRole("region", { name: "API tokens" });
    await expect.poll(() => section.getByText("You have no API tokens.").count()).toBe(1);
    await expectAccessible(page);

    // the shared schema refuses a bad expiry before anything is posted
    await section.getByLabel("Name", { exact: true }).fill("E2E nightly report");
    await section.getByLabel("Expires after (days)").fill("0");
    await section.getByRole("button", { name: "Create token" }).click();
    await expect.poll(() => section.getByText("Whole days from 1 to 365, or leave empty.").count()).toBe(1);

    await section.getByLabel("Expires after (days)").fill("7");
    await section.getByRole("button", { name: "Create token" }).click();
    const shown = section.getByLabel("Your new token");
    await expect.poll(() => shown.count()).toBe(1);
    const token = await shown.inputValue();
    expect(token).toMatch(/^qd_[A-Za-z0-9_-]{43}$/);
    await expect.poll(() => section.getByRole("cell", { name: "E2E nightly report", exact: true }).count()).toBe(1);
    expect(await section.getByLabel("Name", { exact: true }).inputValue()).toBe("");
    await expectAccessible(page);

    const answer = await askKpis(token);
    expect(answer.status).toBe(200);
    expect(answer.type).toMatch(/^application\/json/);
    expect(answer.body).toMatchObject({ scope: "company", currency: "CNY" });
    expect(typeof answer.body.ar_total).toBe("number");

    // shown once: a fresh visit lists the token by name and prefix only
    await page.goto(`${baseURL()}/settings`);
    await expect.poll(() => section.getByRole("cell", { name: "E2E nightly report", exact: true }).count()).toBe(1);
    expect(await section.getByLabel("Your new token").count()).toBe(0);
    expect(await page.content()).not.toContain(token);
    await expect.poll(() => section.getByRole("cell", { name: token.slice(0, 9) + "…" }).count()).toBe(1);

    await section.getByRole("button", { name: "Revoke token E2E nightly report" }).click();
    await expect.poll(() => section.getByRole("status").textContent()).toContain("revoked; it no longer works");
    await expect.poll(() => section.getByRole("cell", { name: "E2E nightly report", exact: true }).count()).toBe(0);
    await expectAccessible(page);

    const refused = await askKpis(token);
    expect(refused).toEqual({ status: 401, type: expect.stringMatching(/^application\/json/), body: { error: "the API token has been revoked" } });
    assertClean();
    await page.close();
  });
});
