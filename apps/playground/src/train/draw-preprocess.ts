/**
 * A digit drawn on the page, made to look like an MNIST digit: MNIST's
 * digits were scaled to fit a 20×20 box (keeping their aspect ratio) and
 * placed in the 28×28 image with their centre of mass at the centre. A model
 * trained on them reads a drawing prepared the same way far better than one
 * merely shrunk to 28×28.
 *
 * @packageDocumentation
 */

/** Side of MNIST's images and of the box its digits were scaled into. */
const SIDE = 28;
const BOX = 20;

/**
 * 784 pixels in [0, 1] (ink = 1) from a drawing's ink `[height, width]`
 * (values in [0, 1], row-major), or null when nothing is drawn.
 *
 * @example const pixels = mnistFromDrawing(ink, 280, 280);
 */
export function mnistFromDrawing(ink: ArrayLike<number>, width: number, height: number): Float32Array | null {
  if (ink.length !== width * height) throw new RangeError(`mnistFromDrawing: ${ink.length} values for a ${width}×${height} drawing`);
  let x0 = width;
  let x1 = -1;
  let y0 = height;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (ink[y * width + x]! <= 0.05) continue;
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x);
      y0 = Math.min(y0, y);
      y1 = Math.max(y1, y);
    }
  }
  if (x1 < 0) return null;
  const w = x1 - x0 + 1;
  const h = y1 - y0 + 1;
  const scale = BOX / Math.max(w, h);
  const bw = Math.max(1, Math.round(w * scale));
  const bh = Math.max(1, Math.round(h * scale));
  // Area averaging: each box pixel is the mean ink of the drawing pixels it covers (at least one, for a
  // tiny drawing); the last one may reach past the ink into blank paper, which greys a thin stroke's edge.
  const box = new Float32Array(bw * bh);
  const span = (b: number, origin: number, size: number): [number, number] => {
    const from = Math.min(size - 1, origin + Math.floor(b / scale));
    return [from, Math.min(size - 1, Math.max(from, origin + Math.ceil((b + 1) / scale) - 1))];
  };
  for (let by = 0; by < bh; by++) {
    const [ya, yb] = span(by, y0, height);
    for (let bx = 0; bx < bw; bx++) {
      const [xa, xb] = span(bx, x0, width);
      let total = 0;
      for (let y = ya; y <= yb; y++) for (let x = xa; x <= xb; x++) total += ink[y * width + x]!;
      box[by * bw + bx] = total / ((yb - ya + 1) * (xb - xa + 1));
    }
  }
  // Centre of mass of the box, then the shift that puts it at the image's centre.
  let mass = 0;
  let mx = 0;
  let my = 0;
  for (let y = 0; y < bh; y++) {
    for (let x = 0; x < bw; x++) {
      const v = box[y * bw + x]!;
      mass += v;
      mx += v * (x + 0.5);
      my += v * (y + 0.5);
    }
  }
  const ox = Math.round(SIDE / 2 - mx / mass);
  const oy = Math.round(SIDE / 2 - my / mass);
  const out = new Float32Array(SIDE * SIDE);
  for (let y = 0; y < bh; y++) {
    for (let x = 0; x < bw; x++) {
      const tx = x + ox;
      const ty = y + oy;
      if (tx >= 0 && tx < SIDE && ty >= 0 && ty < SIDE) out[ty * SIDE + tx] = Math.min(1, box[y * bw + x]!);
    }
  }
  return out;
}
