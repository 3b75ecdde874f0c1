import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";

import { decodeText, detectEncoding } from "~/features/import/decode";
import { sourceFromBuffer } from "~/features/import/source";

const header = "客户编码,客户名称\nC1,上海华东贸易有限公司\n";

describe("decodeText", () => {
  it("reads UTF-8, UTF-8 with BOM (removed) and GBK", () => {
    expect(decodeText(Buffer.from(header, "utf8"))).toEqual({ text: header, encoding: "utf-8" });
    expect(decodeText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(header)]))).toEqual({
      text: header,
      encoding: "utf-8-bom",
    });
    expect(decodeText(iconv.encode(header, "gbk"))).toEqual({ text: header, encoding: "gb18030" });
  });

  it("reads GB18030 characters outside GBK", () => {
    const text = "name\n𠀀 and €\n";
    expect(decodeText(iconv.encode(text, "gb18030"))).toEqual({ text, encoding: "gb18030" });
  });
});

describe("detectEncoding", () => {
  it("detects the same encodings by streaming the file", async () => {
    expect(await detectEncoding(sourceFromBuffer("a.csv", Buffer.from(header)))).toBe("utf-8");
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(header)]);
    expect(await detectEncoding(sourceFromBuffer("a.csv", bom))).toBe("utf-8-bom");
    expect(await detectEncoding(sourceFromBuffer("a.csv", iconv.encode(header, "gbk")))).toBe("gb18030");
  });

  it("is not fooled by a character split between two 64 KiB chunks", async () => {
    // "中" is 3 bytes; put it across the chunk boundary at 65536.
    const bytes = Buffer.from("a".repeat(65535) + "中文\n", "utf8");
    expect(await detectEncoding(sourceFromBuffer("a.csv", bytes))).toBe("utf-8");
  });

  it("finds a GBK byte far into an otherwise ASCII file", async () => {
    const bytes = Buffer.concat([
      Buffer.from("code,name\n" + "C1,Alpha\n".repeat(20000)),
      iconv.encode("C2,华东\n", "gbk"),
    ]);
    expect(await detectEncoding(sourceFromBuffer("a.csv", bytes))).toBe("gb18030");
  });

  it("treats a truncated multi-byte character at the very end as not UTF-8", async () => {
    const bytes = Buffer.concat([Buffer.from("code,name\nC1,"), Buffer.from("中", "utf8").subarray(0, 2)]);
    expect(await detectEncoding(sourceFromBuffer("a.csv", bytes))).toBe("gb18030");
  });
});
