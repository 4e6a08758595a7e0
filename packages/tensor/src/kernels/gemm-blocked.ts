import type { FloatArray, GemmArgs } from './backend.js';
import { eachProduct, gemmArgs } from './gemm-batch.js';

// Blocking follows the Goto/BLIS scheme: a KC×NC panel of B and an MC×KC
// block of A are packed into contiguous micro-panels so the 4×4 micro-kernel
// streams both with unit stride; KC×4 doubles of each operand stay in L1.
const MR = 4;
const NR = 4;
const KC = 256;
const MC = 64;
const NC = 1024;
// Below this many multiply-adds the packing costs more than it saves.
const SMALL = 32 * 32 * 32;

let packA = new Float64Array(MC * KC);
let packB = new Float64Array(KC * NC);
// Float64 stand-in for a float32 C while KC panels accumulate; reused across calls
// (the inner call writes a float64 C, so it never re-enters this path).
let accC = new Float64Array(0);

/** Cache-blocked, register-tiled GEMM in plain TypeScript (the default `js` backend). */
export function gemmBlocked(p: GemmArgs): void {
  if (eachProduct(p, gemmBlocked)) return;
  const { m, n, k, beta, c, cOffset, ldc } = p;
  if (m === 0 || n === 0) return;
  if (beta !== 1) scaleC(c, cOffset, ldc, m, n, beta);
  if (k === 0 || p.alpha === 0) return;
  if (k > KC && c instanceof Float32Array) {
    // Each KC panel adds its partial sums into C; a float32 C would round them
    // once per panel. Accumulate in a float64 copy and round once at the end.
    if (accC.length < m * n) accC = new Float64Array(m * n);
    const acc = accC;
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) acc[i * n + j] = c[cOffset + i * ldc + j]!;
    gemmBlocked(gemmArgs(p.transA, p.transB, m, n, k, p.alpha, p.a, p.aOffset, p.lda, p.b, p.bOffset, p.ldb, 1, acc, 0, n));
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) c[cOffset + i * ldc + j] = acc[i * n + j]!;
    return;
  }
  if (m * n * k <= SMALL) {
    gemmSmall(p);
    return;
  }
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      packPanelB(p, pc, jc, kc, nc);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        packBlockA(p, ic, pc, mc, kc);
        macroKernel(p, ic, jc, mc, nc, kc);
      }
    }
  }
}

function scaleC(c: FloatArray, off: number, ldc: number, m: number, n: number, beta: number): void {
  for (let i = 0; i < m; i++) {
    const row = off + i * ldc;
    if (beta === 0) c.fill(0, row, row + n);
    else for (let j = 0; j < n; j++) c[row + j] = beta * c[row + j]!;
  }
}

/** Packs B[pc:pc+kc, jc:jc+nc] as NR-wide column strips, k-major inside a strip, zero-padded. */
function packPanelB(p: GemmArgs, pc: number, jc: number, kc: number, nc: number): void {
  const need = kc * Math.ceil(nc / NR) * NR;
  if (packB.length < need) packB = new Float64Array(need);
  const dst = packB;
  const { b, bOffset, ldb, transB } = p;
  let o = 0;
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const w = Math.min(NR, nc - j0);
    for (let q = 0; q < kc; q++) {
      for (let jj = 0; jj < NR; jj++) {
        if (jj < w) {
          const col = jc + j0 + jj;
          const row = pc + q;
          dst[o++] = transB ? b[bOffset + col * ldb + row]! : b[bOffset + row * ldb + col]!;
        } else dst[o++] = 0;
      }
    }
  }
}

/** Packs A[ic:ic+mc, pc:pc+kc] as MR-tall row strips, k-major inside a strip, zero-padded. */
function packBlockA(p: GemmArgs, ic: number, pc: number, mc: number, kc: number): void {
  const need = kc * Math.ceil(mc / MR) * MR;
  if (packA.length < need) packA = new Float64Array(need);
  const dst = packA;
  const { a, aOffset, lda, transA } = p;
  let o = 0;
  for (let i0 = 0; i0 < mc; i0 += MR) {
    const h = Math.min(MR, mc - i0);
    for (let q = 0; q < kc; q++) {
      for (let ii = 0; ii < MR; ii++) {
        if (ii < h) {
          const row = ic + i0 + ii;
          const col = pc + q;
          dst[o++] = transA ? a[aOffset + col * lda + row]! : a[aOffset + row * lda + col]!;
        } else dst[o++] = 0;
      }
    }
  }
}

