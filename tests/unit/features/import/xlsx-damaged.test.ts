import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import { previewTable } from "~/features/import/read-table";
import { sourceFromBuffer } from "~/features/import/source";
import { XlsxReadError, XlsxWorkbook } from "~/features/import/xlsx";

const FIXTURES = join(__dirname, "../../../fixtures/import/xlsx");
const fixtures = readdirSync(FIXTURES).filter((name) => name.endsWith(".xlsx")).sort();

/** A small deterministic generator (mulberry32): the same damage on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The bytes with 1 to 4 bytes changed at positions chosen by `seed`. */
function flipped(bytes: Buffer, seed: number): Buffer {
  const next = random(seed);
  const copy = Buffer.from(bytes);
  const flips = 1 + Math.floor(next() * 4);
  for (let i = 0; i < flips; i += 1) {
    const at = Math.floor(next() * copy.length);
    copy[at] = (copy[at] ?? 0) ^ (1 + Math.floor(next() * 255));
  }
  return copy;
}

const BOUND_MS = 5000;

/** Reads the workbook as a preview does, every row; fails the test on a hang or a non-import error. */
async function settle(name: string, bytes: Buffer): Promise<"read" | "refused"> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${name}: no answer within ${BOUND_MS} ms`)), BOUND_MS);
  });
  try {
    const preview = await Promise.race([previewTable(sourceFromBuffer(name, bytes), { maxRows: 100_000 }), hang]);
    return preview.ok ? "read" : "refused";
  } finally {
    clearTimeout(timer);
  }
}

describe("damaged XLSX files end in a result or a clear error", () => {
  it.each(fixtures)("%s with bytes changed at 60 seeded positions", async (fixture) => {
    const bytes = readFileSync(join(FIXTURES, fixture));
    const outcomes = { read: 0, refused: 0 };
    for (let seed = 1; seed <= 60; seed += 1) outcomes[await settle(`${fixture}#${seed}`, flipped(bytes, seed))] += 1;
    // the damage must actually reach the readers, not only be shrugged off
    expect(outcomes.refused).toBeGreaterThan(0);
    expect(outcomes.read + outcomes.refused).toBe(60);
  });

  it.each(fixtures)("%s cut short at 20 places", async (fixture) => {
    const bytes = readFileSync(join(FIXTURES, fixture));
    const next = random(fixture.length);
    for (let i = 0; i < 20; i += 1) {
      const cut = bytes.subarray(0, Math.floor(next() * bytes.length));
      expect(await settle(`${fixture}:${cut.length}`, cut)).toBe("refused");
    }
  });

  it("a damaged name or extra-field length in the zip directory is a damaged zip, not a RangeError", async () => {
    const bytes = readFileSync(join(FIXTURES, "openpyxl-receipts.xlsx"));
    const eocd = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    const directory = bytes.readUInt32LE(eocd + 16);
    for (const field of [28, 30, 32]) {
      const damaged = Buffer.from(bytes);
      damaged.writeUInt16LE(0xfff0, directory + field);
      const preview = await previewTable(sourceFromBuffer("receipts.xlsx", damaged));
      expect(preview).toMatchObject({ ok: false, message: { key: "zipDamaged", params: { file: "receipts.xlsx" } } });
      await expect(XlsxWorkbook.open(sourceFromBuffer("receipts.xlsx", damaged))).rejects.toThrow(XlsxReadError);
    }
  });
});
