import { describe, expect, it } from "vitest";

import { withAppDb } from "./support/app-db";
import { baseURL, expectAccessible, signedInPage, useBrowser } from "./support/browser";

const browser = useBrowser();

/** The demo's most pressing open warning (the first the head's dashboard lists) and its owner's sign-in name. */
function topOpenWarning() {
  return withAppDb(async (db) => {
    const rows = await db
      .selectFrom("warnings as w")
      .innerJoin("users as u", "u.id", "w.owner_id")
      .select(["w.id", "w.severity", "w.state", "w.raised_on", "u.email"])
      .where("w.state", "in", ["open", "acknowledged"])
      .orderBy("w.raised_on", "desc")
      .orderBy("w.id", "desc")
      .execute();
    const rank = { critical: 0, warning: 1, info: 2 } as const;
    const first = [...rows].sort((a, b) => rank[a.severity] - rank[b.severity])[0];
    if (!first || first.state !== "open") throw new Error("the demo has no open warning at the top of the dashboard");
    return { id: first.id, signInName: first.email.replace(/@demo\.quarterdeck$/, "") };
  });
}

describe("early warnings", () => {
  it("the head sees a warning on the dashboard, opens it and acknowledges it with a note; its owner sees it on My tasks", async () => {
    const warning = await topOpenWarning();
    const note = "Called the buyer; payment promised for next week";

    const { page, assertClean } = await signedInPage(browser, "head");
    const panel = page.locator(".warnings-panel");
    await expect.poll(() => panel.getByRole("heading", { level: 2 }).textContent()).toBe("Early warnings");
    expect(await page.locator(".alert--warn", { hasText: "Early warnings:" }).count()).toBe(1);
    await panel.locator(`#warning-${warning.id} a`).first().click();
    await page.waitForURL(`${baseURL()}/warnings/${warning.id}`);
    await expectAccessible(page);
    await page.getByLabel("Note").fill(note);
    await page.getByRole("button", { name: "Acknowledge" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toBe("The warning is acknowledged.");
    await expect.poll(() => page.locator(".warning-detail").textContent()).toContain(note);
    expect(await page.locator(".warning-detail").textContent()).toContain("Acknowledged");
    const stored = await withAppDb((db) => db.selectFrom("warnings").select(["state", "note"]).where("id", "=", warning.id).executeTakeFirstOrThrow());
    expect(stored).toEqual({ state: "acknowledged", note });
    assertClean();
    await page.close();

    const owner = await signedInPage(browser, warning.signInName);
    await owner.page.goto(`${baseURL()}/tasks`);
    const row = owner.page.locator(`.warnings-panel #warning-${warning.id}`);
    await expect.poll(() => row.textContent()).toMatch(/Acknowledged|已确认/);
    await expectAccessible(owner.page);
    owner.assertClean();
    await owner.page.close();
  });
});
