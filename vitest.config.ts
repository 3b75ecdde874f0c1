import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const app = fileURLToPath(new URL("./app", import.meta.url));
const alias = { "~": app };

// Browser tests need Debian's Chromium; without it they fail loudly unless explicitly skipped.
const skipBrowser = process.env.SKIP_BROWSER_TESTS === "1";
if (skipBrowser) console.warn("SKIP_BROWSER_TESTS=1: the browser (e2e) tests are not run.");

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["tests/unit/**/*.test.ts"],
          environment: "node",
          setupFiles: ["tests/setup/business-date.ts", "tests/setup/fail-on-console-error.ts"],
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          setupFiles: ["tests/setup/business-date.ts", "tests/setup/fail-on-console-error.ts", "tests/setup/integration-db.ts"],
          testTimeout: 30_000,
        },
      },
      ...(skipBrowser ? [] : [{
        resolve: { alias },
        test: {
          name: "e2e",
          include: ["tests/e2e/**/*.test.ts"],
          environment: "node",
          globalSetup: ["tests/setup/e2e-global-setup.ts"],
          setupFiles: ["tests/setup/e2e-english-demo.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // A poll that waits on a full page round trip (a language switch, a form post) gets more
          // than the default second: a loaded 2-core machine answers in seconds, not milliseconds.
          expect: { poll: { timeout: 10_000 } },
          fileParallelism: false,
        },
      }]),
    ],
  },
});
