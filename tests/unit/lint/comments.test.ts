import fs from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

// Comments say why and outlive the tracker: no file of the code base points at an issue number.
function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" || entry.name === "fixtures" ? [] : sourceFiles(full);
    return /\.(ts|tsx|js|css)$/.test(entry.name) ? [full] : [];
  });
}

describe("comments", () => {
  it("never refer to the tracker's issue numbers", () => {
    const offenders = ["app", "db", "tests", "eslint"]
      .flatMap(sourceFiles)
      .filter((file) => /\bissues? #?\d+/i.test(fs.readFileSync(file, "utf8")));
    expect(offenders).toEqual([]);
  });
});
