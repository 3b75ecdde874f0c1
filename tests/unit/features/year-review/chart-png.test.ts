import { inflateSync } from "node:zlib";

import { describe, expect, it } from "vitest";

import { CHART_COLOURS, barChartPng, barGeometry } from "~/features/year-review/chart-png.server";

/** Reads back an 8-bit RGB PNG the way a viewer would: chunks, CRCs, scanlines. */
function decode(png: Buffer) {
  expect([...png.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
  let at = 8;
  const chunks: { type: string; data: Buffer }[] = [];
  while (at < png.length) {
    const length = png.readUInt32BE(at);
    const type = png.subarray(at + 4, at + 8).toString("ascii");
    chunks.push({ type, data: png.subarray(at + 8, at + 8 + length) });
    at += 12 + length;
  }
  expect(chunks.map((c) => c.type)).toEqual(["IHDR", "IDAT", "IEND"]);
  const header = chunks[0]!.data;
  const width = header.readUInt32BE(0);
  const height = header.readUInt32BE(4);
  const raw = inflateSync(chunks[1]!.data);
  expect(raw.length).toBe(height * (width * 3 + 1));
  const pixel = (x: number, y: number) => {
    const offset = y * (width * 3 + 1) + 1 + x * 3;
    return [raw[offset], raw[offset + 1], raw[offset + 2]];
  };
  return { width, height, pixel };
}

describe("barChartPng", () => {
  it("draws one bar per value, the tallest for the largest, the last in its own colour", () => {
    const values = [400, 800, 0, -5, 200];
    const png = barChartPng(values, 300, 120);
    const { width, height, pixel } = decode(png);
    expect([width, height]).toEqual([300, 120]);
    const { bars } = barGeometry(values, 300, 120);
    expect(bars.map((bar) => bar.height)).toEqual([48, 96, 0, 0, 24]);
    const middle = (index: number) => {
      const bar = bars[index]!;
      return pixel(bar.x + Math.floor(bar.width / 2), bar.y + Math.floor(bar.height / 2));
    };
    expect(middle(1)).toEqual([...CHART_COLOURS.bar]);
    expect(middle(4)).toEqual([...CHART_COLOURS.last]);
    expect(pixel(2, 2)).toEqual([255, 255, 255]);
    // above the shorter bar is background
    expect(pixel(bars[0]!.x + 1, bars[0]!.y - 2)).toEqual([255, 255, 255]);
  });

  it("draws an empty chart for no values or nothing above zero", () => {
    expect(decode(barChartPng([], 50, 40)).pixel(25, 10)).toEqual([255, 255, 255]);
    expect(barGeometry([0, 0], 50, 40).bars.every((bar) => bar.height === 0)).toBe(true);
  });
});
