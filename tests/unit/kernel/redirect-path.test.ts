import { describe, expect, it } from "vitest";

import { isSafeRedirectPath, safeRedirectPath } from "~/kernel/redirect-path";

describe("isSafeRedirectPath", () => {
  it.each(["/", "/plans/3", "/plans/3/items/7?tab=history#notes", "/tasks?status=open", "/customers/C%20001", "/review/2025", "/~user", "/@x"])(
    "accepts the path on this site %s",
    (to) => expect(isSafeRedirectPath(to)).toBe(true),
  );

  it.each([
    ["/\t/evil.example/phish", "a tab Chromium drops, leaving //evil.example"],
    ["//evil.example", "protocol-relative"],
    ["/\\evil.example", "backslash read as a slash"],
    ["\\/evil.example", "leading backslash"],
    ["/\r\nSet-Cookie: x=1", "CR/LF header injection"],
    ["/\nevil", "newline"],
    ["/\u0000", "NUL"],
    ["https://evil.example/", "absolute URL"],
    ["javascript:alert(1)", "script URL"],
    ["evil.example", "relative without slash"],
    ["", "empty"],
    [" /plans", "leading space"],
    ["/" + "a".repeat(2048), "too long"],
  ])("refuses %j (%s)", (to) => {
    expect(isSafeRedirectPath(to)).toBe(false);
  });

  it("keeps an encoded tab, which browsers leave in the path, on this site", () => {
    expect(isSafeRedirectPath("/%09/evil.example")).toBe(true);
    expect(new URL("/%09/evil.example", "http://quarterdeck.invalid").host).toBe("quarterdeck.invalid");
  });

  it("falls back for anything unsafe or missing", () => {
    expect(safeRedirectPath("/\t/evil.example/phish")).toBe("/");
    expect(safeRedirectPath(null, "/credit/holds")).toBe("/credit/holds");
    expect(safeRedirectPath("/plans")).toBe("/plans");
  });
});
