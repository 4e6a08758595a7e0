// Dense solvers for the small systems of Newton's method (n up to a few hundred).

/**
 * Solves A x = b for symmetric positive-definite A (row-major n×n) by
 * Cholesky, A = LLᵀ. Returns null when A is not positive definite.
 */
export function choleskySolve(a: Float64Array, b: Float64Array, n: number): Float64Array | null {
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let s = a[j * n + j]!;
    for (let k = 0; k < j; k++) s -= l[j * n + k]! * l[j * n + k]!;
    if (!(s > 0)) return null;
    const ljj = Math.sqrt(s);
    l[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let t = a[i * n + j]!;
      for (let k = 0; k < j; k++) t -= l[i * n + k]! * l[j * n + k]!;
      l[i * n + j] = t / ljj;
    }
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i * n + k]! * y[k]!;
    y[i] = s / l[i * n + i]!;
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * x[k]!;
    x[i] = s / l[i * n + i]!;
  }
  return x;
}

/**
 * Solves A x = b by LU with partial pivoting (any non-singular A). Returns
 * null when a pivot is exactly zero or not finite.
 */
export function luSolve(a: Float64Array, b: Float64Array, n: number): Float64Array | null {
  const m = a.slice();
  const x = b.slice();
  for (let c = 0; c < n; c++) {
    let piv = c;
    let best = Math.abs(m[c * n + c]!);
    for (let r = c + 1; r < n; r++) {
      const v = Math.abs(m[r * n + c]!);
      if (v > best) {
        best = v;
        piv = r;
      }
    }
    if (!(best > 0) || !Number.isFinite(best)) return null;
    if (piv !== c) {
      for (let k = 0; k < n; k++) {
        const t = m[c * n + k]!;
        m[c * n + k] = m[piv * n + k]!;
        m[piv * n + k] = t;
      }
      const t = x[c]!;
      x[c] = x[piv]!;
      x[piv] = t;
    }
    const p = m[c * n + c]!;
    for (let r = c + 1; r < n; r++) {
      const f = m[r * n + c]! / p;
      if (f === 0) continue;
      for (let k = c; k < n; k++) m[r * n + k] = m[r * n + k]! - f * m[c * n + k]!;
      x[r] = x[r]! - f * x[c]!;
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let s = x[r]!;
    for (let k = r + 1; k < n; k++) s -= m[r * n + k]! * x[k]!;
    x[r] = s / m[r * n + r]!;
  }
  return x;
}

/** Result of {@link conjugateGradient}. */
export interface CgResult {
  x: Float64Array;
  iterations: number;
  /** True when a direction of non-positive curvature stopped the iteration. */
  negativeCurvature: boolean;
}

/**
 * Conjugate gradient for A x = b with A given as a product v ↦ Av. Stops at
 * ‖r‖ ≤ tol·‖b‖, after maxIter products, or on a direction p with pᵀAp ≤ 0
 * (then the iterate so far is returned, or b itself if that happens at once —
 * the truncated-Newton rule that keeps the result a descent direction).
 */
export function conjugateGradient(matvec: (v: Float64Array) => Float64Array, b: Float64Array, maxIter: number, tol: number): CgResult {
  const n = b.length;
  const x = new Float64Array(n);
  const r = b.slice();
  const p = b.slice();
  let rr = 0;
  for (let i = 0; i < n; i++) rr += r[i]! * r[i]!;
  const stop = tol * tol * rr;
  let it = 0;
  while (it < maxIter && rr > stop && rr > 0) {
    const ap = matvec(p);
    let pap = 0;
    for (let i = 0; i < n; i++) pap += p[i]! * ap[i]!;
    it++;
    if (!(pap > 0)) {
      if (it === 1) x.set(b);
      return { x, iterations: it, negativeCurvature: true };
    }
    const alpha = rr / pap;
    let rrNew = 0;
    for (let i = 0; i < n; i++) {
      x[i] = x[i]! + alpha * p[i]!;
      r[i] = r[i]! - alpha * ap[i]!;
      rrNew += r[i]! * r[i]!;
    }
    const beta = rrNew / rr;
    for (let i = 0; i < n; i++) p[i] = r[i]! + beta * p[i]!;
    rr = rrNew;
  }
  return { x, iterations: it, negativeCurvature: false };
}
