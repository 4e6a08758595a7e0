// 2-D convolution lowered to the GEMM of lib/gemm-core.ts without a column
// matrix: the GEMM's packed B panel (KC rows × NC columns, in NR-wide
// micro-panels) is filled straight from the image through the im2col map,
// so only one cache-sized panel of patch columns ever exists. Layouts are
// PyTorch's: x [N, C, H, W], weight [O, C/groups, kH, kW], y [N, O, outH, outW].
//
//   forward        y_g[n]  = W_g · cols(x_g[n]) + bias     (M = O/g, N = pixels, K = C/g·kH·kW)
//   input grad     dx_g[n] = col2im(W_gᵀ · dy_g[n])         (a C-tile of patch rows, scattered as it is made)
//   weight grad    dW_g    = Σ_n dy_g[n] · cols(x_g[n])ᵀ     (K = N·pixels: images concatenated)
//
// Each export whose name ends in `Band` computes a disjoint slice of its
// output (images, pixel columns, channels or groups, by `mode`), so threads
// run bands concurrently. Every output element's arithmetic (the order of
// its float32 sums) is independent of the slicing: results are bitwise the
// same on any number of threads.

import { KC, MC, MR, NC, NR, macroKernel, packBlockA, packPanelB } from './lib/gemm-core';

// The geometry block the caller writes (16 int32s), read in place.
@unmanaged
class ConvGeom {
  n: i32;
  c: i32;
  h: i32;
  w: i32;
  o: i32;
  kh: i32;
  kw: i32;
  sh: i32;
  sw: i32;
  ph: i32;
  pw: i32;
  dh: i32;
  dw: i32;
  groups: i32;
  oh: i32;
  ow: i32;
}

// Columns of the input-gradient C-tile: the tile (MC × NCI) and its packed B
// panel (KC × NCI) share the GEMM's B area of the thread's scratch.
const NCI: i32 = 1024;

@inline
function isDirect(g: ConvGeom): bool {
  return g.kh == 1 && g.kw == 1 && g.sh == 1 && g.sw == 1 && g.ph == 0 && g.pw == 0;
}

@inline
function roundUp(v: i32, m: i32): i32 {
  return (v + m - 1) / m * m;
}

/** Bytes of the packed weights `conv2dPackWeights` writes. */
export function conv2dPackedWeightBytes(geom: usize): i32 {
  const g = changetype<ConvGeom>(geom);
  const og = g.o / g.groups;
  return (g.groups * roundUp(og, MR) * (g.c / g.groups) * g.kh * g.kw) << 2;
}

/**
 * Packs every group's weight matrix [O/g × K] once, as the GEMM's A blocks:
 * for each KC slice of K, ceil(O/g / MR) micro-panels, so block (ic, pc)
 * of group g sits at g·Ogpad·K + pc·Ogpad + ic·kc floats.
 */
export function conv2dPackWeights(geom: usize, w: usize, dst: usize): void {
  const g = changetype<ConvGeom>(geom);
  const og = g.o / g.groups;
  const kg = (g.c / g.groups) * g.kh * g.kw;
  const ogPad = roundUp(og, MR);
  for (let grp = 0; grp < g.groups; grp++) {
    const wg = w + ((<usize>grp * og * kg) << 2);
    const ag = dst + ((<usize>grp * ogPad * kg) << 2);
    for (let pc = 0; pc < kg; pc += KC) {
      const kc = min(KC, kg - pc);
      packBlockA(0, wg, kg, 0, pc, og, kc, ag + ((<usize>pc * ogPad) << 2));
    }
  }
}

