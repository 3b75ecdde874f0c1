import { describe, expect, it } from "vitest";

import { FORGET_AFTER_SECONDS, MAX_WAIT_SECONDS, secondsUntilAllowed, waitSecondsAfter } from "~/kernel/login-throttle";

describe("login back-off", () => {
  it.each([
    [0, 0],
    [4, 0],
    [5, 2],
    [6, 4],
    [10, 64],
    [20, MAX_WAIT_SECONDS],
    [1000, MAX_WAIT_SECONDS],
  ])("after %i failures waits %i s", (failures, seconds) => {
    expect(waitSecondsAfter(failures)).toBe(seconds);
  });

  const now = new Date("2026-11-23T12:00:00.000Z");
  const ago = (s: number) => new Date(now.getTime() - s * 1000).toISOString();

  it.each([
    ["no failures", undefined, 0],
    ["few failures", { failures: 3, lastFailureAt: ago(0) }, 0],
    ["fresh back-off", { failures: 6, lastFailureAt: ago(1) }, 3],
    ["back-off passed", { failures: 6, lastFailureAt: ago(10) }, 0],
    ["capped, not locked", { failures: 50, lastFailureAt: ago(MAX_WAIT_SECONDS) }, 0],
    ["forgotten after a day", { failures: 50, lastFailureAt: ago(FORGET_AFTER_SECONDS) }, 0],
  ])("%s", (_, state, expected) => {
    expect(secondsUntilAllowed(state, now)).toBe(expected);
  });
});
