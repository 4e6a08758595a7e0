// 2-D convolution lowered to the GEMM of lib/gemm-core.ts without a column
// matrix: the GEMM's packed B panel (KC rows × NC columns, in NR-wide
// micro-panels) is filled straight from the image through the im2col map,
// so only one cache-sized panel of patch columns ever exists. Layouts are
// PyTorch's: x [N, C, H, W], weight [O, C/groups, kH, kW], y [N, O, outH, outW].
//
//   forward        y_g[n]  = W_g · cols(x_g[n]) + bias     (M = O/g, N = pixels, K = C/g·kH·kW;
//                                                              stride 1 with few channels: a direct kernel)
//   input grad     dx_g[n] = col2im(W_gᵀ · dy_g[n])         (a C-tile of patch rows, scattered as it is made)
//   weight grad    dW_g    = Σ_n dy_g[n] · cols(x_g[n])ᵀ     (dot products of pixel rows, image by image;
//                                                              stride 1: of dy against the padded image itself)
//
// Each export whose name ends in `Band` computes a disjoint slice of its
// output (images, pixel columns, channels or groups, by `mode`), so threads
// run bands concurrently. Every output element's arithmetic (the order of
// its float32 sums) is independent of the slicing: results are bitwise the
// same on any number of threads.

import { KC, MC, MR, NC, NR, macroKernel, madd, packBlockA, packPanelB } from './lib/gemm-core';

// The geometry block the caller writes (17 int32s), read in place.
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
  // 0: choose by the measured rules; 1: always the GEMM and the im2col tile;
  // 2: the direct forward and the flat weight gradient wherever they fit (tests).
  path: i32;
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
  const direct = useDirect(g);
  for (let grp = 0; grp < g.groups; grp++) {
    const wg = w + ((<usize>grp * og * kg) << 2);
    const ag = dst + ((<usize>grp * ogPad * kg) << 2);
    if (direct) {
      // Blocks of 4 output channels, per tap their 4 weights side by side (zero past og).
      for (let o = 0; o < ogPad; o++) {
        for (let t = 0; t < kg; t++) {
          const at = ag + ((<usize>((o >> 2) * kg + t) * 4 + (o & 3)) << 2);
          store<f32>(at, o < og ? load<f32>(wg + ((<usize>o * kg + t) << 2)) : 0);
        }
      }
      continue;
    }
    for (let pc = 0; pc < kg; pc += KC) {
      const kc = min(KC, kg - pc);
      packBlockA(0, wg, kg, 0, pc, og, kc, ag + ((<usize>pc * ogPad) << 2));
    }
  }
}

// Where im2col element (row, column j) of a block goes: in the GEMM's packed
// B layout (`panel`: micro-panel j >> 3 of kc·NR floats, row-major 8 wide,
// so 4-aligned runs of 4 columns are contiguous), or row-major with row
// stride `ld`.
@inline
function colAt(dst: usize, panel: bool, kc8: usize, ld: usize, row: usize, j: usize): usize {
  return panel ? dst + (((j >> 3) * kc8 + (row << 3) + (j & 7)) << 2) : dst + ((row * ld + j) << 2);
}

// Zeroes columns j … j + n − 1 of one row: runs of at most 8 contiguous
// floats (one micro-panel row) in one or two vector stores, the second
// overlapping the first when the run is not 4 or 8 long.
/** im2colBlock into the GEMM's packed B layout (kc = nr rows). */
function im2colPanel(g: ConvGeom, x: usize, r0: i32, nr: i32, q0: i32, nq: i32, dst: usize): void {
  im2colBlock(g, x, r0, nr, q0, nq, dst, true, 0);
}

/** im2colBlock row-major, row stride ld. */
function im2colRows(g: ConvGeom, x: usize, r0: i32, nr: i32, q0: i32, nq: i32, dst: usize, ld: i32): void {
  im2colBlock(g, x, r0, nr, q0, nq, dst, false, ld);
}