// The B panel of the forward GEMM, read from one group's image `x`
// ([C/g, H, W]): rows k = (c, ki, kj) in [pc, pc + kc), columns = output
// pixels q in [jc, jc + nc); micro-panel s stores B(pc + p, jc + s·NR + j) at
// [p·NR + j], zero in the padding and past nc. `tab` is scratch for a
// per-row table (channel offset, ki·dh, kj·dw) and per-column bases.
function packImagePanel(g: ConvGeom, x: usize, pc: i32, kc: i32, jc: i32, nc: i32, dst: usize, tab: usize): void {
  const H = g.h;
  const W = g.w;
  const OW = g.ow;
  const sw = g.sw;
  const plane = H * W;
  let kj = pc % g.kw;
  let ki = (pc / g.kw) % g.kh;
  let c = pc / (g.kw * g.kh);
  for (let p = 0; p < kc; p++) {
    const t = tab + <usize>p * 12;
    store<i32>(t, c * plane);
    store<i32>(t, ki * g.dh, 4);
    store<i32>(t, kj * g.dw, 8);
    if (++kj == g.kw) {
      kj = 0;
      if (++ki == g.kh) {
        ki = 0;
        c++;
      }
    }
  }
  const colTab = tab + <usize>KC * 12;
  const zero = f32x4.splat(0);
  for (let jr = 0; jr < nc; jr += NR) {
    const cols = min(NR, nc - jr);
    const q0 = jc + jr;
    const oh0 = q0 / OW;
    const ow0 = q0 - oh0 * OW;
    const panel = dst + ((<usize>jr * kc) << 2);
    if (ow0 + cols <= OW) {
      // All columns in one output row: one input row per k-row, read at stride sw.
      const ihb = oh0 * g.sh - g.ph;
      const iwb = ow0 * sw - g.pw;
      const wide = sw == 1 && cols == NR;
      for (let p = 0; p < kc; p++) {
        const t = tab + <usize>p * 12;
        const out = panel + (<usize>p << 5);
        const ih = ihb + load<i32>(t, 4);
        if (<u32>ih >= <u32>H) {
          v128.store(out, zero);
          v128.store(out, zero, 16);
          continue;
        }
        const iw = iwb + load<i32>(t, 8);
        const row = x + (<usize>(load<i32>(t) + ih * W) << 2);
        if (wide && iw >= 0 && iw + NR <= W) {
          const src = row + (<usize>iw << 2);
          v128.store(out, v128.load(src));
          v128.store(out, v128.load(src, 16), 16);
        } else {
          for (let j = 0; j < NR; j++) {
            const iwj = iw + j * sw;
            let v: f32 = 0;
            if (j < cols && <u32>iwj < <u32>W) v = load<f32>(row + (<usize>iwj << 2));
            store<f32>(out + (<usize>j << 2), v);
          }
        }
      }
    } else {
      // The columns wrap to the next output row (or rows): a base per column.
      for (let j = 0; j < NR; j++) {
        let ihb = -0x40000000;
        let iwb = 0;
        if (j < cols) {
          const q = q0 + j;
          const oh = q / OW;
          ihb = oh * g.sh - g.ph;
          iwb = (q - oh * OW) * sw - g.pw;
        }
        store<i32>(colTab + (<usize>j << 3), ihb);
        store<i32>(colTab + (<usize>j << 3), iwb, 4);
      }
      for (let p = 0; p < kc; p++) {
        const t = tab + <usize>p * 12;
        const out = panel + (<usize>p << 5);
        const chan = load<i32>(t);
        const dih = load<i32>(t, 4);
        const diw = load<i32>(t, 8);
        for (let j = 0; j < NR; j++) {
          const ih = load<i32>(colTab + (<usize>j << 3)) + dih;
          const iw = load<i32>(colTab + (<usize>j << 3), 4) + diw;
          let v: f32 = 0;
          if (<u32>ih < <u32>H && <u32>iw < <u32>W) v = load<f32>(x + (<usize>(chan + ih * W + iw) << 2));
          store<f32>(out + (<usize>j << 2), v);
        }
      }
    }
  }
}

@inline
function fillRow(dst: usize, n: i32, v: f32): void {
  if (v == 0) {
    memory.fill(dst, 0, <usize>n << 2);
    return;
  }
  const vv = f32x4.splat(v);
  let j = 0;
  for (; j + 4 <= n; j += 4) v128.store(dst + (<usize>j << 2), vv);
  for (; j < n; j++) store<f32>(dst + (<usize>j << 2), v);
}

