import { describe, expect, it } from "vitest";

import { MAX_LINE_CHARS, previewTable } from "~/features/import/read-table";
import { sourceFromBuffer } from "~/features/import/source";

/** A file whose line `lineNumber` is `chars` characters long (no line break in it). */
function fileWithLongLine(lineNumber: number, chars: number, { quoted }: { quoted: boolean }): Buffer {
  const before = ["customer_code,customer_name,region", "C1,One,North", "C2,Two,South"].slice(0, lineNumber - 1);
  const long = quoted ? `"C3","${"x".repeat(chars)}",East` : `C3,${"x".repeat(chars)},East`;
  return Buffer.from([...before, long, "C4,Four,West", ""].join("\n"));
}

describe("a CSV line longer than the bound", () => {
  it.each([
    ["split by lines (no quotes)", false],
    ["read by csv-parse (quoted)", true],
  ])("is refused, naming the line, when %s", async (_path, quoted) => {
    const started = performance.now();
    const preview = await previewTable(sourceFromBuffer("long.csv", fileWithLongLine(3, 6 * 1024 * 1024, { quoted })), { maxRows: 10 });
    expect(preview).toEqual({
      ok: false,
      message: { key: "csvLineTooLong", params: { line: 3, max: MAX_LINE_CHARS } },
      line: 3,
    });
    // a generous bound: the refusal comes at the bound, not after the whole line was built up
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it("is refused when the file is one endless line (the header itself)", async () => {
    const preview = await previewTable(sourceFromBuffer("one-line.csv", Buffer.from("a,".repeat(3 * 1024 * 1024))), { maxRows: 0 });
    expect(preview.ok ? null : preview.message.key).toBe("csvLineTooLong");
  });

  it("reads a line just within the bound", async () => {
    const preview = await previewTable(sourceFromBuffer("wide.csv", fileWithLongLine(2, MAX_LINE_CHARS - 100, { quoted: false })), { maxRows: 10 });
    expect(preview.ok && preview.rows.map((row) => row.line)).toEqual([2, 3]);
  });
});
