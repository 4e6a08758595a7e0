// The single-precision GEMM machinery for WebAssembly SIMD128, in the Goto/BLIS scheme:
// a KC×NC panel of B and an MC×KC block of A are packed into micro-panels,
// and a 4×8 register tile (8 accumulators, 2 B vectors, 1 A splat: 11 of the
// 15 SIMD registers V8 gives on x64) streams both with unit stride.
//
// Every pointer is a byte offset into linear memory; matrices are row-major
// float32. The caller hands each thread its own `work` area, so threads can
// run disjoint slices of one product concurrently over shared memory.
//
// Built twice: with relaxed SIMD (fused multiply-add) and without.

export const MR: i32 = 4;
export const NR: i32 = 8;
export const KC: i32 = 256;
export const MC: i32 = 128;
export const NC: i32 = 2048;

/** Bytes of scratch one `sgemm` call needs at `work` (packed A, packed B, an edge tile). */
export function gemmWorkBytes(): i32 {
  return (MC * KC + KC * NC + MR * NR) << 2;
}

@inline
export function madd(a: v128, b: v128, acc: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, acc);
  return f32x4.add(acc, f32x4.mul(a, b));
}

/**
 * `C[m×n] = alpha · op(A) · op(B) + beta · C` where op(X) is X or Xᵀ as
 * stored (`lda`, `ldb`, `ldc` are row strides in elements).
 */
export function sgemmCore(
  transA: i32, transB: i32, m: i32, n: i32, k: i32, alpha: f32,
  a: usize, lda: i32, b: usize, ldb: i32, beta: f32, c: usize, ldc: i32, work: usize,
): void {
  if (m <= 0 || n <= 0) return;
  if (beta != 1) scaleC(c, ldc, m, n, beta);
  if (k <= 0 || alpha == 0) return;
  const packA = work;
  const packB = work + ((MC * KC) << 2);
  const edge = packB + ((KC * NC) << 2);
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      packPanelB(transB, b, ldb, pc, jc, kc, nc, packB);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packBlockA(transA, a, lda, ic, pc, mc, kc, packA);
        macroKernel(mc, nc, kc, alpha, packA, packB, c + ((<usize>ic * ldc + jc) << 2), ldc, edge);
      }
    }
  }
}

export function scaleC(c: usize, ldc: i32, m: i32, n: i32, beta: f32): void {
  const vb = f32x4.splat(beta);
  for (let i = 0; i < m; i++) {
    let p = c + ((<usize>i * ldc) << 2);
    const end = p + (<usize>n << 2);
    if (beta == 0) {
      memory.fill(p, 0, end - p);
      continue;
    }
    for (; p + 16 <= end; p += 16) v128.store(p, f32x4.mul(v128.load(p), vb));
    for (; p < end; p += 4) store<f32>(p, load<f32>(p) * beta);
  }
}

// Shared by every kernel that lowers to a GEMM (convolution packs its B
// panel straight from the image instead of calling packPanelB).

// packA holds ceil(mc/MR) micro-panels; panel r stores A(ic+r·MR+i, pc+p) at
// [p·MR + i], zero-padded past mc so the micro-kernel never branches on edges.
export function packBlockA(transA: i32, a: usize, lda: i32, ic: i32, pc: i32, mc: i32, kc: i32, dst: usize): void {
  for (let ir = 0; ir < mc; ir += MR) {
    const rows = min(MR, mc - ir);
    const panel = dst + ((<usize>ir * kc) << 2);
    if (transA) {
      // A is stored [k, m]: MR consecutive rows of op(A) are contiguous in memory.
      for (let p = 0; p < kc; p++) {
        const src = a + ((<usize>(pc + p) * lda + ic + ir) << 2);
        const out = panel + ((<usize>p * MR) << 2);
        if (rows == MR) v128.store(out, v128.load(src));
        else for (let i = 0; i < MR; i++) store<f32>(out + (i << 2), i < rows ? load<f32>(src + (i << 2)) : 0);
      }
    } else {
      for (let i = 0; i < MR; i++) {
        if (i >= rows) {
          for (let p = 0; p < kc; p++) store<f32>(panel + ((<usize>(p * MR + i)) << 2), 0);
          continue;
        }
        const src = a + ((<usize>(ic + ir + i) * lda + pc) << 2);
        for (let p = 0; p < kc; p++) store<f32>(panel + ((<usize>(p * MR + i)) << 2), load<f32>(src + (<usize>p << 2)));
      }
    }
  }
}