/**
 * One band of a batched convolution `y = conv(x, W) + bias` (bias 0: none),
 * with `packedW` from `conv2dPackWeights`. `mode` 0: images [lo, hi);
 * 1: output pixels [lo, hi) of every image (lo a multiple of NR); 2: output
 * channels [lo, hi) of every image (one group only; lo a multiple of MR).
 */
export function conv2dForwardBand(geom: usize, x: usize, packedW: usize, bias: usize, y: usize, mode: i32, lo: i32, hi: i32, work: usize): void {
  const g = changetype<ConvGeom>(geom);
  const groups = g.groups;
  const cg = g.c / groups;
  const og = g.o / groups;
  const kg = cg * g.kh * g.kw;
  const P = g.oh * g.ow;
  const ogPad = roundUp(og, MR);
  let n0 = 0, n1 = g.n, q0 = 0, q1 = P, r0 = 0, r1 = og;
  if (mode == 0) {
    n0 = lo;
    n1 = hi;
  } else if (mode == 1) {
    q0 = lo;
    q1 = hi;
  } else {
    r0 = lo;
    r1 = hi;
  }
  const direct = isDirect(g);
  // Weights come packed, so the packed-A area holds the row tables instead.
  const tab = work;
  const packB = work + ((<usize>MC * KC) << 2);
  const edge = packB + ((<usize>KC * NC) << 2);
  const imagePlane = <usize>g.h * g.w;
  for (let n = n0; n < n1; n++) {
    for (let grp = 0; grp < groups; grp++) {
      const xg = x + ((<usize>(n * g.c + grp * cg) * imagePlane) << 2);
      const yg = y + ((<usize>(n * g.o + grp * og) * P) << 2);
      const ag = packedW + ((<usize>grp * ogPad * kg) << 2);
      // The bias goes in first; the GEMM accumulates onto it.
      for (let r = r0; r < r1; r++) {
        const b: f32 = bias ? load<f32>(bias + (<usize>(grp * og + r) << 2)) : 0;
        fillRow(yg + ((<usize>r * P + q0) << 2), q1 - q0, b);
      }
      for (let jc = q0; jc < q1; jc += NC) {
        const nc = min(NC, q1 - jc);
        for (let pc = 0; pc < kg; pc += KC) {
          const kc = min(KC, kg - pc);
          if (direct) packPanelB(0, xg, P, pc, jc, kc, nc, packB);
          else packImagePanel(g, xg, pc, kc, jc, nc, packB, tab);
          for (let ic = r0; ic < r1; ic += MC) {
            const mc = min(MC, r1 - ic);
            macroKernel(mc, nc, kc, 1, ag + ((<usize>(pc * ogPad + ic * kc)) << 2), packB, yg + ((<usize>ic * P + jc) << 2), P, edge);
          }
        }
      }
    }
  }
}

