// Memory-bound float32 loops in SIMD128. Tensors live in JS memory, so the
// backend copies operands in and results out; bench/elementwise.bench.ts
// measured this faster than the best JS loop even with the copies.
//
// Every binary op here is one IEEE operation on float32 inputs, so the
// result equals what JS computes in double and rounds on store: bitwise
// identical to the reference kernels; so are the unary relu, neg, abs,
// square and sqrt. The transcendental unaries (exp, log, sigmoid, tanh,
// gelu, erf) are polynomial approximations within a stated ulp bound
// (lib/math.ts).

import { erfv, expFullv, geluGradv, geluTanhGradv, geluTanhv, geluv, logv, sigmoidv, tanhv } from './lib/math';

/** Binary op codes: add, sub, mul, div. */
export const enum Bin {
  Add = 0,
  Sub = 1,
  Mul = 2,
  Div = 3,
}

@inline
function vbin(op: i32, x: v128, y: v128): v128 {
  switch (op) {
    case Bin.Add: return f32x4.add(x, y);
    case Bin.Sub: return f32x4.sub(x, y);
    case Bin.Mul: return f32x4.mul(x, y);
    default: return f32x4.div(x, y);
  }
}

@inline
function sbin(op: i32, x: f32, y: f32): f32 {
  switch (op) {
    case Bin.Add: return x + y;
    case Bin.Sub: return x - y;
    case Bin.Mul: return x * y;
    default: return x / y;
  }
}

/**
 * out = a ⊙ b over n values. `aLen` and `bLen` are each n (full), 1 (a
 * scalar) or a period p dividing n (a row [p] repeated, as a bias over
 * [N, p]); at most one operand is not full.
 */
export function binaryF32(op: i32, a: usize, aLen: i32, b: usize, bLen: i32, out: usize, n: i32): void {
  if (aLen == n && bLen == n) {
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(out + o, vbin(op, v128.load(a + o), v128.load(b + o)));
    }
    for (; i < n; i++) {
      const o = <usize>i << 2;
      store<f32>(out + o, sbin(op, load<f32>(a + o), load<f32>(b + o)));
    }
    return;
  }
  if (bLen == 1 || aLen == 1) {
    const s = bLen == 1 ? load<f32>(b) : load<f32>(a);
    const vs = f32x4.splat(s);
    const x = bLen == 1 ? a : b;
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const v = v128.load(x + o);
      v128.store(out + o, bLen == 1 ? vbin(op, v, vs) : vbin(op, vs, v));
    }
    for (; i < n; i++) {
      const o = <usize>i << 2;
      const v = load<f32>(x + o);
      store<f32>(out + o, bLen == 1 ? sbin(op, v, s) : sbin(op, s, v));
    }
    return;
  }
  // One operand is a row of length p repeated over n / p rows.
  const rowFirst = aLen < n;
  const p = rowFirst ? aLen : bLen;
  const row = rowFirst ? a : b;
  const full = rowFirst ? b : a;
  for (let r = 0; r < n; r += p) {
    const base = <usize>r << 2;
    let j = 0;
    for (; j + 4 <= p; j += 4) {
      const o = <usize>j << 2;
      const f = v128.load(full + base + o);
      const w = v128.load(row + o);
      v128.store(out + base + o, rowFirst ? vbin(op, w, f) : vbin(op, f, w));
    }
    for (; j < p; j++) {
      const o = <usize>j << 2;
      const f = load<f32>(full + base + o);
      const w = load<f32>(row + o);
      store<f32>(out + base + o, rowFirst ? sbin(op, w, f) : sbin(op, f, w));
    }
  }
}

/**
 * Unary op codes. Relu to Sqrt are single IEEE operations (bitwise equal to
 * the reference); Exp to Erf are the approximations of lib/math.ts, each
 * within the ulp bound stated there.
 */
export const enum Un {
  Relu = 0,
  Neg = 1,
  Abs = 2,
  Square = 3,
  Sqrt = 4,
  Exp = 5,
  Log = 6,
  Sigmoid = 7,
  Tanh = 8,
  Gelu = 9,
  GeluTanh = 10,
  Erf = 11,
}

@inline
function vun(op: i32, x: v128): v128 {
  switch (op) {
    // max propagates NaN and maps −0 to +0, like the reference relu.
    case Un.Relu: return f32x4.max(x, f32x4.splat(0));
    case Un.Neg: return f32x4.neg(x);
    case Un.Abs: return f32x4.abs(x);
    case Un.Square: return f32x4.mul(x, x);
    case Un.Sqrt: return f32x4.sqrt(x);
    case Un.Exp: return expFullv(x);
    case Un.Log: return logv(x);
    case Un.Sigmoid: return sigmoidv(x);
    case Un.Tanh: return tanhv(x);
    case Un.Gelu: return geluv(x);
    case Un.GeluTanh: return geluTanhv(x);
    default: return erfv(x);
  }
}

/** out = f(x) over n values. */
export function unaryF32(op: i32, x: usize, out: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, vun(op, v128.load(x + o)));
  }
  // The last 1–3 values go through the same vector code, so every element
  // gets the same function whatever its position.
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, f32x4.extract_lane(vun(op, f32x4.splat(load<f32>(x + o))), 0));
  }
}

