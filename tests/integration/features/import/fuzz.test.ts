/**
 * The import under damaged input: the fixture files, mutated the way real files go wrong (cut
 * short, random bytes, BOMs, stray quotes and NULs, huge fields, other encodings, damaged zips),
 * are imported through the real engine on the test database. Every case must end, within a
 * bound, in a result or a clear import error, never in a thrown error or a hang; and a refused
 * import must leave every table as it was. Seeded, so CI sees the same cases on every run.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { inflateRawSync } from "node:zlib";

import type SQLite from "better-sqlite3";
import fc from "fast-check";
import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { FileKind } from "~/features/import/canonical";
import { type ImportOutcome, importLedger } from "~/features/import/import-ledger.server";
import { englishMessage } from "~/features/import/issue-text";
import { readZipDirectory } from "~/features/import/sniff";
import { sourceFromBuffer } from "~/features/import/source";
import { databaseUrl, isPostgresUrl, openLedgerConnection } from "~/server/db.server";

import { zipFile, type ZipEntry } from "../../../fixtures/import/helpers";

// The import's own connection: better-sqlite3 on SQLite, its synchronous stand-in on PostgreSQL.
let sqlite: SQLite.Database;

beforeAll(() => {
  sqlite = openLedgerConnection();
});
afterAll(() => sqlite.close());

interface Fixture {
  name: string;
  kind: FileKind;
  bytes: Buffer;
  /** CSV only: the file's text, to write it again in another encoding */
  text: string | null;
}

const KINDS: FileKind[] = ["customers", "invoices", "payments", "adjustments"];
const LEDGER = path.resolve("tests/fixtures/ledger");
const XLSX = path.resolve("tests/fixtures/import/xlsx");

const csvFixtures: Fixture[] = KINDS.map((kind) => {
  const bytes = readFileSync(path.join(LEDGER, `${kind}.csv`));
  return { name: `${kind}.csv`, kind, bytes, text: bytes.toString("utf8") };
});
const xlsxFixtures: Fixture[] = (
  [
    ["openpyxl-wide.xlsx", "customers"],
    ["pandas-invoices.xlsx", "invoices"],
    ["openpyxl-receipts.xlsx", "payments"],
    ["openpyxl-hidden-first.xlsx", "payments"],
    ["xlsxwriter-adjustments.xlsx", "adjustments"],
  ] as const
).map(([name, kind]) => ({
  name,
  kind,
  bytes: readFileSync(path.join(XLSX, name)),
  text: null,
}));

// Anywhere in a file (without fast-check's pull towards the edges, which would keep hitting the
// magic number at byte 0), or right at its start or end.
const position = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.noBias(fc.integer({ min: 0, max: 999_999 })).map((millionths) => millionths / 1_000_000),
  },
  { weight: 1, arbitrary: fc.constantFrom(0, 0.999999) }
);

const INSERTS = [
  "\uFEFF",
  "\u00FF\u00FE", // a UTF-16 BOM's bytes, written as text
  '"',
  '""',
  '",',
  "\0",
  "\0\0\0\0",
  "\r",
  "\n",
  ",",
  ";",
  "\t",
  "x".repeat(200_000),
  "9".repeat(5_000),
  "中文,",
  "\uFFFD",
];

/** Damage inside one part of an XLSX, written back into a well-formed zip (so the XML readers see it). */
const XML_SNIPPETS = [
  "<",
  "<c",
  "</row>",
  "</sheetData>",
  "<row>",
  '<row r="99999999999">',
  '<c r="ZZZZZZZZZZ7"><v>1</v></c>',
  '<c r="XFE1"><v>1</v></c>',
  `<c t="inlineStr"><is><t>${"y".repeat(3000)}</t></is></c>`,
  "<![CDATA[",
  "<!DOCTYPE x>",
  "<!--",
  "&#xFFFFFF;",
  "&#0;",
  "&nosuch;",
  '<c t="s"><v>99999999</v></c>',
  '<c s="99999"><v>45000</v></c>',
  "\u0000",
];

type Mutation =
  | { type: "truncate"; at: number }
  | { type: "bytes"; changes: [number, number][]; tail: boolean }
  | { type: "insert"; at: number; text: string; raw: boolean }
  | { type: "encode"; encoding: string }
  | {
      type: "part";
      part: number;
      at: number;
      cut: number;
      snippet: string;
      sizeLie: number;
    };

const truncate = position.map((at): Mutation => ({ type: "truncate", at }));
const bytes: fc.Arbitrary<Mutation> = fc.record({
  type: fc.constant("bytes" as const),
  changes: fc.array(fc.tuple(position, fc.integer({ min: 0, max: 255 })), {
    minLength: 1,
    maxLength: 8,
  }),
  // an XLSX keeps its zip directory in its last bytes
  tail: fc.boolean(),
});
const insert: fc.Arbitrary<Mutation> = fc.record({
  type: fc.constant("insert" as const),
  at: position,
  text: fc.constantFrom(...INSERTS),
  raw: fc.boolean(),
});
const encode = fc
  .constantFrom("win1252", "utf16le", "utf16be", "gbk", "big5", "shiftjis", "latin1")
  .map((encoding): Mutation => ({ type: "encode", encoding }));