// Adds rows [r0, r0 + mr) × pixel columns [q0, q0 + nq) of a C-tile of patch
// rows (ldt = nq) back onto the group's image gradient dx ([C/g, H, W]):
// col2im of one tile.
function col2imTile(g: ConvGeom, tile: usize, r0: i32, mr: i32, q0: i32, nq: i32, dx: usize): void {
  const H = g.h;
  const W = g.w;
  const OW = g.ow;
  const sw = g.sw;
  const kk = g.kh * g.kw;
  for (let i = 0; i < mr; i++) {
    const r = r0 + i;
    const c = r / kk;
    const rem = r - c * kk;
    const ki = rem / g.kw;
    const kj = rem - ki * g.kw;
    const dih = ki * g.dh - g.ph;
    const diw = kj * g.dw - g.pw;
    // Output columns ow whose input column ow·sw + diw lies in [0, W).
    const tmin = diw >= 0 ? 0 : (-diw + sw - 1) / sw;
    const tmax = W - diw <= 0 ? 0 : (W - diw + sw - 1) / sw;
    const chan = dx + ((<usize>c * H * W) << 2);
    const src = tile + ((<usize>i * nq) << 2);
    let oh = q0 / OW;
    let ow = q0 - oh * OW;
    let j = 0;
    while (j < nq) {
      const run = min(OW - ow, nq - j);
      const ih = oh * g.sh + dih;
      if (<u32>ih < <u32>H) {
        const lo = max(ow, tmin);
        const hi = min(ow + run, tmax);
        const rowOut = chan + ((<usize>ih * W) << 2);
        const rowIn = src + (<usize>(j - ow) << 2);
        if (sw == 1) {
          let t = lo;
          for (; t + 4 <= hi; t += 4) {
            const d = rowOut + (<usize>(t + diw) << 2);
            v128.store(d, f32x4.add(v128.load(d), v128.load(rowIn + (<usize>t << 2))));
          }
          for (; t < hi; t++) {
            const d = rowOut + (<usize>(t + diw) << 2);
            store<f32>(d, load<f32>(d) + load<f32>(rowIn + (<usize>t << 2)));
          }
        } else {
          for (let t = lo; t < hi; t++) {
            const d = rowOut + (<usize>(t * sw + diw) << 2);
            store<f32>(d, load<f32>(d) + load<f32>(rowIn + (<usize>t << 2)));
          }
        }
      }
      j += run;
      ow = 0;
      oh++;
    }
  }
}

/**
 * One band of a convolution's input gradient `dx = convᵀ(dy, W)` (also the
 * forward of a transposed convolution), overwriting dx. `mode` 0: images
 * [lo, hi); 1: input channels [lo, hi) of every image. A channel's gradient
 * comes from its own patch rows only, so both slicings write disjoint dx.
 */
export function conv2dBackwardInputBand(geom: usize, dy: usize, w: usize, dx: usize, mode: i32, lo: i32, hi: i32, work: usize): void {
  const g = changetype<ConvGeom>(geom);
  const groups = g.groups;
  const cg = g.c / groups;
  const og = g.o / groups;
  const kk = g.kh * g.kw;
  const kg = cg * kk;
  const P = g.oh * g.ow;
  const plane = g.h * g.w;
  const n0 = mode == 0 ? lo : 0;
  const n1 = mode == 0 ? hi : g.n;
  const c0 = mode == 1 ? lo : 0;
  const c1 = mode == 1 ? hi : g.c;
  const direct = isDirect(g);
  const packA = work;
  const packB = work + ((<usize>MC * KC) << 2);
  const tile = packB + ((<usize>KC * NCI) << 2);
  const edge = packB + ((<usize>KC * NC) << 2);
  const nci = direct ? NC : NCI;
  for (let n = n0; n < n1; n++) {
    for (let grp = c0 / cg; grp * cg < c1; grp++) {
      const cl0 = max(c0, grp * cg) - grp * cg;
      const cl1 = min(c1, (grp + 1) * cg) - grp * cg;
      const dxg = dx + ((<usize>(n * g.c + grp * cg) * plane) << 2);
      const dyg = dy + ((<usize>(n * g.o + grp * og) * P) << 2);
      const wg = w + ((<usize>grp * og * kg) << 2);
      memory.fill(dxg + ((<usize>cl0 * plane) << 2), 0, (<usize>(cl1 - cl0) * plane) << 2);
      // Patch rows of channels [cl0, cl1) (for a 1×1 stride-1 unpadded
      // convolution they are the channels and the pixels, so the GEMM writes dx itself).
      const rEnd = cl1 * kk;
      for (let jc = 0; jc < P; jc += nci) {
        const nc = min(nci, P - jc);
        for (let ic = cl0 * kk; ic < rEnd; ic += MC) {
          const mc = min(MC, rEnd - ic);
          const c = direct ? dxg + ((<usize>ic * P + jc) << 2) : tile;
          const ldc = direct ? P : nc;
          if (!direct) memory.fill(tile, 0, (<usize>mc * nc) << 2);
          for (let pc = 0; pc < og; pc += KC) {
            const kc = min(KC, og - pc);
            packPanelB(0, dyg, P, pc, jc, kc, nc, packB);
            packBlockA(1, wg, kg, ic, pc, mc, kc, packA);
            macroKernel(mc, nc, kc, 1, packA, packB, c, ldc, edge);
          }
          if (!direct) col2imTile(g, tile, ic, mc, jc, nc, dxg);
        }
      }
    }
  }
}

