import { describe, expect, it } from "vitest";

import { baseURL, expectAccessible, signedInPage, switchLanguage, useBrowser } from "./support/browser";

const browser = useBrowser();

describe("forecast against actual", () => {
  it("head: the forecast page puts the kept weekly forecasts beside what came in, in both languages", async () => {
    const { page, assertClean } = await signedInPage(browser, "head");
    // the server's background job keeps the forecasts at its first run; reload until it has
    await expect
      .poll(
        async () => {
          await page.goto(`${baseURL()}/forecast`);
          return page.getByTestId("forecast-wape").count();
        },
        { timeout: 90_000, interval: 2000 },
      )
      .toBe(1);
    const panel = page.getByRole("region", { name: "Weekly forecasts kept when each week started, beside what came in" });
    await expect.poll(() => panel.getByRole("columnheader").allTextContents()).toEqual([
      "Week",
      "Forecast at the week's start",
      "Low–high",
      "Came in",
      "Error",
      "Error %",
      "Forecast 4 weeks ahead",
    ]);
    expect(await panel.locator("tbody tr").count()).toBe(13);
    expect(await page.getByTestId("forecast-wape").textContent()).toMatch(/off by \d+\.\d %/);
    await expectAccessible(page);

    await switchLanguage(page, "zh-CN");
    await expect.poll(() => page.getByRole("heading", { name: "预测与实际对比" }).count()).toBe(1);
    expect(await page.getByTestId("forecast-wape").textContent()).toContain("偏差为");
    await switchLanguage(page, "en");
    assertClean();
  });
});
