import { deflateSync } from "node:zlib";

/**
 * A small bar chart as a PNG, for the Word export (Word and WPS show a PNG everywhere; the page's
 * SVG charts would need a renderer). Bars only: the figures and their labels go in the table
 * beneath it, in the document's own text. A zero or negative value draws no bar.
 */

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

type Rgb = readonly [number, number, number];
export const CHART_COLOURS = { background: [255, 255, 255], axis: [120, 120, 120], bar: [31, 78, 121], last: [200, 90, 40] } as const satisfies Record<string, Rgb>;

export interface BarChartGeometry {
  width: number;
  height: number;
  /** the pixel box of each bar (x, y of its top, width, height), for tests */
  bars: { x: number; y: number; width: number; height: number }[];
}

const MARGIN = 12;

/** Where each bar goes in a chart of `width` x `height` pixels. */
export function barGeometry(values: readonly number[], width: number, height: number): BarChartGeometry {
  const max = Math.max(0, ...values);
  const plotWidth = width - 2 * MARGIN;
  const plotHeight = height - 2 * MARGIN;
  const slot = values.length === 0 ? 0 : plotWidth / values.length;
  const bars = values.map((value, index) => {
    const barHeight = max <= 0 || value <= 0 ? 0 : Math.max(1, Math.round((value / max) * plotHeight));
    return { x: Math.round(MARGIN + index * slot + slot * 0.15), y: MARGIN + plotHeight - barHeight, width: Math.max(1, Math.round(slot * 0.7)), height: barHeight };
  });
  return { width, height, bars };
}

/** The chart's PNG bytes: bars of `values` (the last one in its own colour, the latest month). */
export function barChartPng(values: readonly number[], width = 720, height = 260): Buffer {
  const { bars } = barGeometry(values, width, height);
  const pixels = Buffer.alloc(width * height * 3);
  const paint = (x: number, y: number, colour: Rgb) => {
    if (x < 0 || y < 0 || x >= width || y >= height) return;
    const at = (y * width + x) * 3;
    pixels[at] = colour[0];
    pixels[at + 1] = colour[1];
    pixels[at + 2] = colour[2];
  };
  pixels.fill(255);
  bars.forEach((bar, index) => {
    const colour = index === bars.length - 1 ? CHART_COLOURS.last : CHART_COLOURS.bar;
    for (let y = bar.y; y < bar.y + bar.height; y++) for (let x = bar.x; x < bar.x + bar.width; x++) paint(x, y, colour);
  });
  // the base line
  for (let x = MARGIN; x < width - MARGIN; x++) paint(x, height - MARGIN, CHART_COLOURS.axis);

  // Each scanline starts with its filter byte (0: none).
  const raw = Buffer.alloc(height * (width * 3 + 1));
  for (let y = 0; y < height; y++) pixels.copy(raw, y * (width * 3 + 1) + 1, y * width * 3, (y + 1) * width * 3);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per channel
  header[9] = 2; // truecolour RGB
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk("IHDR", header), chunk("IDAT", deflateSync(raw)), chunk("IEND", Buffer.alloc(0))]);
}