function macroKernel(p: GemmArgs, ic: number, jc: number, mc: number, nc: number, kc: number): void {
  const { c, cOffset, ldc, alpha } = p;
  const pa = packA;
  const pb = packB;
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const w = Math.min(NR, nc - j0);
    const bBase = (j0 / NR) * kc * NR;
    for (let i0 = 0; i0 < mc; i0 += MR) {
      const h = Math.min(MR, mc - i0);
      const aBase = (i0 / MR) * kc * MR;
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
      let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
      let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      let ai = aBase;
      let bi = bBase;
      for (let q = 0; q < kc; q++) {
        const a0 = pa[ai]!, a1 = pa[ai + 1]!, a2 = pa[ai + 2]!, a3 = pa[ai + 3]!;
        const b0 = pb[bi]!, b1 = pb[bi + 1]!, b2 = pb[bi + 2]!, b3 = pb[bi + 3]!;
        c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
        c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
        c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
        c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
        ai += MR;
        bi += NR;
      }
      const r0 = cOffset + (ic + i0) * ldc + jc + j0;
      if (h === MR && w === NR) {
        const r1 = r0 + ldc, r2 = r1 + ldc, r3 = r2 + ldc;
        c[r0] = c[r0]! + alpha * c00; c[r0 + 1] = c[r0 + 1]! + alpha * c01; c[r0 + 2] = c[r0 + 2]! + alpha * c02; c[r0 + 3] = c[r0 + 3]! + alpha * c03;
        c[r1] = c[r1]! + alpha * c10; c[r1 + 1] = c[r1 + 1]! + alpha * c11; c[r1 + 2] = c[r1 + 2]! + alpha * c12; c[r1 + 3] = c[r1 + 3]! + alpha * c13;
        c[r2] = c[r2]! + alpha * c20; c[r2 + 1] = c[r2 + 1]! + alpha * c21; c[r2 + 2] = c[r2 + 2]! + alpha * c22; c[r2 + 3] = c[r2 + 3]! + alpha * c23;
        c[r3] = c[r3]! + alpha * c30; c[r3 + 1] = c[r3 + 1]! + alpha * c31; c[r3 + 2] = c[r3 + 2]! + alpha * c32; c[r3 + 3] = c[r3 + 3]! + alpha * c33;
      } else {
        const tile = [c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33];
        for (let ii = 0; ii < h; ii++) {
          const row = r0 + ii * ldc;
          for (let jj = 0; jj < w; jj++) c[row + jj] = c[row + jj]! + alpha * tile[ii * NR + jj]!;
        }
      }
    }
  }
}

let rowAcc = new Float64Array(256);

/**
 * Small products: a direct loop in the order that reads B with unit stride.
 * Each row of C is accumulated in a float64 buffer so float32 storage is
 * rounded once, not once per product.
 */
function gemmSmall(p: GemmArgs): void {
  const { m, n, k, a, b, c, lda, ldb, ldc, aOffset, bOffset, cOffset, transA, transB, alpha } = p;
  if (rowAcc.length < n) rowAcc = new Float64Array(n);
  const acc = rowAcc;
  for (let i = 0; i < m; i++) {
    const crow = cOffset + i * ldc;
    for (let j = 0; j < n; j++) acc[j] = c[crow + j]!;
    for (let q = 0; q < k; q++) {
      const av = alpha * (transA ? a[aOffset + q * lda + i]! : a[aOffset + i * lda + q]!);
      if (transB) {
        for (let j = 0; j < n; j++) acc[j]! += av * b[bOffset + j * ldb + q]!;
      } else {
        const brow = bOffset + q * ldb;
        for (let j = 0; j < n; j++) acc[j]! += av * b[brow + j]!;
      }
    }
    for (let j = 0; j < n; j++) c[crow + j] = acc[j]!;
  }
}
