/**
 * Measures the SIMD128 transcendental functions (assembly/lib/math.ts)
 * against the double-precision reference rounded to float32: the largest
 * distance in ulps (float32 values between the two) over every `STRIDE`-th
 * float32 bit pattern of both signs (normal, subnormal, ±0, ±∞, NaN), and
 * where it occurs. The bounds the tests assert come from this run.
 *
 *   pnpm --filter @dl/tensor exec tsx --conditions=@dl/source bench/math-accuracy.ts [stride] [--range lo hi]
 */
import { unaryFn, type UnaryCode } from '../src/kernels/elementwise-loops.generated.js';
import { wasmRuntime } from '../src/kernels/wasm/runtime.js';
import { erfc } from '../src/kernels/scalar-fns.js';
import { geluGrad, geluTanhGrad } from '../src/kernels/activation-grad.js';
import { SIMD_UNARY } from '../src/kernels/wasm/elementwise-wasm.js';

const STRIDE = Number(process.argv[2] ?? 97);
// Optional: --range lo hi sweeps every float32 with lo ≤ |x| ≤ hi (both signs) instead.
const rangeAt = process.argv.indexOf('--range');
const RANGE = rangeAt > 0 ? [Number(process.argv[rangeAt + 1]), Number(process.argv[rangeAt + 2])] : undefined;
const CHUNK = 1 << 20;

const rt = wasmRuntime();
const px = rt.allocator.alloc(CHUNK * 4);
const po = rt.allocator.alloc(CHUNK * 4);
const unaryF32 = (rt.kernels as unknown as { unaryF32: (op: number, x: number, out: number, n: number) => void }).unaryF32;

const bitsOf = new Int32Array(1);
const f32Of = new Float32Array(bitsOf.buffer);
/** Position of a float32 on the number line: adjacent floats differ by 1, ±0 are both 0. */
function ordinal(v: number): number {
  f32Of[0] = v;
  const b = bitsOf[0]!;
  return b < 0 ? -(b & 0x7fffffff) : b;
}

const bitsF = new Float32Array(1);
const bitsI = new Int32Array(bitsF.buffer);
const bitsOfF32 = (v: number): number => {
  bitsF[0] = v;
  return bitsI[0]!;
};
/** Bit patterns to test, in chunks: every STRIDE-th of all 2³², or every float in ±[lo, hi]. */
function* chunks(): Generator<[number, (i: number) => number]> {
  if (RANGE === undefined) {
    for (let start = 0; start < 2 ** 32; start += CHUNK * STRIDE) {
      yield [Math.min(CHUNK, Math.ceil((2 ** 32 - start) / STRIDE)), (i) => (start + i * STRIDE) | 0];
    }
    return;
  }
  const lo = bitsOfF32(RANGE[0]!);
  const hi = bitsOfF32(RANGE[1]!);
  for (const sign of [0, 0x80000000 | 0]) {
    for (let start = lo; start <= hi; start += CHUNK) {
      yield [Math.min(CHUNK, hi - start + 1), (i) => (start + i) | sign];
    }
  }
}
console.log(
  RANGE === undefined
    ? `max error in ulps over every ${STRIDE}th float32 bit pattern (${Math.ceil(2 ** 32 / STRIDE).toLocaleString()} inputs)`
    : `max error in ulps over every float32 x with ${RANGE[0]} ≤ |x| ≤ ${RANGE[1]}`,
);
// Optional: --only name,name limits the run to those functions (and derivatives: gelu′, geluTanh′).
const onlyAt = process.argv.indexOf('--only');
const ONLY = onlyAt > 0 ? process.argv[onlyAt + 1]!.split(',') : undefined;
const wanted = (name: string): boolean => ONLY === undefined || ONLY.includes(name);
for (const [code, op] of Object.entries(SIMD_UNARY) as [UnaryCode, number][]) {
  if (op < 5 || !wanted(code)) continue; // relu…sqrt are single IEEE operations: exact
  const f = unaryFn(code, 0, 0);
  let worst = 0;
  let worstX = 0;
  let nanMismatch = 0;
  let zeroSign = 0;
  const xs = new Float32Array(CHUNK);
  const xb = new Int32Array(xs.buffer);
  for (const [n, bitsAt] of chunks()) {
    for (let i = 0; i < n; i++) xb[i] = bitsAt(i);
    const heap = new Float32Array(rt.memory.buffer);
    heap.set(xs.subarray(0, n), px >> 2);
    unaryF32(op, px, po, n);
    const got = new Float32Array(rt.memory.buffer, po, n);
    for (let i = 0; i < n; i++) {
      const x = xs[i]!;
      const want = Math.fround(f(x));
      const g = got[i]!;
      if (Number.isNaN(want) || Number.isNaN(g)) {
        if (Number.isNaN(want) !== Number.isNaN(g)) nanMismatch++;
        continue;
      }
      if (g === 0 && want === 0 && Object.is(g, -0) !== Object.is(want, -0)) zeroSign++;
      const d = Math.abs(ordinal(g) - ordinal(want));
      if (d > worst) {
        worst = d;
        worstX = x;
      }
    }
  }
  console.log(`${code.padEnd(9)} max ${worst} ulp (at x = ${worstX}), NaN mismatches ${nanMismatch}, signed-zero mismatches ${zeroSign}`);
}

