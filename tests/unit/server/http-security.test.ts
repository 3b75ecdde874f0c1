import { describe, expect, it } from "vitest";

import { isCrossSiteWrite } from "~/server/http.server";

const own = "http://localhost:3000";

describe("cross-site write check", () => {
  it.each([
    ["GET from anywhere", "GET", { origin: "https://evil.example" }, false],
    ["same-origin POST", "POST", { origin: own, secFetchSite: "same-origin" }, false],
    ["POST without browser headers (CLI, API client)", "POST", {}, false],
    ["POST typed into the address bar", "POST", { secFetchSite: "none" }, false],
    ["foreign Origin", "POST", { origin: "https://evil.example" }, true],
    ["other port is another origin", "POST", { origin: "http://localhost:4000" }, true],
    ["cross-site fetch metadata", "POST", { secFetchSite: "cross-site" }, true],
    ["same-site but not same-origin", "DELETE", { secFetchSite: "same-site", origin: "http://app.localhost:3000" }, true],
    ["opaque origin", "PUT", { origin: "null" }, true],
  ])("%s", (_, method, headers, expected) => {
    expect(isCrossSiteWrite(method, headers, own)).toBe(expected);
  });
});