@inline
function zeroRun(dst: usize, panel: bool, kc8: usize, ld: usize, row: usize, j: i32, n: i32): void {
  const zero = f32x4.splat(0);
  const end = j + n;
  while (j < end) {
    const m = panel ? min(end, (j | 7) + 1) - j : end - j;
    const at = colAt(dst, panel, kc8, ld, row, j);
    if (m >= 4) {
      let k = 0;
      for (; k + 4 <= m; k += 4) v128.store(at + (<usize>k << 2), zero);
      if (k < m) v128.store(at + (<usize>(m - 4) << 2), zero);
    } else {
      for (let k = 0; k < m; k++) store<f32>(at + (<usize>k << 2), 0);
    }
    j += m;
  }
}

// Four pixels at stride sw (1 or 2; others gathered one by one) from `from`.
// Stride 2 reads 8 floats: one past the fourth pixel, inside the image or
// its slack (the caller leaves 16 floats after every operand it reads).
@inline
function pixels4(from: usize, sw: i32): v128 {
  if (sw == 1) return v128.load(from);
  if (sw == 2) return v128.shuffle<f32>(v128.load(from), v128.load(from, 16), 0, 2, 4, 6);
  const s = <usize>sw << 2;
  let v = f32x4.splat(load<f32>(from));
  v = f32x4.replace_lane(v, 1, load<f32>(from + s));
  v = f32x4.replace_lane(v, 2, load<f32>(from + 2 * s));
  return f32x4.replace_lane(v, 3, load<f32>(from + 3 * s));
}

// n pixels read at stride sw from src, to columns j … j + n − 1 of one row,
// in runs of at most 8 contiguous floats as zeroRun.
@inline
function copyRun(dst: usize, panel: bool, kc8: usize, ld: usize, row: usize, j: i32, src: usize, n: i32, sw: i32): void {
  const end = j + n;
  const step = <usize>sw << 2;
  while (j < end) {
    const m = panel ? min(end, (j | 7) + 1) - j : end - j;
    const at = colAt(dst, panel, kc8, ld, row, j);
    if (m >= 4) {
      let k = 0;
      for (; k + 4 <= m; k += 4) v128.store(at + (<usize>k << 2), pixels4(src + <usize>k * step, sw));
      if (k < m) v128.store(at + (<usize>(m - 4) << 2), pixels4(src + <usize>(m - 4) * step, sw));
    } else {
      for (let k = 0; k < m; k++) store<f32>(at + (<usize>k << 2), load<f32>(src + <usize>k * step));
    }
    src += <usize>m * step;
    j += m;
  }
}

