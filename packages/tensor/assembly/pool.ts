// 2-D pooling over NCHW planes in SIMD128, PyTorch's semantics (see
// src/kernels/conv/pool2d.ts). Windows that lie wholly inside the input are
// computed four outputs at a time along a row (stride 1: one load per tap;
// stride 2: two loads and an even-lane shuffle); windows touching the
// padding, and other strides, run the scalar loop. Every export is banded
// over planes (N·C), which never share an output.

// The geometry block the caller writes (16 int32s), read in place.
@unmanaged
class PoolGeom {
  n: i32;
  c: i32;
  h: i32;
  w: i32;
  kh: i32;
  kw: i32;
  sh: i32;
  sw: i32;
  ph: i32;
  pw: i32;
  dh: i32;
  dw: i32;
  oh: i32;
  ow: i32;
  countIncludePad: i32;
  divisor: i32;
}

// Output columns [lo, hi) whose window lies wholly inside the input row
// (and, for stride 2, whose 8-float loads stay inside it too).
@inline
function interiorLo(g: PoolGeom): i32 {
  return (g.pw + g.sw - 1) / g.sw;
}

@inline
function interiorHi(g: PoolGeom, span: i32, extra: i32): i32 {
  // Last window start iw0 = ow·sw − pw with iw0 + span + extra ≤ W.
  const room = g.w + g.pw - span - extra;
  return room < 0 ? 0 : min(g.ow, room / g.sw + 1);
}

@inline
function lanes(sw: i32): v128 {
  return i32x4(0, sw, 2 * sw, 3 * sw);
}

// Four taps at iw, iw + sw, iw + 2sw, iw + 3sw of a row (sw = 1 or 2).
@inline
function tap4(p: usize, sw: i32): v128 {
  if (sw == 1) return v128.load(p);
  return v128.shuffle<f32>(v128.load(p), v128.load(p, 16), 0, 2, 4, 6);
}

/**
 * Max pooling of planes [lo, hi): maxima into `out`, argmax (h·W + w within
 * the plane) into `idx`, or values only when `idx` is 0 (inference: no index
 * vectors to carry).
 */
export function maxPool2dF32Band(geom: usize, x: usize, out: usize, idx: usize, lo: i32, hi: i32, work: usize): void {
  if (idx) maxPlanes(changetype<PoolGeom>(geom), x, out, idx, lo, hi, true);
  else maxPlanes(changetype<PoolGeom>(geom), x, out, 0, lo, hi, false);
}