const part: fc.Arbitrary<Mutation> = fc.record({
  type: fc.constant("part" as const),
  part: fc.nat(),
  at: position,
  cut: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 200 })),
  snippet: fc.constantFrom(...XML_SNIPPETS),
  sizeLie: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, fc.integer({ min: -100, max: 100_000 })),
});

const csvMutation = fc.oneof(truncate, bytes, insert, encode);
const xlsxMutation = fc.oneof(
  { weight: 1, arbitrary: truncate },
  { weight: 2, arbitrary: bytes },
  { weight: 1, arbitrary: insert },
  { weight: 5, arbitrary: part }
);

/** A fixture and one to three mutations of the kinds that make sense for its format. */
const damagedFile = fc.constantFrom(...csvFixtures, ...xlsxFixtures).chain((fixture) =>
  fc.tuple(
    fc.constant(fixture),
    fc.array(fixture.text === null ? xlsxMutation : csvMutation, {
      minLength: 1,
      maxLength: 3,
    })
  )
);

/** The parts of a zip, inflated. */
async function zipParts(bytes: Buffer): Promise<{ name: string; data: Buffer }[] | null> {
  const entries = await readZipDirectory(sourceFromBuffer("x.xlsx", bytes), 1000);
  if (!Array.isArray(entries)) return null;
  try {
    return entries.map((entry) => {
      const start =
        entry.localHeaderOffset +
        30 +
        bytes.readUInt16LE(entry.localHeaderOffset + 26) +
        bytes.readUInt16LE(entry.localHeaderOffset + 28);
      const stored = bytes.subarray(start, start + entry.compressedSize);
      return {
        name: entry.name,
        data: entry.method === 0 ? Buffer.from(stored) : inflateRawSync(stored),
      };
    });
  } catch {
    return null; // already damaged by an earlier mutation: leave it as it is
  }
}

async function damagePart(bytes: Buffer, change: Extract<Mutation, { type: "part" }>): Promise<Buffer> {
  const parts = await zipParts(bytes);
  if (!parts || parts.length === 0) return bytes;
  // mostly the sheets and shared strings, where the rows are
  const xml = parts.filter((part) => /worksheets|sharedStrings/i.test(part.name));
  const pool = xml.length > 0 && change.part % 4 !== 0 ? xml : parts;
  const target = pool[change.part % pool.length];
  if (!target) return bytes;
  const text = target.data.toString("utf8");
  // between two elements, where a writer's mistake would be (inside a tag it is mere bad XML)
  const boundaries = [...text.matchAll(/</g)].map((match) => match.index);
  const at = boundaries[Math.floor(change.at * boundaries.length)] ?? Math.floor(change.at * text.length);
  const damaged = Buffer.from(text.slice(0, at) + change.snippet + text.slice(at + change.cut), "utf8");
  const entries: ZipEntry[] = parts.map((part) =>
    part === target
      ? {
          name: part.name,
          data: damaged,
          declaredSize: Math.max(0, damaged.length + change.sizeLie),
        }
      : { name: part.name, data: part.data }
  );
  return zipFile(entries);
}

async function mutate(fixture: Fixture, mutations: Mutation[]): Promise<Buffer> {
  let bytes = fixture.bytes;
  for (const change of mutations) {
    const at = (fraction: number) => Math.floor(fraction * bytes.length);
    if (change.type === "truncate") {
      bytes = bytes.subarray(0, at(change.at));
    } else if (change.type === "bytes") {
      bytes = Buffer.from(bytes);
      const from = change.tail ? 0.85 : 0;
      for (const [where, value] of change.changes) if (bytes.length > 0) bytes[at(from + (1 - from) * where)] = value;
    } else if (change.type === "part") {
      if (fixture.text === null) bytes = await damagePart(bytes, change);
    } else if (change.type === "insert") {
      // raw: the text's code units as single bytes (a stray 0xFF, a UTF-16 BOM), else UTF-8
      const inserted = Buffer.from(change.text, change.raw ? "latin1" : "utf8");
      bytes = Buffer.concat([bytes.subarray(0, at(change.at)), inserted, bytes.subarray(at(change.at))]);
    } else if (fixture.text !== null) {
      bytes = iconv.encode(fixture.text, change.encoding);
    }
  }
  return bytes;
}

/** Every table of the database as one hash, with the row counts to show in a failure. */
function databaseState(): { counts: Record<string, number>; hash: string } {
  return isPostgresUrl(databaseUrl()) ? postgresState() : sqliteState();
}