// im2col of one group's image x ([C/g, H, W]): rows r in [r0, r0 + nr)
// (r = (c, ki, kj)) by output pixels q in [q0, q0 + nq), zero in the
// padding, written row by row as runs along output rows (so small images,
// whose output rows are shorter than a micro-panel, still copy in vectors).
// Panel layout with kc = nr rows when `panel`; row-major with stride ld otherwise.
@inline
function im2colBlock(g: ConvGeom, x: usize, r0: i32, nr: i32, q0: i32, nq: i32, dst: usize, panel: bool, ld: i32): void {
  const H = g.h;
  const W = g.w;
  const OW = g.ow;
  const sw = g.sw;
  const kc8 = <usize>nr << 3;
  let kj = r0 % g.kw;
  let ki = (r0 / g.kw) % g.kh;
  let c = r0 / (g.kw * g.kh);
  const oh0 = q0 / OW;
  const ow0 = q0 - oh0 * OW;
  for (let i = 0; i < nr; i++) {
    const row = <usize>i;
    const dih = ki * g.dh - g.ph;
    const diw = kj * g.dw - g.pw;
    // Output columns ow whose input column ow·sw + diw lies in [0, W).
    const tmin = diw >= 0 ? 0 : (-diw + sw - 1) / sw;
    const tmax = W - diw <= 0 ? 0 : (W - diw + sw - 1) / sw;
    const chan = x + ((<usize>c * H * W) << 2);
    let oh = oh0;
    let ow = ow0;
    let j = 0;
    while (j < nq) {
      const run = min(OW - ow, nq - j);
      const ih = oh * g.sh + dih;
      if (<u32>ih < <u32>H) {
        const lo = min(max(tmin, ow), ow + run);
        const hi = max(min(tmax, ow + run), lo);
        zeroRun(dst, panel, kc8, ld, row, j, lo - ow);
        copyRun(dst, panel, kc8, ld, row, j + lo - ow, chan + (<usize>(ih * W + lo * sw + diw) << 2), hi - lo, sw);
        zeroRun(dst, panel, kc8, ld, row, j + hi - ow, ow + run - hi);
      } else {
        zeroRun(dst, panel, kc8, ld, row, j, run);
      }
      j += run;
      ow = 0;
      oh++;
    }
    // The last micro-panel's columns past nq are zero, as packPanelB leaves them.
    if (panel) zeroRun(dst, panel, kc8, ld, row, nq, ((nq + NR - 1) & ~(NR - 1)) - nq);
    if (++kj == g.kw) {
      kj = 0;
      if (++ki == g.kh) {
        ki = 0;
        c++;
      }
    }
  }
}

// ---- direct convolution (stride 1, few output channels per group) ----
//
// When each patch row feeds only a few output channels (a first layer like
// LeNet's 1→6, depthwise convolutions), packing patch panels costs more than
// the products. Then the image is padded once into scratch and, with row
// stride Wp, output pixel (oh, ow) reads input (oh + ki·dh, ow + kj·dw): the
// flat index oh·Wp + ow plus a fixed offset per tap. So the convolution runs
// as a 1-D one over the flattened padded image, 8 outputs × 4 channels per
// register tile (the GEMM micro-kernel's shape, operands straight from the
// image), computing Wp − OW discarded columns per row.

// Measured (bench/conv.bench.ts shapes, one thread): direct wins 2.4× on
// LeNet's 1→6 5×5, 1.6× on its 6→16, 1.7× on VGG's 3→64 first layer; the
// GEMM wins 1.3–1.6× from 128 channels on (ResNet's 3×3 at 14×14 and 7×7).
const DIRECT_MAX_OG: i32 = 16;
const DIRECT_MAX_KG: i32 = 64;
// Floats of the thread's scratch the direct path may use: tap table,
// padded image with slack, and a 4-channel output tile.
const WORK_FLOATS: i32 = MC * KC + KC * NC;

@inline
function directLayout(g: ConvGeom): i32 {
  // Returns the floats needed, or −1 when the direct path does not apply.
  const cg = g.c / g.groups;
  const kg = cg * g.kh * g.kw;
  if (g.sh != 1 || g.sw != 1 || g.path == 1) return -1;
  if (g.path == 0 && g.o / g.groups > DIRECT_MAX_OG && kg > DIRECT_MAX_KG) return -1;
  const hp = g.h + 2 * g.ph;
  const wp = g.w + 2 * g.pw;
  const flat = roundUp(g.oh * wp, 8);
  const need = 64 + kg + cg * hp * wp + (g.kw - 1) * g.dw + 16 + 4 * flat;
  return need <= WORK_FLOATS ? need : -1;
}

@inline
function useDirect(g: ConvGeom): bool {
  return directLayout(g) >= 0 && !isDirect(g);
}

/** 1 when `conv2dForwardBand` runs geometry `geom` by the direct path (weights packed for it). */
export function conv2dUsesDirect(geom: usize): i32 {
  return useDirect(changetype<ConvGeom>(geom)) ? 1 : 0;
}