/**
 * Activation backward codes: out = g·f′ where f′ comes from the output y
 * (sigmoid: y(1 − y), tanh: 1 − y², each as the float32 operations of the
 * differentiable rule, so bitwise equal to it) or from the input x (gelu,
 * geluTanh: the derivatives of lib/math.ts, within their stated bounds).
 */
export const enum Grad {
  Sigmoid = 0,
  Tanh = 1,
  Gelu = 2,
  GeluTanh = 3,
  /** v is x: g where x > 0, else +0 (a select on the comparison's mask: NaN and ±0 give +0). */
  Relu = 4,
}

@inline
function vgrad(op: i32, v: v128, g: v128): v128 {
  const one = f32x4.splat(1);
  switch (op) {
    case Grad.Sigmoid: return f32x4.mul(g, f32x4.mul(v, f32x4.sub(one, v)));
    case Grad.Tanh: return f32x4.mul(g, f32x4.sub(one, f32x4.mul(v, v)));
    case Grad.Gelu: return f32x4.mul(g, geluGradv(v));
    case Grad.Relu: return v128.and(g, f32x4.gt(v, f32x4.splat(0)));
    default: return f32x4.mul(g, geluTanhGradv(v));
  }
}

/** out = g·f′(v) over n values (see `Grad`). */
export function activationGradF32(op: i32, v: usize, g: usize, out: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, vgrad(op, v128.load(v + o), v128.load(g + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, f32x4.extract_lane(vgrad(op, f32x4.splat(load<f32>(v + o)), f32x4.splat(load<f32>(g + o))), 0));
  }
}

/**
 * Column sums of a [rows, cols] float32 matrix, accumulated in float64 in
 * row order (as the reference does) and rounded once: `acc` is scratch for
 * cols float64 values.
 */
export function colSumF32(x: usize, rows: i32, cols: i32, acc: usize, out: usize): void {
  memory.fill(acc, 0, <usize>cols << 3);
  for (let r = 0; r < rows; r++) {
    const src = x + ((<usize>r * cols) << 2);
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const v = v128.load(src + (<usize>j << 2));
      const p = acc + (<usize>j << 3);
      v128.store(p, f64x2.add(v128.load(p), f64x2.promote_low_f32x4(v)));
      v128.store(p, f64x2.add(v128.load(p, 16), f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1))), 16);
    }
    for (; j < cols; j++) {
      const p = acc + (<usize>j << 3);
      store<f64>(p, load<f64>(p) + <f64>load<f32>(src + (<usize>j << 2)));
    }
  }
  let j = 0;
  for (; j + 2 <= cols; j += 2) {
    const d = f32x4.demote_f64x2_zero(v128.load(acc + (<usize>j << 3)));
    v128.store64_lane(out + (<usize>j << 2), d, 0);
  }
  for (; j < cols; j++) store<f32>(out + (<usize>j << 2), <f32>load<f64>(acc + (<usize>j << 3)));
}

/**
 * y[i] += alpha · x[i] over n values (an optimizer's update), in float64
 * like the JS loop (alpha·x and the sum each rounded to double, then once to
 * float32), so the two agree bit for bit for any alpha.
 */
export function axpyF32(alpha: f64, x: usize, y: usize, n: i32): void {
  const va = f64x2.splat(alpha);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const xv = v128.load(x + o);
    const yv = v128.load(y + o);
    const lo = f64x2.add(f64x2.promote_low_f32x4(yv), f64x2.mul(va, f64x2.promote_low_f32x4(xv)));
    const hi = f64x2.add(
      f64x2.promote_low_f32x4(i32x4.shuffle(yv, yv, 2, 3, 0, 1)),
      f64x2.mul(va, f64x2.promote_low_f32x4(i32x4.shuffle(xv, xv, 2, 3, 0, 1))),
    );
    v128.store(y + o, i32x4.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, <f32>(<f64>load<f32>(y + o) + alpha * <f64>load<f32>(x + o)));
  }
}

/**
 * out[o, index[j], :] += src[o, j, :] for src [outer, k, inner] and out
 * [outer, size, inner] (float32; `index` int32): the scatter-sum of graph
 * aggregation and embedding gradients. Each row is added with the same
 * single float32 additions, in the same order, as the JS loop.
 */
export function indexAddF32(src: usize, outer: i32, k: i32, inner: i32, index: usize, size: i32, out: usize): void {
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < k; j++) {
      const to = out + ((<usize>(o * size + load<i32>(index + (<usize>j << 2))) * inner) << 2);
      const from = src + ((<usize>(o * k + j) * inner) << 2);
      let i = 0;
      for (; i + 4 <= inner; i += 4) {
        const off = <usize>i << 2;
        v128.store(to + off, f32x4.add(v128.load(to + off), v128.load(from + off)));
      }
      for (; i < inner; i++) {
        const off = <usize>i << 2;
        store<f32>(to + off, load<f32>(to + off) + load<f32>(from + off));
      }
    }
  }
}
