// im2col in WebAssembly, kept to measure against the float32 JS loop
// (bench/elementwise.bench.ts). Its output is kH·kW times its input, so
// with tensors in JS memory the copy back out dominates.

/** Patch columns of one [c, h, w] image; see src/kernels/im2col.ts for the layout. */
export function im2colF32(
  x: usize, c: i32, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, out: usize,
): void {
  const outH = (h + 2 * ph - dh * (kh - 1) - 1) / sh + 1;
  const outW = (w + 2 * pw - dw * (kw - 1) - 1) / sw + 1;
  let dst = out;
  for (let ch = 0; ch < c; ch++) {
    for (let ki = 0; ki < kh; ki++) {
      for (let kj = 0; kj < kw; kj++) {
        for (let oh = 0; oh < outH; oh++) {
          const ih = oh * sh - ph + ki * dh;
          const rowOk = ih >= 0 && ih < h;
          for (let ow = 0; ow < outW; ow++) {
            const iw = ow * sw - pw + kj * dw;
            const v: f32 = rowOk && iw >= 0 && iw < w ? load<f32>(x + ((<usize>((ch * h + ih) * w + iw)) << 2)) : 0;
            store<f32>(dst, v);
            dst += 4;
          }
        }
      }
    }
  }
}