// tile[i·ft + f] = Σ_t w[(t·4 + i)]·xp[f + off[t]] for 4 channels i and flat outputs f in [f0, f1) (multiples of 8).
function direct4(xp: usize, offs: usize, kg: i32, wb: usize, tile: usize, ft: usize, f0: i32, f1: i32): void {
  for (let f = f0; f < f1; f += 8) {
    let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
    let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
    let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
    let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
    const xf = xp + (<usize>f << 2);
    let wp = wb;
    for (let t = 0; t < kg; t++) {
      const src = xf + (<usize>load<i32>(offs + (<usize>t << 2)) << 2);
      const x0 = v128.load(src);
      const x1 = v128.load(src, 16);
      let w = v128.load32_splat(wp);
      c00 = madd(w, x0, c00);
      c01 = madd(w, x1, c01);
      w = v128.load32_splat(wp, 4);
      c10 = madd(w, x0, c10);
      c11 = madd(w, x1, c11);
      w = v128.load32_splat(wp, 8);
      c20 = madd(w, x0, c20);
      c21 = madd(w, x1, c21);
      w = v128.load32_splat(wp, 12);
      c30 = madd(w, x0, c30);
      c31 = madd(w, x1, c31);
      wp += 16;
    }
    const d = tile + (<usize>f << 2);
    const row = ft << 2;
    v128.store(d, c00);
    v128.store(d, c01, 16);
    v128.store(d + row, c10);
    v128.store(d + row, c11, 16);
    v128.store(d + 2 * row, c20);
    v128.store(d + 2 * row, c21, 16);
    v128.store(d + 3 * row, c30);
    v128.store(d + 3 * row, c31, 16);
  }
}

// direct4 for one channel (lane i of the block's weights): depthwise layers and a last partial block.
function direct1(xp: usize, offs: usize, kg: i32, wb: usize, tile: usize, f0: i32, f1: i32): void {
  for (let f = f0; f < f1; f += 8) {
    let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
    const xf = xp + (<usize>f << 2);
    let wp = wb;
    for (let t = 0; t < kg; t++) {
      const src = xf + (<usize>load<i32>(offs + (<usize>t << 2)) << 2);
      const w = v128.load32_splat(wp);
      c0 = madd(w, v128.load(src), c0);
      c1 = madd(w, v128.load(src, 16), c1);
      wp += 16;
    }
    const d = tile + (<usize>f << 2);
    v128.store(d, c0);
    v128.store(d, c1, 16);
  }
}

