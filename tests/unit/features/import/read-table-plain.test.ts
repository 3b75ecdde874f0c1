import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";

import { openTable, type TableRow } from "~/features/import/read-table";
import { sourceFromBuffer } from "~/features/import/source";

/**
 * A file without quotes is read by splitting lines (the fast path); the same file with its first
 * header cell quoted goes through csv-parse. Both must give the same header, rows and lines.
 */
async function readAll(bytes: Buffer) {
  const table = await openTable(sourceFromBuffer("t.csv", bytes), "csv");
  const rows: TableRow[] = [];
  for await (const row of table.rows) rows.push(row);
  return { header: table.header, rows, encoding: table.encoding };
}

function quoted(text: string): string {
  const bom = text.startsWith("\uFEFF") ? "\uFEFF" : "";
  const body = text.slice(bom.length);
  const end = body.search(/[,;\t\r\n]/);
  return `${bom}"${body.slice(0, end)}"${body.slice(end)}`;
}

const big = Array.from({ length: 4000 }, (_, i) => `I${i},客户${i},2026-01-${String((i % 28) + 1).padStart(2, "0")},${i}.5`);

describe("quote-free CSV read by lines", () => {
  it.each([
    ["LF", "code,name\nC1,One\nC2,Two\n"],
    ["CRLF", "code,name\r\nC1,One\r\n\r\nC2,Two\r\n"],
    ["no final line break", "code,name\nC1,One\nC2,Two"],
    ["blank and whitespace lines", "code,name\n\nC1,One\n , \n\n\nC2,Two\n\n"],
    ["BOM", "\uFEFFcode,name\nC1,One\n"],
    ["semicolons", "code;name;amount\nC1;One;12,50\n"],
    ["tabs", "code\tname\nC1\tOne\n"],
    ["trailing delimiters and extra columns", "code,name\nC1,One,,\nC2,Two,x\n"],
    ["lone CR (csv-parse both ways)", "code,name\rC1,One\rC2,Two\r"],
    ["mixed breaks (csv-parse both ways)", "code,name\nC1,One\r\nC2,Two\n"],
    ["many chunks with multi-byte characters", ["invoice_no,name,date,amount", ...big].join("\n") + "\n"],
  ])("%s (UTF-8)", async (_name, text) => {
    const plain = await readAll(Buffer.from(text, "utf8"));
    expect(plain).toEqual(await readAll(Buffer.from(quoted(text), "utf8")));
    expect(plain.rows.length).toBeGreaterThan(0);
  });

  it("reads GB18030 the same way", async () => {
    const text = ["客户编码,客户名称", ...big.slice(0, 3000)].join("\r\n") + "\r\n";
    const plain = await readAll(iconv.encode(text, "gb18030"));
    expect(plain.encoding).toBe("gb18030");
    expect(plain).toEqual(await readAll(iconv.encode(quoted(text), "gb18030")));
    expect(plain.rows[2999]).toEqual({ line: 3001, values: ["I2999", "客户2999", "2026-01-04", "2999.5"] });
  });
});
