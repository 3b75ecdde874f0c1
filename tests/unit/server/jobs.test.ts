import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { type Job, startJobs } from "~/server/jobs.server";

// Fake timers: the runner's ticks are driven by the test, never by the wall clock.
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function quiet() {
  return { log: vi.fn(), logError: vi.fn() };
}

describe("the background job runner", () => {
  it("runs a job at start when asked, then every interval, logging what it did", async () => {
    const run = vi.fn(async () => "did one thing");
    const sinks = quiet();
    const runner = startJobs([{ name: "a", everyMs: 1000, atStart: true, run }], sinks);
    await vi.advanceTimersByTimeAsync(0);
    expect(run).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(3000);
    expect(run).toHaveBeenCalledTimes(4);
    expect(sinks.log).toHaveBeenCalledWith("did one thing");
    runner.stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(run).toHaveBeenCalledTimes(4);
  });

  it("never overlaps a job with itself: a slow run makes the next ticks wait for it", async () => {
    let release: () => void = () => {};
    const run = vi.fn(() => new Promise<void>((resolve) => (release = resolve)));
    const runner = startJobs([{ name: "slow", everyMs: 100, run }], quiet());
    await vi.advanceTimersByTimeAsync(550);
    expect(run).toHaveBeenCalledTimes(1);
    release();
    await vi.advanceTimersByTimeAsync(100);
    expect(run).toHaveBeenCalledTimes(2);
    runner.stop();
  });

  it("logs a failure with the job's name and tries again at the next tick; a busy database is retried quietly", async () => {
    const failures = [new Error("disk full"), Object.assign(new Error("busy"), { code: "SQLITE_BUSY" })];
    const run = vi.fn(async () => {
      const failure = failures.shift();
      if (failure) throw failure;
      return "caught up";
    });
    const sinks = quiet();
    const runner = startJobs([{ name: "summaries", everyMs: 10, run }], sinks);
    await vi.advanceTimersByTimeAsync(30);
    expect(sinks.logError).toHaveBeenCalledTimes(1);
    expect(sinks.logError.mock.calls[0]?.[0]).toContain('"summaries"');
    expect(sinks.log).toHaveBeenCalledWith("caught up");
    runner.stop();
  });

  it("runNow runs a job at once, or joins the run in progress; an unknown name is an error", async () => {
    const jobs: Job[] = [{ name: "baselines", everyMs: 60_000, run: vi.fn(async () => undefined) }];
    const runner = startJobs(jobs, quiet());
    await runner.runNow("baselines");
    expect(jobs[0]?.run).toHaveBeenCalledTimes(1);
    await expect(runner.runNow("nothing")).rejects.toThrow(/No background job/);
    runner.stop();
  });
});
