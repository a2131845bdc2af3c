import { deflateSync } from "node:zlib";

/**
 * The app icons, drawn in code so the repository holds no binary files: a signpost ("Lotse"),
 * white on the accent colour (color.png, 192×192) and white on transparent (outline.png, 32×32,
 * as Teams requires for the outline icon).
 */
export const ACCENT_COLOR = "#00629B";

type Pt = [number, number];

/** The signpost in unit coordinates (0..1), y downwards: pole, base, a sign to the right and one to the left. */
const SHAPES: Pt[][] = [
  [[0.465, 0.14], [0.535, 0.14], [0.535, 0.86], [0.465, 0.86]],
  [[0.34, 0.84], [0.66, 0.84], [0.66, 0.9], [0.34, 0.9]],
  [[0.24, 0.2], [0.7, 0.2], [0.82, 0.285], [0.7, 0.37], [0.24, 0.37]],
  [[0.3, 0.45], [0.76, 0.45], [0.76, 0.62], [0.3, 0.62], [0.18, 0.535]],
];

function inside(poly: Pt[], x: number, y: number): boolean {
  let hit = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, yi] = poly[i];
    const [xj, yj] = poly[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) hit = !hit;
  }
  return hit;
}

/** Share of the pixel covered by the shape (4×4 supersampling for smooth edges). */
function coverage(px: number, py: number, size: number, margin: number): number {
  const n = 4;
  let c = 0;
  for (let sy = 0; sy < n; sy++) {
    for (let sx = 0; sx < n; sx++) {
      const x = ((px + (sx + 0.5) / n) / size - margin) / (1 - 2 * margin);
      const y = ((py + (sy + 0.5) / n) / size - margin) / (1 - 2 * margin);
      if (SHAPES.some((s) => inside(s, x, y))) c++;
    }
  }
  return c / (n * n);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A minimal RGBA PNG encoder (8 bit, no filtering): enough for two small icons. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type RGBA
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0;
    Buffer.from(rgba.buffer, rgba.byteOffset + y * width * 4, width * 4).copy(raw, y * (width * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

function hex(color: string): [number, number, number] {
  const n = parseInt(color.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** 192×192, full-bleed accent colour with the white signpost inside Teams' safe area. */
export function colorIcon(): Buffer {
  const size = 192;
  const [r, g, b] = hex(ACCENT_COLOR);
  const px = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const c = coverage(x, y, size, 0.18);
      const i = (y * size + x) * 4;
      px[i] = Math.round(r + (255 - r) * c);
      px[i + 1] = Math.round(g + (255 - g) * c);
      px[i + 2] = Math.round(b + (255 - b) * c);
      px[i + 3] = 255;
    }
  }
  return encodePng(size, size, px);
}

/** 32×32, white signpost on a transparent background (Teams: only white and transparent). */
export function outlineIcon(): Buffer {
  const size = 32;
  const px = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 4;
      px[i] = px[i + 1] = px[i + 2] = 255;
      px[i + 3] = Math.round(255 * coverage(x, y, size, 0.02));
    }
  }
  return encodePng(size, size, px);
}
