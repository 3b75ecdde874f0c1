import { describe, expect, it } from "vitest";

import { CopyBuffer, copyField, encodeCopyRows } from "~/server/pg-copy";

describe("COPY text encoding", () => {
  it("writes NULL as \\N and numbers as they are", () => {
    expect(copyField(null)).toBe("\\N");
    expect(copyField(undefined)).toBe("\\N");
    expect(copyField(0)).toBe("0");
    expect(copyField(-1234567)).toBe("-1234567");
    expect(copyField(12n)).toBe("12");
    expect(copyField(true)).toBe("t");
  });

  it("escapes backslash, tab, newline and carriage return, and nothing else", () => {
    expect(copyField("a\\b")).toBe("a\\\\b");
    expect(copyField("a\tb")).toBe("a\\tb");
    expect(copyField("line 1\nline 2")).toBe("line 1\\nline 2");
    expect(copyField("dos\r\nend")).toBe("dos\\r\\nend");
    // commas and quotes mean nothing in the text format
    expect(copyField('a,b "quoted" \'single\'')).toBe('a,b "quoted" \'single\'');
    expect(copyField("上海某某贸易有限公司")).toBe("上海某某贸易有限公司");
    // the literal text \N is data, not NULL, once its backslash is escaped
    expect(copyField("\\N")).toBe("\\\\N");
    // a line holding only \. would end the data: escaped, it cannot
    expect(copyField("\\.")).toBe("\\\\.");
    expect(copyField("")).toBe("");
  });

  it("refuses what PostgreSQL cannot store", () => {
    expect(() => copyField("a\0b")).toThrow(/NUL/);
    expect(() => copyField(Number.NaN)).toThrow(RangeError);
    expect(() => copyField(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });

  it("joins fields with tabs and ends each row with a newline", () => {
    expect(encodeCopyRows([])).toBe("");
    expect(encodeCopyRows([[1, "I-1", null], [2, "a\tb\nc", "客户"]])).toBe("1\tI-1\t\\N\n2\ta\\tb\\nc\t客户\n");
  });

  it("hands on the buffered rows in pieces", () => {
    const sent: string[] = [];
    const buffer = new CopyBuffer((text) => sent.push(text), 2);
    buffer.push([1, "a"]);
    expect(sent).toEqual([]);
    buffer.push([2, null]);
    expect(sent).toEqual(["1\ta\n2\t\\N\n"]);
    buffer.push([3, "c\\d"]);
    expect(buffer.size).toBe(1);
    buffer.flush();
    buffer.flush();
    expect(sent).toEqual(["1\ta\n2\t\\N\n", "3\tc\\\\d\n"]);
  });
});