// packB holds ceil(nc/NR) micro-panels; panel s stores B(pc+p, jc+s·NR+j) at [p·NR + j].
export function packPanelB(transB: i32, b: usize, ldb: i32, pc: i32, jc: i32, kc: i32, nc: i32, dst: usize): void {
  for (let jr = 0; jr < nc; jr += NR) {
    const cols = min(NR, nc - jr);
    const panel = dst + ((<usize>jr * kc) << 2);
    if (!transB) {
      for (let p = 0; p < kc; p++) {
        const src = b + ((<usize>(pc + p) * ldb + jc + jr) << 2);
        const out = panel + ((<usize>p * NR) << 2);
        if (cols == NR) {
          v128.store(out, v128.load(src));
          v128.store(out, v128.load(src, 16), 16);
        } else {
          for (let j = 0; j < NR; j++) store<f32>(out + (j << 2), j < cols ? load<f32>(src + (j << 2)) : 0);
        }
      }
    } else {
      // B is stored [n, k]: walk each stored row (a column of op(B)) contiguously.
      for (let j = 0; j < NR; j++) {
        if (j >= cols) {
          for (let p = 0; p < kc; p++) store<f32>(panel + ((<usize>(p * NR + j)) << 2), 0);
          continue;
        }
        const src = b + ((<usize>(jc + jr + j) * ldb + pc) << 2);
        for (let p = 0; p < kc; p++) store<f32>(panel + ((<usize>(p * NR + j)) << 2), load<f32>(src + (<usize>p << 2)));
      }
    }
  }
}

export function macroKernel(mc: i32, nc: i32, kc: i32, alpha: f32, packA: usize, packB: usize, c: usize, ldc: i32, edge: usize): void {
  for (let jr = 0; jr < nc; jr += NR) {
    const cols = min(NR, nc - jr);
    const bp = packB + ((<usize>jr * kc) << 2);
    for (let ir = 0; ir < mc; ir += MR) {
      const rows = min(MR, mc - ir);
      const ap = packA + ((<usize>ir * kc) << 2);
      const cp = c + ((<usize>ir * ldc + jr) << 2);
      if (rows == MR && cols == NR) microKernel(kc, alpha, ap, bp, cp, ldc);
      else {
        memory.fill(edge, 0, MR * NR * 4);
        microKernel(kc, alpha, ap, bp, edge, NR);
        for (let i = 0; i < rows; i++) {
          for (let j = 0; j < cols; j++) {
            const dst = cp + ((<usize>i * ldc + j) << 2);
            store<f32>(dst, load<f32>(dst) + load<f32>(edge + ((<usize>(i * NR + j)) << 2)));
          }
        }
      }
    }
  }
}

// C[4×8] += alpha · Ã·B̃ over kc: the one loop that decides the speed.
@inline
function microKernel(kc: i32, alpha: f32, ap: usize, bp: usize, c: usize, ldc: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let av = v128.load32_splat(ap);
    c00 = madd(av, b0, c00);
    c01 = madd(av, b1, c01);
    av = v128.load32_splat(ap, 4);
    c10 = madd(av, b0, c10);
    c11 = madd(av, b1, c11);
    av = v128.load32_splat(ap, 8);
    c20 = madd(av, b0, c20);
    c21 = madd(av, b1, c21);
    av = v128.load32_splat(ap, 12);
    c30 = madd(av, b0, c30);
    c31 = madd(av, b1, c31);
    ap += 16;
    bp += 32;
  }
  const va = f32x4.splat(alpha);
  const row = <usize>ldc << 2;
  accumulate(c, c00, c01, va);
  accumulate(c + row, c10, c11, va);
  accumulate(c + 2 * row, c20, c21, va);
  accumulate(c + 3 * row, c30, c31, va);
}

@inline
function accumulate(c: usize, lo: v128, hi: v128, va: v128): void {
  v128.store(c, f32x4.add(v128.load(c), f32x4.mul(lo, va)));
  v128.store(c, f32x4.add(v128.load(c, 16), f32x4.mul(hi, va)), 16);
}

