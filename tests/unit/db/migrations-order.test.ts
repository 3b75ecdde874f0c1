import { describe, expect, it } from "vitest";
import { migrationProvider } from "../../../db/migrations";

describe("the migrations", () => {
  it("are listed in the order Kysely runs them, so a new one appended at the end sorts after every other", async () => {
    const names = Object.keys(await migrationProvider.getMigrations());
    expect(names.length).toBeGreaterThan(10);
    expect(names).toEqual([...names].sort());
    for (const name of names) expect(name).toMatch(/^\d{4}-\d{2}-\d{2}-[a-z0-9-]+$/);
  });
});
