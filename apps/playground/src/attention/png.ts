/**
 * Grey-scale and heat-map PNG files without a dependency: node's zlib
 * deflates the scanlines; the CRC table is the PNG specification's.
 *
 * @packageDocumentation
 */
import { deflateSync } from 'node:zlib';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** An RGB PNG of `width`×`height` from `rgb` (3 bytes a pixel, row-major). */
export function encodePng(width: number, height: number, rgb: Uint8Array): Uint8Array {
  const header = new Uint8Array(13);
  const hv = new DataView(header.buffer);
  hv.setUint32(0, width);
  hv.setUint32(4, height);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: RGB
  const raw = new Uint8Array(height * (1 + 3 * width));
  for (let y = 0; y < height; y++) raw.set(rgb.subarray(y * 3 * width, (y + 1) * 3 * width), y * (1 + 3 * width) + 1);
  const parts = [new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array(0))];
  const total = parts.reduce((s, p) => s + p.length, 0);
  const png = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    png.set(p, off);
    off += p.length;
  }
  return png;
}

/** A heat colour for v in [0, 1]: black → red → yellow → white. */
export function heat(v: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, v));
  return [Math.round(255 * Math.min(1, 3 * x)), Math.round(255 * Math.min(1, Math.max(0, 3 * x - 1))), Math.round(255 * Math.max(0, 3 * x - 2))];
}

/**
 * Attention maps as one PNG: a grid with one row per layer and one column per
 * head, each map `[L, L]` (query rows, key columns) scaled by `cell` pixels,
 * weights 0…max of the map in the heat colours, `gap` pixels of grey between.
 */
export function attentionGridPng(maps: readonly (readonly Float32Array[])[], length: number, cell = 6, gap = 4): Uint8Array {
  const rows = maps.length;
  const cols = Math.max(...maps.map((r) => r.length));
  const side = length * cell;
  const width = cols * side + (cols + 1) * gap;
  const height = rows * side + (rows + 1) * gap;
  const rgb = new Uint8Array(width * height * 3).fill(96);
  maps.forEach((row, r) =>
    row.forEach((map, c) => {
      let peak = 0;
      for (const v of map) peak = Math.max(peak, v);
      for (let i = 0; i < length; i++) {
        for (let j = 0; j < length; j++) {
          const [R, G, B] = heat(peak > 0 ? map[i * length + j]! / peak : 0);
          for (let dy = 0; dy < cell; dy++) {
            for (let dx = 0; dx < cell; dx++) {
              const y = gap + r * (side + gap) + i * cell + dy;
              const x = gap + c * (side + gap) + j * cell + dx;
              const o = 3 * (y * width + x);
              rgb[o] = R;
              rgb[o + 1] = G;
              rgb[o + 2] = B;
            }
          }
        }
      }
    }),
  );
  return encodePng(width, height, rgb);
}

/** A signed table `[rows, cols]` (e.g. a positional encoding) as a PNG: blue negative, white 0, red positive. */
export function signedTablePng(values: ArrayLike<number>, rows: number, cols: number, cell = 4): Uint8Array {
  let peak = 0;
  for (let i = 0; i < rows * cols; i++) peak = Math.max(peak, Math.abs(values[i]!));
  const width = cols * cell;
  const height = rows * cell;
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const v = peak > 0 ? values[i * cols + j]! / peak : 0;
      const R = v < 0 ? Math.round(255 * (1 + v)) : 255;
      const B = v > 0 ? Math.round(255 * (1 - v)) : 255;
      const G = Math.round(255 * (1 - Math.abs(v)));
      for (let dy = 0; dy < cell; dy++) {
        for (let dx = 0; dx < cell; dx++) {
          const o = 3 * ((i * cell + dy) * width + j * cell + dx);
          rgb[o] = R;
          rgb[o + 1] = G;
          rgb[o + 2] = B;
        }
      }
    }
  }
  return encodePng(width, height, rgb);
}