// The weight gradient's B panel: B(t, r) = cols(x)[r, t] for k-rows
// t = (image, pixel) in [pc, pc + kc) of the batch's concatenated pixels and
// columns r = (c, ki, kj) in [jc, jc + nc) of group `grp`'s patch rows.
function packColsT(g: ConvGeom, x: usize, grp: i32, pc: i32, kc: i32, jc: i32, nc: i32, dst: usize): void {
  const H = g.h;
  const W = g.w;
  const OW = g.ow;
  const OH = g.oh;
  const P = OH * OW;
  const sw = g.sw;
  const kk = g.kh * g.kw;
  const plane = H * W;
  const cg = g.c / g.groups;
  const n0 = pc / P;
  const q0 = pc - n0 * P;
  const oh0 = q0 / OW;
  const ow0 = q0 - oh0 * OW;
  for (let jr = 0; jr < nc; jr += NR) {
    const cols = min(NR, nc - jr);
    const panel = dst + ((<usize>jr * kc) << 2);
    for (let j = 0; j < NR; j++) {
      const out = panel + (<usize>j << 2);
      if (j >= cols) {
        for (let p = 0; p < kc; p++) store<f32>(out + (<usize>p << 5), 0);
        continue;
      }
      const r = jc + jr + j;
      const c = r / kk;
      const rem = r - c * kk;
      const ki = rem / g.kw;
      const kj = rem - ki * g.kw;
      const dih = ki * g.dh - g.ph;
      const diw = kj * g.dw - g.pw;
      const tmin = diw >= 0 ? 0 : (-diw + sw - 1) / sw;
      const tmax = W - diw <= 0 ? 0 : (W - diw + sw - 1) / sw;
      let n = n0;
      let oh = oh0;
      let ow = ow0;
      let chan = x + ((<usize>(n * g.c + grp * cg + c) * plane) << 2);
      let p = 0;
      while (p < kc) {
        const run = min(OW - ow, kc - p);
        const ih = oh * g.sh + dih;
        const o = out + (<usize>p << 5);
        if (<u32>ih < <u32>H) {
          const row = chan + ((<usize>ih * W) << 2);
          const lo = min(max(ow, tmin), ow + run);
          const hi = max(min(ow + run, tmax), lo);
          let u = ow;
          for (; u < lo; u++) store<f32>(o + (<usize>(u - ow) << 5), 0);
          for (; u < hi; u++) store<f32>(o + (<usize>(u - ow) << 5), load<f32>(row + (<usize>(u * sw + diw) << 2)));
          for (; u < ow + run; u++) store<f32>(o + (<usize>(u - ow) << 5), 0);
        } else {
          for (let u = 0; u < run; u++) store<f32>(o + (<usize>u << 5), 0);
        }
        p += run;
        ow += run;
        if (ow == OW) {
          ow = 0;
          if (++oh == OH) {
            oh = 0;
            n++;
            chan = x + ((<usize>(n * g.c + grp * cg + c) * plane) << 2);
          }
        }
      }
    }
  }
}

