// Writes app/favicon.ico (16, 32 and 48 px PNGs in one ICO) from the shape of app/icon.svg:
// a white shield on a brand-blue rounded square. Run: npx tsx tools/icons/make-favicon.ts
import { writeFileSync } from "node:fs";
import path from "node:path";
import { crc32, deflateSync } from "node:zlib";

const BRAND: RGBA = [0x24, 0x54, 0xd6, 255];
const WHITE: RGBA = [255, 255, 255, 255];
type RGBA = [number, number, number, number];
type Point = [number, number];

// In the SVG's 32-unit box, as app/icon.svg draws them.
const CORNER = 7;
const SHIELD: Point[] = [
  [16, 5],
  [25, 8.5],
  ...bezier([25, 16], [25, 21.5], [21, 25], [16, 27]),
  ...bezier([16, 27], [11, 25], [7, 21.5], [7, 16]),
  [7, 8.5],
];
const TICK: Point[] = [
  [11.5, 16],
  [14.5, 19],
  [20.5, 12.5],
  [22, 14],
  [14.5, 22],
  [10, 17.5],
];

function bezier(p0: Point, p1: Point, p2: Point, p3: Point): Point[] {
  return Array.from({ length: 17 }, (_, i) => {
    const t = i / 16;
    const u = 1 - t;
    const at = (k: 0 | 1) =>
      u ** 3 * p0[k] + 3 * u * u * t * p1[k] + 3 * u * t * t * p2[k] + t ** 3 * p3[k];
    return [at(0), at(1)];
  });
}

function inPolygon([x, y]: Point, polygon: Point[]): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i] ?? [0, 0];
    const [xj, yj] = polygon[j] ?? [0, 0];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function inRoundedSquare([x, y]: Point): boolean {
  const cx = Math.min(Math.max(x, CORNER), 32 - CORNER);
  const cy = Math.min(Math.max(y, CORNER), 32 - CORNER);
  return (x - cx) ** 2 + (y - cy) ** 2 <= CORNER ** 2;
}

/** The colour of one point of the 32-unit box. */
function colourAt(p: Point): RGBA | null {
  if (!inRoundedSquare(p)) return null;
  if (inPolygon(p, SHIELD) && !inPolygon(p, TICK)) return WHITE;
  return BRAND;
}

/** RGBA pixels of the icon at `size` px, 4×4 supersampled. */
function render(size: number): Buffer {
  const pixels = Buffer.alloc(size * size * 4);
  const n = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const sum = [0, 0, 0, 0];
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const p: Point = [
            ((px + (sx + 0.5) / n) * 32) / size,
            ((py + (sy + 0.5) / n) * 32) / size,
          ];
          const c = colourAt(p);
          if (!c) continue;
          // Premultiplied, so edges blend towards transparent, not black.
          for (let k = 0; k < 3; k++) sum[k] = (sum[k] ?? 0) + (c[k] ?? 0);
          sum[3] = (sum[3] ?? 0) + 255;
        }
      }
      const alpha = (sum[3] ?? 0) / (n * n);
      const at = (py * size + px) * 4;
      for (let k = 0; k < 3; k++) {
        pixels[at + k] = alpha ? Math.round((sum[k] ?? 0) / ((sum[3] ?? 0) / 255)) : 0;
      }
      pixels[at + 3] = Math.round(alpha);
    }
  }
  return pixels;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function png(size: number): Buffer {
  const pixels = render(size);
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    rows[y * (size * 4 + 1)] = 0; // filter: none
    pixels.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(rows, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** An ICO holding PNG images (supported by every current browser). */
function ico(sizes: number[]): Buffer {
  const images = sizes.map(png);
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // 1: icon
  header.writeUInt16LE(images.length, 4);
  let offset = 6 + 16 * images.length;
  const entries = images.map((image, i) => {
    const entry = Buffer.alloc(16);
    const size = sizes[i] ?? 0;
    entry.writeUInt8(size >= 256 ? 0 : size, 0);
    entry.writeUInt8(size >= 256 ? 0 : size, 1);
    entry.writeUInt16LE(1, 4); // colour planes
    entry.writeUInt16LE(32, 6); // bits per pixel
    entry.writeUInt32LE(image.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += image.length;
    return entry;
  });
  return Buffer.concat([header, ...entries, ...images]);
}

const out = path.join(import.meta.dirname, "..", "..", "app", "favicon.ico");
writeFileSync(out, ico([16, 32, 48]));
console.log(`wrote ${out}`);