// Output rows [r0, r1) (r0 a multiple of 4) × pixels [q0, q1) of one image and
// group by the direct path; xg the group's image, ag its packed weights.
function directGroup(g: ConvGeom, xg: usize, ag: usize, bias: usize, yg: usize, r0: i32, r1: i32, q0: i32, q1: i32, work: usize): void {
  const cg = g.c / g.groups;
  const kg = cg * g.kh * g.kw;
  const hp = g.h + 2 * g.ph;
  const wp = g.w + 2 * g.pw;
  const OW = g.ow;
  const P = g.oh * OW;
  const offs = work + 64;
  const xp = offs + ((<usize>kg + 4) << 2);
  const slack = (g.kw - 1) * g.dw + 16;
  const tile = xp + ((<usize>cg * hp * wp + slack) << 2);
  const ft = <usize>roundUp(g.oh * wp, 8);
  // Tap offsets in the padded image, in weight order (c, ki, kj).
  let t = 0;
  for (let c = 0; c < cg; c++) {
    for (let ki = 0; ki < g.kh; ki++) {
      for (let kj = 0; kj < g.kw; kj++) {
        store<i32>(offs + (<usize>t << 2), (c * hp + ki * g.dh) * wp + kj * g.dw);
        t++;
      }
    }
  }
  memory.fill(xp, 0, (<usize>cg * hp * wp + slack) << 2);
  for (let c = 0; c < cg; c++) {
    for (let ih = 0; ih < g.h; ih++) {
      memory.copy(xp + ((<usize>(c * hp + ih + g.ph) * wp + g.pw) << 2), xg + ((<usize>(c * g.h + ih) * g.w) << 2), <usize>g.w << 2);
    }
  }
  // Flat range covering output pixels [q0, q1): whole output rows.
  const f0 = (q0 / OW) * wp & ~7;
  const f1 = min(<i32>ft, roundUp(((q1 - 1) / OW + 1) * wp, 8));
  for (let b = r0; b < r1; b += 4) {
    const rows = min(4, r1 - b);
    const wb = ag + ((<usize>b * kg) << 2);
    // A partial block of 2–3 channels still runs 4 wide (its weights are zero-padded).
    if (rows >= 2) direct4(xp, offs, kg, wb, tile, ft, f0, f1);
    else for (let i = 0; i < rows; i++) direct1(xp, offs, kg, wb + (<usize>i << 2), tile + ((<usize>i * ft) << 2), f0, f1);
    for (let i = 0; i < rows; i++) {
      const o = b + i;
      const bv = f32x4.splat(bias ? load<f32>(bias + (<usize>o << 2)) : 0);
      const src = tile + ((<usize>i * ft) << 2);
      const dst = yg + ((<usize>o * P) << 2);
      // Valid columns of each flat row, plus the bias, into y[o] pixels [q0, q1).
      let q = q0;
      while (q < q1) {
        const oh = q / OW;
        const ow = q - oh * OW;
        const n = min(OW - ow, q1 - q);
        const s = src + (<usize>(oh * wp + ow) << 2);
        const d = dst + (<usize>q << 2);
        let j = 0;
        for (; j + 4 <= n; j += 4) v128.store(d + (<usize>j << 2), f32x4.add(v128.load(s + (<usize>j << 2)), bv));
        for (; j < n; j++) store<f32>(d + (<usize>j << 2), load<f32>(s + (<usize>j << 2)) + f32x4.extract_lane(bv, 0));
        q += n;
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
  const direct1x = useDirect(g);
  const packB = work + ((<usize>MC * KC) << 2);
  const edge = packB + ((<usize>KC * NC) << 2);
  const imagePlane = <usize>g.h * g.w;
  for (let n = n0; n < n1; n++) {
    for (let grp = 0; grp < groups; grp++) {
      const xg = x + ((<usize>(n * g.c + grp * cg) * imagePlane) << 2);
      const yg = y + ((<usize>(n * g.o + grp * og) * P) << 2);
      const ag = packedW + ((<usize>grp * ogPad * kg) << 2);
      if (direct1x) {
        directGroup(g, xg, ag, bias ? bias + ((<usize>grp * og) << 2) : 0, yg, r0, r1, q0, q1, work);
        continue;
      }
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
          else im2colPanel(g, xg, pc, kc, jc, nc, packB);
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

// The weight gradient contracts over pixels, along which both dy's rows and
// the image's im2col rows are contiguous; so it runs as dot products of
// those rows (four pixels per vector lane) instead of an outer-product GEMM,
// whose panels would need both operands transposed. Each element's sum
// keeps four lane partials over a chunk of pixels, adds them pairwise, then
// the chunk's scalar tail, then accumulates into dW chunk by chunk: the same
// arithmetic in dot2x4 and dot1, whatever tile an element falls in.

@inline
function hsum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

// c[i·ldc + j] += Σ_t a_i[t]·b_j[t] for i < 2 (rows at a, a + lda) and j < 4 (rows at b, b1, b2, b3), t < n.
@inline
function dot2x4(a: usize, lda: usize, b: usize, b1: usize, b2: usize, b3: usize, n: i32, c: usize, ldc: usize): void {
  const a1 = a + lda;
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c02 = f32x4.splat(0), c03 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0), c12 = f32x4.splat(0), c13 = f32x4.splat(0);
  const n4 = n & ~3;
  for (let t = 0; t < n4; t += 4) {
    const o = <usize>t << 2;
    const x0 = v128.load(a + o);
    const x1 = v128.load(a1 + o);
    let y = v128.load(b + o);
    c00 = madd(x0, y, c00);
    c10 = madd(x1, y, c10);
    y = v128.load(b1 + o);
    c01 = madd(x0, y, c01);
    c11 = madd(x1, y, c11);
    y = v128.load(b2 + o);
    c02 = madd(x0, y, c02);
    c12 = madd(x1, y, c12);
    y = v128.load(b3 + o);
    c03 = madd(x0, y, c03);
    c13 = madd(x1, y, c13);
  }
  store<f32>(c, load<f32>(c) + tail(a, b, n4, n, hsum(c00)));
  store<f32>(c, load<f32>(c, 4) + tail(a, b1, n4, n, hsum(c01)), 4);
  store<f32>(c, load<f32>(c, 8) + tail(a, b2, n4, n, hsum(c02)), 8);
  store<f32>(c, load<f32>(c, 12) + tail(a, b3, n4, n, hsum(c03)), 12);
  const d = c + ldc;
  store<f32>(d, load<f32>(d) + tail(a1, b, n4, n, hsum(c10)));
  store<f32>(d, load<f32>(d, 4) + tail(a1, b1, n4, n, hsum(c11)), 4);
  store<f32>(d, load<f32>(d, 8) + tail(a1, b2, n4, n, hsum(c12)), 8);
  store<f32>(d, load<f32>(d, 12) + tail(a1, b3, n4, n, hsum(c13)), 12);
}

@inline
function tail(a: usize, b: usize, from: i32, n: i32, s: f32): f32 {
  for (let t = from; t < n; t++) s += load<f32>(a + (<usize>t << 2)) * load<f32>(b + (<usize>t << 2));
  return s;
}

// c[0] += Σ_t a[t]·b[t]: dot2x4's arithmetic for one element.
function dot1(a: usize, b: usize, n: i32, c: usize): void {
  let acc = f32x4.splat(0);
  const n4 = n & ~3;
  for (let t = 0; t < n4; t += 4) acc = madd(v128.load(a + (<usize>t << 2)), v128.load(b + (<usize>t << 2)), acc);
  store<f32>(c, load<f32>(c) + tail(a, b, n4, n, hsum(acc)));
}

// Pixels per chunk of the weight gradient's im2col tile: all of an image's
// when they fit the thread's scratch with every patch row, else fewer (a
// multiple of 4). A function of the geometry only, never of the band, so
// every element sums its chunks alike on any number of threads.
@inline
function chunkPixels(kg: i32, P: i32, workFloats: i32): i32 {
  return min(P, max(4, (workFloats / kg) & ~3));
}

// The weight gradient of a stride-1 convolution without an im2col tile: on
// the image padded once (row stride Wp), tap (c, ki, kj) of output pixel
// (oh, ow) is at flat index oh·Wp + ow plus the tap's offset, so with dy's
// rows widened to Wp by zeros, dW[o, tap] is one dot product of the widened
// dy[o] with the padded image read from the tap's offset (the zeros cancel
// the Wp − OW columns that are not outputs).
@inline
function flatLayout(g: ConvGeom): i32 {
  if (g.sh != 1 || g.sw != 1 || g.path == 1) return -1;
  const cg = g.c / g.groups;
  const kg = cg * g.kh * g.kw;
  const hp = g.h + 2 * g.ph;
  const wp = g.w + 2 * g.pw;
  const need = 64 + kg + 4 + cg * hp * wp + (g.kw - 1) * g.dw + 16 + (g.o / g.groups) * g.oh * wp;
  return need <= WORK_FLOATS ? need : -1;
}

// Below this many flat outputs per image a dot product is too short for its
// fixed costs: ResNet's 3×3 on 7×7 (63) ran 1.6× slower than the tile path;
// LeNet's layers (784 → 0.62×, 140 → 0.76×) and 14×14 or larger ran as fast or faster.
const FLAT_MIN_LENGTH: i32 = 128;

@inline
function flatWeightGrad(g: ConvGeom): bool {
  if (flatLayout(g) < 0) return false;
  return g.path == 2 || g.oh * (g.w + 2 * g.pw) >= FLAT_MIN_LENGTH;
}

function flatWeightGradBand(g: ConvGeom, x: usize, dy: usize, dw: usize, g0: i32, g1: i32, j0: i32, j1: i32, r0: i32, r1: i32, work: usize): void {
  const og = g.o / g.groups;
  const cg = g.c / g.groups;
  const kg = cg * g.kh * g.kw;
  const P = g.oh * g.ow;
  const hp = g.h + 2 * g.ph;
  const wp = g.w + 2 * g.pw;
  const F = g.oh * wp;
  const offs = work + 64;
  const xp = offs + ((<usize>kg + 4) << 2);
  const slack = (g.kw - 1) * g.dw + 16;
  const dye = xp + ((<usize>cg * hp * wp + slack) << 2);
  const ldf = <usize>F << 2;
  const ldw = <usize>kg << 2;
  let t = 0;
  for (let c = 0; c < cg; c++) {
    for (let ki = 0; ki < g.kh; ki++) {
      for (let kj = 0; kj < g.kw; kj++) {
        store<i32>(offs + (<usize>t << 2), ((c * hp + ki * g.dh) * wp + kj * g.dw) << 2);
        t++;
      }
    }
  }
  memory.fill(xp, 0, (<usize>cg * hp * wp + slack) << 2);
  for (let r = r0; r < r1; r++) memory.fill(dye + <usize>r * ldf, 0, ldf);
  for (let grp = g0; grp < g1; grp++) {
    const dwg = dw + ((<usize>grp * og * kg) << 2);
    for (let r = r0; r < r1; r++) memory.fill(dwg + ((<usize>r * kg + j0) << 2), 0, <usize>(j1 - j0) << 2);
    for (let n = 0; n < g.n; n++) {
      const xg = x + ((<usize>(n * g.c + grp * cg) * g.h * g.w) << 2);
      for (let c = 0; c < cg; c++) {
        for (let ih = 0; ih < g.h; ih++) {
          memory.copy(xp + ((<usize>(c * hp + ih + g.ph) * wp + g.pw) << 2), xg + ((<usize>(c * g.h + ih) * g.w) << 2), <usize>g.w << 2);
        }
      }
      const dyg = dy + ((<usize>(n * g.o + grp * og) * P) << 2);
      for (let r = r0; r < r1; r++) {
        for (let oh = 0; oh < g.oh; oh++) {
          memory.copy(dye + <usize>r * ldf + ((<usize>oh * wp) << 2), dyg + ((<usize>(r * g.oh + oh) * g.ow) << 2), <usize>g.ow << 2);
        }
      }
      for (let j = j0; j < j1; j += 4) {
        const nj = min(4, j1 - j);
        const tb = offs + (<usize>j << 2);
        for (let r = r0; r < r1; r += 2) {
          const a = dye + <usize>r * ldf;
          const c = dwg + ((<usize>r * kg + j) << 2);
          if (nj == 4 && r + 1 < r1) {
            dot2x4(a, ldf, xp + <usize>load<i32>(tb), xp + <usize>load<i32>(tb, 4), xp + <usize>load<i32>(tb, 8), xp + <usize>load<i32>(tb, 12), F, c, ldw);
            continue;
          }
          for (let i = 0; i < min(2, r1 - r); i++) {
            for (let k = 0; k < nj; k++) dot1(a + <usize>i * ldf, xp + <usize>load<i32>(tb + (<usize>k << 2)), F, c + <usize>i * ldw + (<usize>k << 2));
          }
        }
      }
    }
  }
}

/**
 * One band of a convolution's weight gradient `dW = Σ_n dy[n] · cols(x[n])ᵀ`
 * ([O, C/g·kH·kW], overwritten). `mode` 0: patch rows [lo, hi) of every
 * group (lo a multiple of 4; each band builds only its own rows of the
 * im2col tile); 1: output channels [lo, hi) (one group only, lo even);
 * 2: groups [lo, hi).
 */
export function conv2dBackwardWeightBand(geom: usize, x: usize, dy: usize, dw: usize, mode: i32, lo: i32, hi: i32, work: usize): void {
  const g = changetype<ConvGeom>(geom);
  const og = g.o / g.groups;
  const cg = g.c / g.groups;
  const kg = cg * g.kh * g.kw;
  const P = g.oh * g.ow;
  const plane = <usize>g.h * g.w;
  const g0 = mode == 2 ? lo : 0;
  const g1 = mode == 2 ? hi : g.groups;
  const j0 = mode == 0 ? lo : 0;
  const j1 = mode == 0 ? hi : kg;
  const r0 = mode == 1 ? lo : 0;
  const r1 = mode == 1 ? hi : og;
  if (flatWeightGrad(g)) {
    flatWeightGradBand(g, x, dy, dw, g0, g1, j0, j1, r0, r1, work);
    return;
  }
  const L = chunkPixels(kg, P, (MC * KC + KC * NC));
  const tile = work;
  const ldt = <usize>L << 2;
  const ldw = <usize>kg << 2;
  const ldy = <usize>P << 2;
  for (let grp = g0; grp < g1; grp++) {
    const dwg = dw + ((<usize>grp * og * kg) << 2);
    for (let r = r0; r < r1; r++) memory.fill(dwg + ((<usize>r * kg + j0) << 2), 0, <usize>(j1 - j0) << 2);
    for (let n = 0; n < g.n; n++) {
      const xg = x + ((<usize>(n * g.c + grp * cg) * plane) << 2);
      const dyg = dy + ((<usize>(n * g.o + grp * og) * P) << 2);
      for (let q0 = 0; q0 < P; q0 += L) {
        const nq = min(L, P - q0);
        im2colRows(g, xg, j0, j1 - j0, q0, nq, tile, L);
        for (let j = j0; j < j1; j += 4) {
          const nj = min(4, j1 - j);
          const b = tile + <usize>(j - j0) * ldt;
          for (let r = r0; r < r1; r += 2) {
            const a = dyg + <usize>r * ldy + (<usize>q0 << 2);
            const c = dwg + ((<usize>r * kg + j) << 2);
            if (nj == 4 && r + 1 < r1) {
              dot2x4(a, ldy, b, b + ldt, b + 2 * ldt, b + 3 * ldt, nq, c, ldw);
              continue;
            }
            for (let i = 0; i < min(2, r1 - r); i++) {
              for (let k = 0; k < nj; k++) dot1(a + <usize>i * ldy, b + <usize>k * ldt, nq, c + <usize>i * ldw + (<usize>k << 2));
            }
          }
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

/**
 * The weight of a stride-1 convolution's input gradient written as a
 * convolution: W'[g·Cg + c, o, ki, kj] = W[g·Og + o, c, kH−1−ki, kW−1−kj]
 * ([C, O/g, kH, kW]) for the geometry `geom` of the forward convolution.
 */
export function conv2dFlipWeights(geom: usize, w: usize, dst: usize): void {
  const g = changetype<ConvGeom>(geom);
  const cg = g.c / g.groups;
  const og = g.o / g.groups;
  const kk = g.kh * g.kw;
  for (let grp = 0; grp < g.groups; grp++) {
    for (let o = 0; o < og; o++) {
      for (let c = 0; c < cg; c++) {
        const src = w + ((<usize>((grp * og + o) * cg + c) * kk) << 2);
        const out = dst + ((<usize>((grp * cg + c) * og + o) * kk) << 2);
        for (let t = 0; t < kk; t++) store<f32>(out + (<usize>(kk - 1 - t) << 2), load<f32>(src + (<usize>t << 2)));
      }
    }
  }
}
