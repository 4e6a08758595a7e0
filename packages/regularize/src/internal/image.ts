import { type FloatArray, ShapeError, type Tensor, expectFloat, fmtShape } from '@dl/tensor';

/** Dimensions of an `[N, C, H, W]` batch. */
export interface ImageDims {
  n: number;
  c: number;
  h: number;
  w: number;
}

/** Throws unless `x` is a float `[N, C, H, W]` batch; returns its dimensions. */
export function checkImageBatch(op: string, x: Tensor): ImageDims {
  expectFloat(op, x, 'image batch');
  if (x.ndim !== 4) {
    throw new ShapeError(op, `image batch has shape ${fmtShape(x.shape)} (rank ${x.ndim}); need [N, C, H, W]`);
  }
  const [n, c, h, w] = x.shape as [number, number, number, number];
  return { n, c, h, w };
}

/**
 * Inverse map of an affine warp: output pixel (xo, yo) reads the source at
 * (a·xo + b·yo + tx, c·xo + d·yo + ty), pixel centres at integer coordinates.
 */
export interface InverseAffine {
  a: number;
  b: number;
  tx: number;
  c: number;
  d: number;
  ty: number;
}

/**
 * Resamples one `[C, H, W]` image through an inverse affine map with
 * bilinear interpolation; samples outside the source read 0 (zero fill), or
 * the nearest edge pixel with `clampEdges` (for resizing).
 */
export function warpAffine(
  src: FloatArray,
  dst: FloatArray,
  channels: number,
  hIn: number,
  wIn: number,
  hOut: number,
  wOut: number,
  m: InverseAffine,
  clampEdges = false,
): void {
  const planeIn = hIn * wIn;
  const planeOut = hOut * wOut;
  for (let yo = 0; yo < hOut; yo++) {
    for (let xo = 0; xo < wOut; xo++) {
      let xs = m.a * xo + m.b * yo + m.tx;
      let ys = m.c * xo + m.d * yo + m.ty;
      if (clampEdges) {
        xs = Math.min(Math.max(xs, 0), wIn - 1);
        ys = Math.min(Math.max(ys, 0), hIn - 1);
      }
      const x0 = Math.floor(xs);
      const y0 = Math.floor(ys);
      const fx = xs - x0;
      const fy = ys - y0;
      // Weights of the four neighbours; a neighbour outside the image contributes 0.
      const in00 = x0 >= 0 && x0 < wIn && y0 >= 0 && y0 < hIn;
      const in10 = x0 + 1 >= 0 && x0 + 1 < wIn && y0 >= 0 && y0 < hIn;
      const in01 = x0 >= 0 && x0 < wIn && y0 + 1 >= 0 && y0 + 1 < hIn;
      const in11 = x0 + 1 >= 0 && x0 + 1 < wIn && y0 + 1 >= 0 && y0 + 1 < hIn;
      const o = yo * wOut + xo;
      if (!(in00 || in10 || in01 || in11)) {
        for (let ch = 0; ch < channels; ch++) dst[ch * planeOut + o] = 0;
        continue;
      }
      const w00 = (1 - fx) * (1 - fy);
      const w10 = fx * (1 - fy);
      const w01 = (1 - fx) * fy;
      const w11 = fx * fy;
      const i00 = y0 * wIn + x0;
      for (let ch = 0; ch < channels; ch++) {
        const base = ch * planeIn + i00;
        let v = 0;
        if (in00) v += w00 * src[base]!;
        if (in10) v += w10 * src[base + 1]!;
        if (in01) v += w01 * src[base + wIn]!;
        if (in11) v += w11 * src[base + wIn + 1]!;
        dst[ch * planeOut + o] = v;
      }
    }
  }
}

/**
 * The inverse map of rotating by `angle` (radians, counter-clockwise on
 * screen) and scaling by `scale` about the image centre, then translating
 * by (dx, dy) pixels.
 */
export function centredInverse(h: number, w: number, angle: number, scale: number, dx: number, dy: number): InverseAffine {
  const cx = (w - 1) / 2;
  const cy = (h - 1) / 2;
  // Forward: p' = R·S·(p − c) + c + t. Inverse: p = (R·S)⁻¹·(p' − c − t) + c. With y pointing down, a
  // screen-counter-clockwise rotation by θ is the matrix [[cos, sin], [−sin, cos]] in (x, y).
  const cos = Math.cos(angle) / scale;
  const sin = Math.sin(angle) / scale;
  // (R·S)⁻¹ = (1/s)·[[cos, −sin], [sin, cos]].
  const a = cos;
  const b = -sin;
  const c = sin;
  const d = cos;
  const ox = cx + dx;
  const oy = cy + dy;
  return { a, b, c, d, tx: cx - a * ox - b * oy, ty: cy - c * ox - d * oy };
}
