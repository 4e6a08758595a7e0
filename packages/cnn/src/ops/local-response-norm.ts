import { type FloatArray, ShapeError, Tensor, ValueError, add, allocStorage, defineOp, describeValue, expectFinite, expectFloat, expectInt, expectOptions, fmtShape, mul, pad, pow, slice, square, sub } from '@dl/tensor';

/** Options of `localResponseNorm` (PyTorch's `F.local_response_norm`). */
export interface LocalResponseNormOptions {
  /** Channels in the window around each channel (required; AlexNet: 5). */
  size: number;
  /** Scale α of the windowed sum of squares, divided by `size` as PyTorch does (default 1e-4). */
  alpha?: number;
  /** Exponent β (default 0.75). */
  beta?: number;
  /** Additive constant k (default 1; AlexNet: 2). */
  k?: number;
}

interface LrnAttrs {
  readonly size: number;
  readonly alpha: number;
  readonly beta: number;
  readonly k: number;
  /** Channels before / after a channel in its window: ⌊size/2⌋ and ⌊(size − 1)/2⌋. */
  readonly before: number;
  readonly after: number;
}

/** `D` per element, the denominator's base `k + α/n·Σ x²` (float64 sums, stored in the input's dtype). */
function denominators(x: FloatArray, N: number, C: number, L: number, a: LrnAttrs, out: FloatArray): void {
  const scale = a.alpha / a.size;
  const col = new Float64Array(C);
  for (let n = 0; n < N; n++) {
    const base = n * C * L;
    for (let l = 0; l < L; l++) {
      for (let c = 0; c < C; c++) {
        const v = x[base + c * L + l]!;
        col[c] = v * v;
      }
      for (let c = 0; c < C; c++) {
        let s = 0;
        const lo = Math.max(0, c - a.before);
        const hi = Math.min(C - 1, c + a.after);
        for (let j = lo; j <= hi; j++) s += col[j]!;
        out[base + c * L + l] = a.k + scale * s;
      }
    }
  }
}

/** `Σ_{c' = c − lo}^{c + hi} t[c']` along dim 1 with zeros outside, in differentiable ops. */
function windowSum(t: Tensor, lo: number, hi: number): Tensor {
  const C = t.shape[1]!;
  const pads = t.shape.map((_, d): [number, number] => (d === 1 ? [lo, hi] : [0, 0]));
  const padded = pad(t, pads);
  let s: Tensor | null = null;
  for (let j = 0; j <= lo + hi; j++) {
    const part = slice(padded, [null, [j, j + C]]);
    s = s === null ? part : add(s, part);
  }
  return s!;
}

/** `k + α/n·Σ_window x²` in differentiable ops. */
function denominatorDifferentiable(x: Tensor, a: LrnAttrs): Tensor {
  return add(mul(windowSum(square(x), a.before, a.after), a.alpha / a.size), a.k);
}

// y_c = x_c·D_c^−β, D_c = k + α/n·Σ_{c' ∈ [c − before, c + after]} x_{c'}², so
// ∂L/∂x_j = g_j·D_j^−β − (2αβ/n)·x_j·Σ_{c : j ∈ window(c)} g_c·x_c·D_c^(−β−1),
// the last sum over c ∈ [j − after, j + before] (the window turned around).
const lrnOp = defineOp<LrnAttrs, FloatArray>({
  name: 'localResponseNorm',
  forward: ([x], a) => {
    const [N, C] = x!.shape as [number, number];
    const L = x!.size / Math.max(1, N * C);
    const xd = x!.data as FloatArray;
    const D = allocStorage(x!.dtype, x!.size) as FloatArray;
    denominators(xd, N, C, L, a, D);
    const out = allocStorage(x!.dtype, x!.size) as FloatArray;
    for (let i = 0; i < out.length; i++) out[i] = xd[i]! * Math.pow(D[i]!, -a.beta);
    return { output: new Tensor(out, x!.shape), saved: D };
  },
  fastBackward: (g, { inputs: [x], attrs: a, saved: D }) => {
    const [N, C] = x!.shape as [number, number];
    const L = x!.size / Math.max(1, N * C);
    const xd = x!.data as FloatArray;
    const gd = g.data as FloatArray;
    const dx = allocStorage(x!.dtype, x!.size) as FloatArray;
    const coef = (2 * a.alpha * a.beta) / a.size;
    const t = new Float64Array(C);
    for (let n = 0; n < N; n++) {
      const base = n * C * L;
      for (let l = 0; l < L; l++) {
        for (let c = 0; c < C; c++) {
          const i = base + c * L + l;
          t[c] = (gd[i]! * xd[i]! * Math.pow(D[i]!, -a.beta)) / D[i]!;
        }
        for (let j = 0; j < C; j++) {
          const i = base + j * L + l;
          let s = 0;
          const lo = Math.max(0, j - a.after);
          const hi = Math.min(C - 1, j + a.before);
          for (let c = lo; c <= hi; c++) s += t[c]!;
          dx[i] = gd[i]! * Math.pow(D[i]!, -a.beta) - coef * xd[i]! * s;
        }
      }
    }
    return [new Tensor(dx, x!.shape)];
  },
  backward: [
    (g, { inputs: [x], attrs: a }) => {
      const D = denominatorDifferentiable(x!, a);
      const Dpow = pow(D, -a.beta);
      const t = mul(mul(g, x!), pow(D, -a.beta - 1));
      return sub(mul(g, Dpow), mul(mul(x!, windowSum(t, a.after, a.before)), (2 * a.alpha * a.beta) / a.size));
    },
  ],
});

/**
 * Local response normalization across channels, PyTorch's `F.local_response_norm`
 * exactly: `y_c = x_c / (k + α/n · Σ_{c' = c − ⌊n/2⌋}^{c + ⌊(n−1)/2⌋} x_{c'}²)^β`
 * over `[N, C, *]`, with zeros beyond the first and last channel. The α/n is
 * PyTorch's (and Caffe's): Krizhevsky et al. (2012) write α without dividing by
 * n, so their α = 1e-4 with n = 5 is `alpha: 5e-4` here. AlexNet's constants as
 * the frameworks port them are `{ size: 5, alpha: 1e-4, beta: 0.75, k: 2 }`.
 *
 * @example localResponseNorm(randn([2, 96, 55, 55]), { size: 5, alpha: 1e-4, beta: 0.75, k: 2 }); // AlexNet's, [2, 96, 55, 55]
 */
export function localResponseNorm(x: Tensor, options: LocalResponseNormOptions): Tensor {
  const op = 'localResponseNorm';
  expectFloat(op, x);
  if (x.ndim < 3) throw new ShapeError(op, `input has shape ${fmtShape(x.shape)}; need [N, C, *] with at least 3 dimensions (PyTorch's rule)`);
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ValueError(op, `options must be an object { size, alpha?, beta?, k? }, got ${describeValue(options)}`);
  }
  expectOptions(op, options, ['size', 'alpha', 'beta', 'k']);
  const { size, alpha = 1e-4, beta = 0.75, k = 1 } = options;
  expectInt(op, 'size', size, 1);
  expectFinite(op, 'alpha', alpha);
  expectFinite(op, 'beta', beta);
  expectFinite(op, 'k', k);
  return lrnOp([x], { size, alpha, beta, k, before: Math.floor(size / 2), after: Math.floor((size - 1) / 2) });
}