// The loop of maxPool2dF32Band, compiled once with and once without argmax.
@inline
function maxPlanes(g: PoolGeom, x: usize, out: usize, idx: usize, lo: i32, hi: i32, withIdx: bool): void {
  const H = g.h;
  const W = g.w;
  const OH = g.oh;
  const OW = g.ow;
  const sw = g.sw;
  const dh = g.dh;
  const dw = g.dw;
  const spanH = (g.kh - 1) * dh + 1;
  const spanW = (g.kw - 1) * dw + 1;
  const vecLo = interiorLo(g);
  const vecHi = sw == 1 ? interiorHi(g, spanW, 0) : sw == 2 ? interiorHi(g, spanW, 2) : 0;
  const step = lanes(sw);
  for (let p = lo; p < hi; p++) {
    const xp = x + ((<usize>p * H * W) << 2);
    const op = out + ((<usize>p * OH * OW) << 2);
    const ip = idx + ((<usize>p * OH * OW) << 2);
    for (let oh = 0; oh < OH; oh++) {
      let ih0 = oh * g.sh - g.ph;
      const ih1 = min(ih0 + spanH, H);
      while (ih0 < 0) ih0 += dh;
      const orow = <usize>oh * OW;
      let ow = 0;
      while (ow < OW) {
        if (ow >= vecLo && ow + 4 <= vecHi) {
          const iw0 = ow * sw - g.pw;
          let m = f32x4.splat(-Infinity);
          let mi = i32x4.add(i32x4.splat(ih0 * W + iw0), step);
          for (let ih = ih0; ih < ih1; ih += dh) {
            const row = xp + ((<usize>ih * W) << 2);
            for (let kj = 0; kj < g.kw; kj++) {
              const iw = iw0 + kj * dw;
              const v = tap4(row + (<usize>iw << 2), sw);
              // PyTorch's rule: a larger value or a NaN takes the window (the first of equals stays).
              const take = v128.or(f32x4.gt(v, m), f32x4.ne(v, v));
              m = v128.bitselect(v, m, take);
              if (withIdx) mi = v128.bitselect(i32x4.add(i32x4.splat(ih * W + iw), step), mi, take);
            }
          }
          v128.store(op + ((orow + ow) << 2), m);
          if (withIdx) v128.store(ip + ((orow + ow) << 2), mi);
          ow += 4;
          continue;
        }
        let iw0 = ow * sw - g.pw;
        const iw1 = min(iw0 + spanW, W);
        while (iw0 < 0) iw0 += dw;
        let best: f32 = -Infinity;
        let arg = ih0 * W + iw0;
        for (let ih = ih0; ih < ih1; ih += dh) {
          const row = xp + ((<usize>ih * W) << 2);
          for (let iw = iw0; iw < iw1; iw += dw) {
            const v = load<f32>(row + (<usize>iw << 2));
            if (v > best || v != v) {
              best = v;
              arg = ih * W + iw;
            }
          }
        }
        store<f32>(op + ((orow + ow) << 2), best);
        if (withIdx) store<i32>(ip + ((orow + ow) << 2), arg);
        ow++;
      }
    }
  }
}

/** Max-pooling gradient of planes [lo, hi): dx zeroed, then each dy added at its argmax. */
export function maxPool2dBackwardF32Band(geom: usize, dy: usize, idx: usize, dx: usize, lo: i32, hi: i32, work: usize): void {
  const g = changetype<PoolGeom>(geom);
  const plane = g.h * g.w;
  const per = g.oh * g.ow;
  for (let p = lo; p < hi; p++) {
    const dxp = dx + ((<usize>p * plane) << 2);
    memory.fill(dxp, 0, <usize>plane << 2);
    const src = dy + ((<usize>p * per) << 2);
    const ip = idx + ((<usize>p * per) << 2);
    for (let j = 0; j < per; j++) {
      const at = dxp + (<usize>load<i32>(ip + (<usize>j << 2)) << 2);
      store<f32>(at, load<f32>(at) + load<f32>(src + (<usize>j << 2)));
    }
  }
}

// PyTorch's average-pooling divisor for a window starting at (hs, ws).
@inline
function avgDivisor(g: PoolGeom, hs: i32, ws: i32): i32 {
  if (g.divisor > 0) return g.divisor;
  const he = min(hs + g.kh, g.h + g.ph);
  const we = min(ws + g.kw, g.w + g.pw);
  if (g.countIncludePad) return (he - hs) * (we - ws);
  return (min(he, g.h) - max(hs, 0)) * (min(we, g.w) - max(ws, 0));
}

