/**
 * Classic edge filters on real MNIST digits and on a generated test image,
 * written out as PNG: one grid per input, a row of 10 tiles —
 *
 *   input | vertical | horizontal | sobelX | sobelY | prewittX | prewittY | laplacian4 | laplacian8 | Sobel magnitude
 *
 * Display scaling, per tile: the input maps [0, 1] to black–white; a filter's
 * signed response r maps to 128 + 127·r / max|r| (zero is mid-grey, positive
 * brighter, negative darker); the magnitude (≥ 0) maps to 255·m / max m. Each
 * tile is scaled on its own, so brightness compares within a tile, not across.
 *
 * Run from packages/cnn (writes docs/filters/*.png, or into the folder given):
 *
 *   npx tsx --conditions=@dl/source examples/edge-filters.ts [outDir]
 *
 * @packageDocumentation
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Tensor, tensor } from '@dl/tensor';
import { PNG } from 'pngjs';
import { EDGE_FILTER_NAMES, detectEdges, sobelMagnitude } from '../src/index.js';
import { MNIST_SIDE, loadMnistTestDigits } from './mnist-digits.js';

/** The first test digits drawn (MNIST's test split begins 7, 2, 1, 0). */
const DIGITS = 4;
const GAP = 4;

/**
 * A 64×64 image in [0, 1] with hard-edged shapes and smooth gradients, kept off
 * the border so the zero padding adds no frame: a white square, a grey disc, a
 * triangle, a ramp rising left to right (Sobel x constant inside it, the
 * Laplacians 0) and a ramp rising downwards.
 */
function testImage(side = 64): Float32Array {
  const img = new Float32Array(side * side);
  const set = (i: number, j: number, v: number) => (img[i * side + j] = v);
  for (let i = 0; i < side; i++) {
    for (let j = 0; j < side; j++) {
      if (i >= 6 && i < 24 && j >= 6 && j < 24) set(i, j, 1);
      if ((i - 15) ** 2 + (j - 45) ** 2 <= 10 ** 2) set(i, j, 0.6);
      // Right-angled triangle: legs along its top and left edges.
      if (i >= 34 && i < 58 && j >= 6 && j - 6 < 58 - i) set(i, j, 0.8);
      if (i >= 34 && i < 44 && j >= 34 && j < 58) set(i, j, 0.1 + (0.8 * (j - 34)) / 23);
      if (i >= 47 && i < 58 && j >= 34 && j < 58) set(i, j, 0.1 + (0.8 * (i - 47)) / 10);
    }
  }
  return img;
}

/** Bytes 0–255 of one map, scaled for display as the header says. */
function toBytes(values: ArrayLike<number>, kind: 'input' | 'signed' | 'magnitude'): Uint8Array {
  const out = new Uint8Array(values.length);
  let peak = 0;
  for (let e = 0; e < values.length; e++) peak = Math.max(peak, Math.abs(values[e]!));
  for (let e = 0; e < values.length; e++) {
    const v = values[e]!;
    const scaled = kind === 'input' ? 255 * v : kind === 'magnitude' ? (peak > 0 ? (255 * v) / peak : 0) : peak > 0 ? 128 + (127 * v) / peak : 128;
    out[e] = Math.round(Math.min(255, Math.max(0, scaled)));
  }
  return out;
}

/** A row of tiles (each `side`×`side` bytes), enlarged `zoom` times (nearest neighbour), white gaps between. */
function grid(tiles: readonly Uint8Array[], side: number, zoom: number): PNG {
  const t = side * zoom;
  const png = new PNG({ width: tiles.length * t + (tiles.length - 1) * GAP, height: t });
  png.data.fill(255);
  tiles.forEach((tile, k) => {
    for (let y = 0; y < t; y++) {
      for (let x = 0; x < t; x++) {
        const v = tile[Math.floor(y / zoom) * side + Math.floor(x / zoom)]!;
        const at = (y * png.width + k * (t + GAP) + x) * 4;
        png.data[at] = png.data[at + 1] = png.data[at + 2] = v;
      }
    }
  });
  return png;
}

/** The 10 tiles of one `[1, 1, side, side]` image: the input, each filter (same padding), the Sobel magnitude. */
function tiles(x: Tensor): Uint8Array[] {
  const maps = detectEdges(x, EDGE_FILTER_NAMES); // [1, 8, side, side], in EDGE_FILTER_NAMES' order
  const plane = x.shape[2]! * x.shape[3]!;
  return [
    toBytes(x.data, 'input'),
    ...EDGE_FILTER_NAMES.map((_, k) => toBytes(maps.data.subarray(k * plane, (k + 1) * plane), 'signed')),
    toBytes(sobelMagnitude(x).data, 'magnitude'),
  ];
}

function write(path: string, png: PNG): void {
  writeFileSync(path, PNG.sync.write(png, { colorType: 0, inputColorType: 6, inputHasAlpha: true, deflateLevel: 9 }));
  console.log(`wrote ${path} (${png.width}×${png.height})`);
}

function main(outDir: string): void {
  mkdirSync(outDir, { recursive: true });
  const digits = loadMnistTestDigits(DIGITS);
  for (let n = 0; n < DIGITS; n++) {
    const pixels = digits.pixels.slice(n * MNIST_SIDE * MNIST_SIDE, (n + 1) * MNIST_SIDE * MNIST_SIDE);
    const x = tensor(pixels, { shape: [1, 1, MNIST_SIDE, MNIST_SIDE] });
    write(join(outDir, `mnist-${n}-digit-${digits.labels[n]}.png`), grid(tiles(x), MNIST_SIDE, 4));
  }
  const side = 64;
  write(join(outDir, 'test-image.png'), grid(tiles(tensor(testImage(side), { shape: [1, 1, side, side] })), side, 2));
}

const here = dirname(fileURLToPath(import.meta.url));
main(resolve(process.argv[2] ?? join(here, '..', 'docs', 'filters')));