// The fused backward kernels of gelu and geluTanh: f′ = A + B can cancel (at
// gelu's minimum), so their error is measured against |A| + |B| in units of
// 2⁻²⁴, with one subnormal ulp (2⁻¹⁴⁹) of absolute slack.
const grads = {
  gelu: { op: 2, f: geluGrad, terms: (x: number) => Math.abs(0.5 * erfc(-x * Math.SQRT1_2)) + Math.abs(x * 0.3989422804014327 * Math.exp(-0.5 * x * x)) },
  geluTanh: {
    op: 3,
    f: geluTanhGrad,
    terms: (x: number) => {
      const v = 1.5957691216057308 * (x + 0.044715 * x * x * x);
      const e = Math.exp(-Math.abs(v));
      const s = v >= 0 ? 1 / (1 + e) : e / (1 + e);
      return s + Math.abs((x * 1.5957691216057308 * (1 + 0.134145 * x * x) * e) / ((1 + e) * (1 + e)));
    },
  },
};
const activationGradF32 = (rt.kernels as unknown as { activationGradF32: (op: number, v: number, g: number, out: number, n: number) => void }).activationGradF32;
const pg = rt.allocator.alloc(CHUNK * 4);
new Float32Array(rt.memory.buffer, pg, CHUNK).fill(1);
for (const [name, { op, f, terms }] of Object.entries(grads)) {
  if (!wanted(`${name}′`)) continue;
  let worst = 0;
  let worstX = 0;
  let nanMismatch = 0;
  const xs = new Float32Array(CHUNK);
  const xb = new Int32Array(xs.buffer);
  for (const [n, bitsAt] of chunks()) {
    for (let i = 0; i < n; i++) xb[i] = bitsAt(i);
    new Float32Array(rt.memory.buffer).set(xs.subarray(0, n), px >> 2);
    activationGradF32(op, px, pg, po, n);
    const got = new Float32Array(rt.memory.buffer, po, n);
    for (let i = 0; i < n; i++) {
      const x = xs[i]!;
      const want = f(x);
      const g = got[i]!;
      if (Number.isNaN(want) || Number.isNaN(g)) {
        if (Number.isNaN(want) !== Number.isNaN(g)) nanMismatch++;
        continue;
      }
      const k = Math.max(0, Math.abs(g - want) - 2 ** -149) / (2 ** -24 * terms(x));
      if (k > worst) {
        worst = k;
        worstX = x;
      }
    }
  }
  console.log(`${name}′ max error ${worst.toFixed(2)}·2⁻²⁴·(|A| + |B|) (at x = ${worstX}), NaN mismatches ${nanMismatch}`);
}
process.exit(0);