/** Average pooling of planes [lo, hi) into `out` (sums in float32, in window order). */
export function avgPool2dF32Band(geom: usize, x: usize, out: usize, lo: i32, hi: i32, work: usize): void {
  const g = changetype<PoolGeom>(geom);
  const H = g.h;
  const W = g.w;
  const OH = g.oh;
  const OW = g.ow;
  const sw = g.sw;
  const vecLo = interiorLo(g);
  const vecHi = sw == 1 ? interiorHi(g, g.kw, 0) : sw == 2 ? interiorHi(g, g.kw, 2) : 0;
  for (let p = lo; p < hi; p++) {
    const xp = x + ((<usize>p * H * W) << 2);
    const op = out + ((<usize>p * OH * OW) << 2);
    for (let oh = 0; oh < OH; oh++) {
      const hs = oh * g.sh - g.ph;
      const h0 = max(hs, 0);
      const h1 = min(hs + g.kh, H);
      const orow = <usize>oh * OW;
      let ow = 0;
      while (ow < OW) {
        const ws = ow * sw - g.pw;
        if (ow >= vecLo && ow + 4 <= vecHi && h1 > h0) {
          // Four windows inside the row; their divisors are equal (same rows, no column clipping).
          let s = f32x4.splat(0);
          for (let ih = h0; ih < h1; ih++) {
            const row = xp + ((<usize>ih * W) << 2);
            for (let kj = 0; kj < g.kw; kj++) s = f32x4.add(s, tap4(row + (<usize>(ws + kj) << 2), sw));
          }
          v128.store(op + ((orow + ow) << 2), f32x4.div(s, f32x4.splat(<f32>avgDivisor(g, hs, ws))));
          ow += 4;
          continue;
        }
        const w0 = max(ws, 0);
        const w1 = min(ws + g.kw, W);
        let v: f32 = 0;
        if (h1 > h0 && w1 > w0) {
          let s: f32 = 0;
          for (let ih = h0; ih < h1; ih++) {
            const row = xp + ((<usize>ih * W) << 2);
            for (let iw = w0; iw < w1; iw++) s += load<f32>(row + (<usize>iw << 2));
          }
          v = s / <f32>avgDivisor(g, hs, ws);
        }
        store<f32>(op + ((orow + ow) << 2), v);
        ow++;
      }
    }
  }
}

/** Average-pooling gradient of planes [lo, hi): dx zeroed, then each dy / divisor spread over its window. */
export function avgPool2dBackwardF32Band(geom: usize, dy: usize, dx: usize, lo: i32, hi: i32, work: usize): void {
  const g = changetype<PoolGeom>(geom);
  const H = g.h;
  const W = g.w;
  const OH = g.oh;
  const OW = g.ow;
  const sw = g.sw;
  const vecLo = interiorLo(g);
  const vecHi = sw == 1 ? interiorHi(g, g.kw, 0) : sw == 2 ? interiorHi(g, g.kw, 2) : 0;
  const zero = f32x4.splat(0);
  for (let p = lo; p < hi; p++) {
    const dxp = dx + ((<usize>p * H * W) << 2);
    memory.fill(dxp, 0, (<usize>H * W) << 2);
    const src = dy + ((<usize>p * OH * OW) << 2);
    for (let oh = 0; oh < OH; oh++) {
      const hs = oh * g.sh - g.ph;
      const h0 = max(hs, 0);
      const h1 = min(hs + g.kh, H);
      if (h1 <= h0) continue;
      const orow = <usize>oh * OW;
      let ow = 0;
      while (ow < OW) {
        const ws = ow * sw - g.pw;
        if (ow >= vecLo && ow + 4 <= vecHi) {
          const v = f32x4.div(v128.load(src + ((orow + ow) << 2)), f32x4.splat(<f32>avgDivisor(g, hs, ws)));
          // Stride 2: the four shares go to even lanes of 8 floats (odd lanes add 0).
          const va = sw == 1 ? v : v128.shuffle<f32>(v, zero, 0, 4, 1, 4);
          const vb = v128.shuffle<f32>(v, zero, 2, 4, 3, 4);
          for (let ih = h0; ih < h1; ih++) {
            const row = dxp + ((<usize>ih * W) << 2);
            for (let kj = 0; kj < g.kw; kj++) {
              const d = row + (<usize>(ws + kj) << 2);
              v128.store(d, f32x4.add(v128.load(d), va));
              if (sw == 2) v128.store(d, f32x4.add(v128.load(d, 16), vb), 16);
            }
          }
          ow += 4;
          continue;
        }
        const w0 = max(ws, 0);
        const w1 = min(ws + g.kw, W);
        if (w1 > w0) {
          const v = load<f32>(src + ((orow + ow) << 2)) / <f32>avgDivisor(g, hs, ws);
          for (let ih = h0; ih < h1; ih++) {
            const row = dxp + ((<usize>ih * W) << 2);
            for (let iw = w0; iw < w1; iw++) store<f32>(row + (<usize>iw << 2), load<f32>(row + (<usize>iw << 2)) + v);
          }
        }
        ow++;
      }
    }
  }
}

