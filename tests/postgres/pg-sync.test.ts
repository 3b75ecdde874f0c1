import { describe, expect, it } from "vitest";

import { databaseUrl, isDatabaseBusy, openLedgerConnection } from "~/server/db.server";
import { translateStatement } from "~/server/pg-sync.server";

describe("the synchronous PostgreSQL connection of the bulk writers", () => {
  it("translates SQLite's parameters and write lock", () => {
    expect(translateStatement("SELECT a FROM t WHERE b = ? AND c = '?' AND d = ?").text).toBe("SELECT a FROM t WHERE b = $1 AND c = '?' AND d = $2");
    expect(translateStatement("UPDATE t SET a = @a, b = @b WHERE c = @a")).toEqual({ text: "UPDATE t SET a = $1, b = $2 WHERE c = $1", names: ["a", "b"], count: 0 });
    expect(translateStatement("BEGIN IMMEDIATE").text).toBe("BEGIN");
  });

  it("runs statements, returns inserted ids and rolls back a failed transaction", () => {
    const connection = openLedgerConnection(databaseUrl());
    try {
      const insert = connection.prepare("INSERT INTO kpi_scopes (kind, key) VALUES (?, ?)");
      const first = insert.run("region", "North");
      expect(first.changes).toBe(1);
      expect(first.lastInsertRowid).toBeGreaterThan(0);
      expect(connection.prepare("SELECT kind, key FROM kpi_scopes WHERE id = ?").get(first.lastInsertRowid)).toEqual({ kind: "region", key: "North" });
      expect(connection.prepare("SELECT id, key FROM kpi_scopes WHERE id = ?").raw().all(first.lastInsertRowid)).toEqual([[first.lastInsertRowid, "North"]]);
      expect(connection.prepare("SELECT key FROM kpi_scopes WHERE kind = @kind").pluck().all({ kind: "region" })).toEqual(["North"]);
      expect(() =>
        connection.transaction(() => {
          insert.run("region", "South");
          throw new Error("stop");
        })(),
      ).toThrow("stop");
      expect(connection.inTransaction).toBe(false);
      expect(connection.prepare("SELECT count(*) AS n FROM kpi_scopes WHERE key = 'South'").pluck().get()).toBe(0);
    } finally {
      connection.close();
    }
  });

  it("lets one writer at a time hold the ledger: a second gives up after its busy timeout", () => {
    const first = openLedgerConnection(databaseUrl());
    const second = openLedgerConnection(databaseUrl(), { busyTimeoutMs: 100 });
    try {
      first.exec("BEGIN IMMEDIATE");
      let refusal: unknown;
      try {
        second.exec("BEGIN IMMEDIATE");
      } catch (error) {
        refusal = error;
      }
      expect(isDatabaseBusy(refusal)).toBe(true);
      expect(second.inTransaction).toBe(false);
      first.exec("COMMIT");
      second.exec("BEGIN IMMEDIATE");
      second.exec("COMMIT");
    } finally {
      first.close();
      second.close();
    }
  });
});