function sqliteState(): { counts: Record<string, number>; hash: string } {
  const tables = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[];
  const hash = createHash("sha256");
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    const rows = (sqlite.prepare(`SELECT * FROM "${name}"`).raw().all() as unknown[][]).map((row) => JSON.stringify(row)).sort();
    counts[name] = rows.length;
    hash.update(`${name}\n${rows.join("\n")}\n`);
  }
  return { counts, hash: hash.digest("hex") };
}

/**
 * The same on PostgreSQL, every table's rows (as row text, sorted) read by one statement: each
 * statement is a round trip to the server, and 400 cases read the state twice over some 80 tables.
 */
function postgresState(): { counts: Record<string, number>; hash: string } {
  const tables = sqlite
    .prepare("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name")
    .pluck()
    .all() as string[];
  const columns = tables.map((name, i) => `(SELECT count(*) FROM "${name}"), (SELECT coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '') FROM "${name}" t) AS rows_${i}`);
  // one row: each table's count and rows, in the tables' order
  const row = sqlite.prepare(`SELECT ${columns.join(", ")}`).raw().get() as (number | string)[];
  const hash = createHash("sha256");
  const counts: Record<string, number> = {};
  for (const [i, name] of tables.entries()) {
    counts[name] = row[2 * i] as number;
    hash.update(`${name}\n${row[2 * i + 1] as string}\n`);
  }
  return { counts, hash: hash.digest("hex") };
}

const CASE_BOUND_MS = 15_000;

async function importBounded(files: { fixture: Fixture; bytes: Buffer }[]): Promise<ImportOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CASE_BOUND_MS} ms`)), CASE_BOUND_MS);
  });
  try {
    const specs = files.map(({ fixture, bytes }) => ({
      source: sourceFromBuffer(fixture.name, bytes),
      layout: { kind: fixture.kind },
    }));
    return await Promise.race([importLedger(sqlite, specs, { baseCurrency: "CNY", userId: null }), hang]);
  } finally {
    clearTimeout(timer);
  }
}

function expectClearRefusal(outcome: Extract<ImportOutcome, { ok: false }>): void {
  expect(outcome.errorCount).toBeGreaterThan(0);
  expect(outcome.errors.length).toBeGreaterThan(0);
  for (const issue of outcome.errors) {
    const text = englishMessage(issue.message);
    // a missing translation renders as its key path, a missing value as its placeholder
    expect(text).not.toMatch(/importMessages\.|\{\{/);
    expect(text.length).toBeGreaterThan(0);
  }
  expect(outcome.report).not.toBe("");
}

describe("the import under damaged files", () => {
  it("ends every case in a result or a clear error, and a refused import changes nothing", { timeout: 240_000 }, async () => {
    const outcomes = { imported: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(damagedFile, fc.boolean(), async ([fixture, mutations], withTheRest) => {
        const bytes = await mutate(fixture, mutations);
        // with the rest of the ledger (so a file's references resolve and the good files are
        // written before the damaged one is read), or alone
        const others = withTheRest ? csvFixtures.filter((other) => other.kind !== fixture.kind) : [];
        const before = databaseState();
        const outcome = await importBounded([
          { fixture, bytes },
          ...others.map((other) => ({
            fixture: other,
            bytes: other.bytes,
          })),
        ]);
        if (outcome.ok) {
          outcomes.imported += 1;
          return;
        }
        outcomes.refused += 1;
        expectClearRefusal(outcome);
        expect(databaseState()).toEqual(before);
      }),
      { numRuns: 400, seed: 20261206, endOnFailure: true }
    );
    // the mutations must really reach the readers: most cases are refused, some still import
    expect(outcomes.refused).toBeGreaterThan(200);
    expect(outcomes.imported + outcomes.refused).toBe(400);
  });

  it("refuses the damaged XLSX and Windows-1252 cases it is built from, leaving the database as it was", async () => {
    const before = databaseState();
    const receipts = xlsxFixtures.find((fixture) => fixture.name === "openpyxl-receipts.xlsx");
    const customers = csvFixtures.find((fixture) => fixture.kind === "customers");
    if (!receipts || !customers) throw new Error("fixtures missing");
    const latin = iconv.encode(`${customers.text ?? ""}LAT1,Café Müller,West,,B,500,30\n`, "win1252");
    const cellPastXfd = await mutate(receipts, [
      {
        type: "part",
        part: 1,
        at: 0.5,
        cut: 0,
        snippet: '<c r="ZZZZZZZZZZ7"><v>1</v></c>',
        sizeLie: 0,
      },
    ]);
    for (const bytes of [await mutate(receipts, [{ type: "truncate", at: 0.6 }]), cellPastXfd, latin]) {
      const outcome = await importBounded([
        { fixture: bytes === latin ? customers : receipts, bytes },
        ...csvFixtures.filter((f) => f !== customers).map((f) => ({ fixture: f, bytes: f.bytes })),
      ]);
      expect(outcome.ok).toBe(false);
      if (!outcome.ok) expectClearRefusal(outcome);
      expect(databaseState()).toEqual(before);
    }
  });
});