// Sum of n contiguous floats: four lanes, then the tail.
@inline
function rowSum(p: usize, n: i32): f32 {
  let acc = f32x4.splat(0);
  let j = 0;
  for (; j + 4 <= n; j += 4) acc = f32x4.add(acc, v128.load(p + (<usize>j << 2)));
  let s: f32 = (f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1)) + (f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3));
  for (; j < n; j++) s += load<f32>(p + (<usize>j << 2));
  return s;
}

/** Adaptive average pooling of planes [lo, hi): window [⌊i·In/Out⌋, ⌈(i+1)·In/Out⌉) on each axis. */
export function adaptiveAvgPool2dF32Band(geom: usize, x: usize, out: usize, lo: i32, hi: i32, work: usize): void {
  const g = changetype<PoolGeom>(geom);
  const H = g.h;
  const W = g.w;
  const OH = g.oh;
  const OW = g.ow;
  for (let p = lo; p < hi; p++) {
    const xp = x + ((<usize>p * H * W) << 2);
    const op = out + ((<usize>p * OH * OW) << 2);
    for (let oh = 0; oh < OH; oh++) {
      const h0 = oh * H / OH;
      const h1 = ((oh + 1) * H + OH - 1) / OH;
      for (let ow = 0; ow < OW; ow++) {
        const w0 = ow * W / OW;
        const w1 = ((ow + 1) * W + OW - 1) / OW;
        let s: f32 = 0;
        for (let ih = h0; ih < h1; ih++) s += rowSum(xp + ((<usize>ih * W + w0) << 2), w1 - w0);
        store<f32>(op + ((<usize>oh * OW + ow) << 2), s / <f32>((h1 - h0) * (w1 - w0)));
      }
    }
  }
}

/** Adaptive average-pooling gradient of planes [lo, hi): dx zeroed, each dy / window size spread over its window. */
export function adaptiveAvgPool2dBackwardF32Band(geom: usize, dy: usize, dx: usize, lo: i32, hi: i32, work: usize): void {
  const g = changetype<PoolGeom>(geom);
  const H = g.h;
  const W = g.w;
  const OH = g.oh;
  const OW = g.ow;
  for (let p = lo; p < hi; p++) {
    const dxp = dx + ((<usize>p * H * W) << 2);
    memory.fill(dxp, 0, (<usize>H * W) << 2);
    const src = dy + ((<usize>p * OH * OW) << 2);
    for (let oh = 0; oh < OH; oh++) {
      const h0 = oh * H / OH;
      const h1 = ((oh + 1) * H + OH - 1) / OH;
      for (let ow = 0; ow < OW; ow++) {
        const w0 = ow * W / OW;
        const w1 = ((ow + 1) * W + OW - 1) / OW;
        const v = load<f32>(src + ((<usize>oh * OW + ow) << 2)) / <f32>((h1 - h0) * (w1 - w0));
        const vv = f32x4.splat(v);
        const n = w1 - w0;
        for (let ih = h0; ih < h1; ih++) {
          const row = dxp + ((<usize>ih * W + w0) << 2);
          let j = 0;
          for (; j + 4 <= n; j += 4) v128.store(row + (<usize>j << 2), f32x4.add(v128.load(row + (<usize>j << 2)), vv));
          for (; j < n; j++) store<f32>(row + (<usize>j << 2), load<f32>(row + (<usize>j << 2)) + v);
        }
      }
    }
  }
}
