import { isDatabaseBusy } from "./db.server";

/**
 * The one background job runner of a server process. Work that keeps derived data current without
 * a request (KPI summaries behind an SQL edit, plan baselines that fell due, import previews left
 * to expire) runs here, never in a loader. Each job runs at start (if asked) and then every
 * `everyMs`; a job never overlaps itself; a failure is logged with the job's name and retried at
 * the next tick, and a database busy with an import is retried quietly.
 */

export interface Job {
  name: string;
  everyMs: number;
  /** Also run once as the runner starts (work that fell due while the server was down). */
  atStart?: boolean;
  /** Returns a line worth logging when it did something. */
  run(): Promise<string | void | null>;
}

export interface JobRunner {
  /** Runs a job now (or waits for its current run), e.g. after a command changed its inputs. */
  runNow(name: string): Promise<void>;
  stop(): void;
}

export interface JobRunnerOptions {
  log?: (line: string) => void;
  logError?: (line: string, error: unknown) => void;
  isBusy?: (error: unknown) => boolean;
}

export function startJobs(jobs: readonly Job[], options: JobRunnerOptions = {}): JobRunner {
  const log = options.log ?? ((line) => console.log(line));
  const logError = options.logError ?? ((line, error) => console.error(line, error));
  const isBusy = options.isBusy ?? isDatabaseBusy;
  const running = new Map<string, Promise<void>>();
  const timers: ReturnType<typeof setInterval>[] = [];
  let stopped = false;

  const runJob = (job: Job): Promise<void> => {
    const current = running.get(job.name);
    if (current) return current;
    if (stopped) return Promise.resolve();
    const run = (async () => {
      try {
        const line = await job.run();
        if (line) log(line);
      } catch (error) {
        if (!isBusy(error)) logError(`The background job "${job.name}" failed; it runs again in ${Math.round(job.everyMs / 1000)} s:`, error);
      } finally {
        running.delete(job.name);
      }
    })();
    running.set(job.name, run);
    return run;
  };

  for (const job of jobs) {
    if (job.atStart) void runJob(job);
    const timer = setInterval(() => void runJob(job), job.everyMs);
    timer.unref?.();
    timers.push(timer);
  }

  return {
    runNow(name) {
      const job = jobs.find((candidate) => candidate.name === name);
      if (!job) return Promise.reject(new Error(`No background job is called "${name}".`));
      return runJob(job);
    },
    stop() {
      stopped = true;
      for (const timer of timers) clearInterval(timer);
    },
  };
}
