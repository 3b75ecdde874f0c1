import crypto from "node:crypto";

import { databasePath, openSqlite } from "~/server/db.server";

/** Every table's rows, hashed: the database as a GET must leave it. */
export function databaseState(): Record<string, { rows: number; hash: string }> {
  const sqlite = openSqlite(databasePath());
  try {
    const tables = sqlite
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .all() as { name: string }[];
    const state: Record<string, { rows: number; hash: string }> = {};
    for (const { name } of tables) {
      // Signing in keeps a session alive on every request: the auth layer's bookkeeping, not the page's.
      if (name === "sessions") continue;
      const rows = sqlite.prepare(`SELECT * FROM "${name}" ORDER BY 1`).all();
      state[name] = { rows: rows.length, hash: crypto.createHash("sha256").update(JSON.stringify(rows)).digest("hex") };
    }
    return state;
  } finally {
    sqlite.close();
  }
}