// The weight gradient's A block: A(o, t) = dy[image, grp·Og + o, pixel] for
// rows o in [ic, ic + mc) and k-columns t in [pc, pc + kc) of the batch's
// concatenated pixels, as MR-row micro-panels (zero past mc).
function packGradRows(g: ConvGeom, dy: usize, grp: i32, ic: i32, mc: i32, pc: i32, kc: i32, dst: usize): void {
  const P = g.oh * g.ow;
  const og = g.o / g.groups;
  const n0 = pc / P;
  const q0 = pc - n0 * P;
  for (let ir = 0; ir < mc; ir += MR) {
    const rows = min(MR, mc - ir);
    const panel = dst + ((<usize>ir * kc) << 2);
    for (let i = 0; i < MR; i++) {
      const out = panel + (<usize>i << 2);
      if (i >= rows) {
        for (let p = 0; p < kc; p++) store<f32>(out + (<usize>p << 4), 0);
        continue;
      }
      const o = grp * og + ic + ir + i;
      let n = n0;
      let q = q0;
      let p = 0;
      while (p < kc) {
        const run = min(P - q, kc - p);
        const src = dy + ((<usize>(n * g.o + o) * P + q) << 2);
        const d = out + (<usize>p << 4);
        for (let u = 0; u < run; u++) store<f32>(d + (<usize>u << 4), load<f32>(src + (<usize>u << 2)));
        p += run;
        q = 0;
        n++;
      }
    }
  }
}

/**
 * One band of a convolution's weight gradient `dW = Σ_n dy[n] · cols(x[n])ᵀ`
 * ([O, C/g·kH·kW], overwritten). `mode` 0: patch columns [lo, hi) of every
 * group (lo a multiple of NR); 1: output channels [lo, hi) (one group only,
 * lo a multiple of MR); 2: groups [lo, hi).
 */
export function conv2dBackwardWeightBand(geom: usize, x: usize, dy: usize, dw: usize, mode: i32, lo: i32, hi: i32, work: usize): void {
  const g = changetype<ConvGeom>(geom);
  const og = g.o / g.groups;
  const kg = (g.c / g.groups) * g.kh * g.kw;
  const K = g.n * g.oh * g.ow;
  const g0 = mode == 2 ? lo : 0;
  const g1 = mode == 2 ? hi : g.groups;
  const j0 = mode == 0 ? lo : 0;
  const j1 = mode == 0 ? hi : kg;
  const r0 = mode == 1 ? lo : 0;
  const r1 = mode == 1 ? hi : og;
  const packA = work;
  const packB = work + ((<usize>MC * KC) << 2);
  const edge = packB + ((<usize>KC * NC) << 2);
  for (let grp = g0; grp < g1; grp++) {
    const dwg = dw + ((<usize>grp * og * kg) << 2);
    for (let r = r0; r < r1; r++) memory.fill(dwg + ((<usize>r * kg + j0) << 2), 0, <usize>(j1 - j0) << 2);
    for (let jc = j0; jc < j1; jc += NC) {
      const nc = min(NC, j1 - jc);
      for (let pc = 0; pc < K; pc += KC) {
        const kc = min(KC, K - pc);
        packColsT(g, x, grp, pc, kc, jc, nc, packB);
        for (let ic = r0; ic < r1; ic += MC) {
          const mc = min(MC, r1 - ic);
          packGradRows(g, dy, grp, ic, mc, pc, kc, packA);
          macroKernel(mc, nc, kc, 1, packA, packB, dwg + ((<usize>ic * kg + jc) << 2), kg, edge);
        }
      }
    }
  }
}

/** `db[o] = Σ_n Σ_pixels dy[n, o, ·]` over dy [N, O, P], float32 SIMD lanes per row. */
export function conv2dBiasGradF32(dy: usize, n: i32, o: i32, P: i32, db: usize): void {
  for (let ch = 0; ch < o; ch++) {
    let acc = f32x4.splat(0);
    let s: f32 = 0;
    for (let img = 0; img < n; img++) {
      const row = dy + ((<usize>(img * o + ch) * P) << 2);
      let j = 0;
      for (; j + 4 <= P; j += 4) acc = f32x4.add(acc, v128.load(row + (<usize>j << 2)));
      for (; j < P; j++) s += load<f32>(row + (<usize>j << 2));
    }
    store<f32>(db + (<usize>ch << 2), s + (f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1)) + (f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3)));
  }
}
