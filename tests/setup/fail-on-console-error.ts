import { afterEach, beforeEach, vi } from "vitest";

// A console.error during a test is a defect the test did not assert on: the test fails after it.
let logged: string[] = [];

beforeEach(() => {
  logged = [];
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    logged.push(args.map((a) => (a instanceof Error ? a.stack ?? a.message : String(a))).join(" "));
  });
});

afterEach(() => {
  vi.mocked(console.error).mockRestore();
  if (logged.length > 0) throw new Error(`console.error was called:\n${logged.join("\n")}`);
});
