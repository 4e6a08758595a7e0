import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Generator, referenceBackend, wasmBackend } from '../../../src/index.js';
import { axpyWasm, binaryWasm, reduceWasm, softmaxWasm, unaryWasm } from '../../../src/kernels/wasm/elementwise-wasm.js';
import type { BinaryCode, UnaryCode } from '../../../src/kernels/scalar-fns.js';
import { sizeOfShape } from '../../helpers.js';
import { broadcastShapesArb } from '../broadcast-arb.js';

// Each SIMD op is one IEEE float32 operation (or a max with 0), which equals
// the reference's double-precision result rounded to float32; column sums
// accumulate in float64 in the same row order. So the wasm backend must equal
// the reference bit for bit, NaN included. Shapes are large enough (up to
// 40⁴ elements) to cross the 512-element threshold where SIMD takes over.

// Unbiased sizes: fast-check otherwise favours tiny shapes that stay in JS.
const bigShape = fc.noBias(
  fc.array(fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 8, arbitrary: fc.integer({ min: 1, max: 40 }) }), { minLength: 0, maxLength: 4 }),
);
const broadcastArb = broadcastShapesArb(bigShape);

function f32(g: Generator, n: number): Float32Array {
  return Float32Array.from({ length: n }, () => (g.random() < 0.02 ? Number.NaN : g.random() < 0.02 ? -0 : (g.random() - 0.5) * 8));
}

const same = (x: ArrayLike<number>, y: ArrayLike<number>): void => expect(Array.from(x)).toEqual(Array.from(y));

const BINARY: BinaryCode[] = ['add', 'sub', 'mul', 'div', 'maximum', 'pow'];
// The unary codes SIMD computes exactly (exp and the other approximations: math-simd.test.ts).
const UNARY: UnaryCode[] = ['relu', 'neg', 'abs', 'square', 'sqrt', 'log1p'];

describe('wasm elementwise kernels equal the reference bit for bit', () => {
  // Over a second on a busy 2-core machine: an explicit budget far above it (issue 17).
  it('binary with broadcasting: full, scalar and row (bias) operands, and the shapes that fall back to JS', { timeout: 60_000 }, () => {
    let simd = 0;
    fc.assert(
      fc.property(broadcastArb, fc.constantFrom(...BINARY), ({ out, a, b, seed }, code) => {
        const g = new Generator(seed);
        const x = f32(g, sizeOfShape(a));
        const y = f32(g, sizeOfShape(b));
        const n = sizeOfShape(out);
        if (n >= 512 && ['add', 'sub', 'mul', 'div'].includes(code)) simd++;
        const got = new Float32Array(n);
        const ref = new Float32Array(n);
        binaryWasm(code, x, a, y, b, got, out);
        referenceBackend.binary(code, x, a, y, b, ref, out);
        same(got, ref);
      }),
      { numRuns: 300 },
    );
    // About 5% of runs reach SIMD (≥ 512 elements, an SIMD op); the next test covers it deterministically.
    expect(simd).toBeGreaterThan(0);
  });

  it('bias rows and scalars on either side, at sizes that always take SIMD', () => {
    const g = new Generator(3);
    for (const [a, b] of [[[64, 37], [37]], [[37], [64, 37]], [[3, 1, 5, 7], [5, 7]], [[600], [1]], [[1], [600]], [[9, 70], [1, 70]]] as const) {
      const out = a.length >= b.length ? [...a] : [...b];
      const n = sizeOfShape(out);
      for (const code of ['add', 'sub', 'mul', 'div'] as const) {
        const x = f32(g, sizeOfShape([...a]));
        const y = f32(g, sizeOfShape([...b]));
        const got = new Float32Array(n);
        const ref = new Float32Array(n);
        binaryWasm(code, x, a, y, b, got, out);
        referenceBackend.binary(code, x, a, y, b, ref, out);
        same(got, ref);
      }
    }
  });

  it('unary', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3000 }), fc.constantFrom(...UNARY), fc.nat(), (n, code, seed) => {
        const x = f32(new Generator(seed), n);
        const got = new Float32Array(n);
        const ref = new Float32Array(n);
        unaryWasm(code, x, got);
        referenceBackend.unary(code, x, ref);
        same(got, ref);
      }),
    );
  });

  it('sums over leading axes (bias gradients) and every other reduction', () => {
    fc.assert(
      fc.property(bigShape, fc.nat(), fc.nat(), (shape, mask, seed) => {
        const axes = shape.map((_, i) => i).filter((i) => (mask >> i) & 1);
        const x = f32(new Generator(seed), sizeOfShape(shape));
        const kept = sizeOfShape(shape.filter((_, i) => !axes.includes(i)));
        const got = new Float32Array(kept);
        const ref = new Float32Array(kept);
        reduceWasm('sum', x, shape, axes, got);
        referenceBackend.reduce('sum', x, shape, axes, ref);
        same(got, ref);
      }),
    );
    const x = f32(new Generator(1), 64 * 256);
    const got = new Float32Array(256);
    const ref = new Float32Array(256);
    reduceWasm('sum', x, [64, 256], [0], got);
    referenceBackend.reduce('sum', x, [64, 256], [0], ref);
    same(got, ref);
  });

  it('back the wasm backend', () => {
    expect(wasmBackend.binary).toBe(binaryWasm);
    expect(wasmBackend.unary).toBe(unaryWasm);
    expect(wasmBackend.reduce).toBe(reduceWasm);
  });
});

describe('wasm axpy (the in-place update behind addInPlace_)', () => {
  it('equals the reference bit for bit for any alpha, including the float64 rounding of alpha·x', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3000 }), fc.double({ min: -10, max: 10, noNaN: true }), fc.nat(), (n, alpha, seed) => {
        const g = new Generator(seed);
        const x = f32(g, n);
        const y = f32(g, n);
        const got = y.slice();
        const ref = y.slice();
        axpyWasm(alpha, x, got);
        referenceBackend.axpy(alpha, x, ref);
        same(got, ref);
      }),
    );
  });
});

describe('wasm softmax (SIMD exp)', () => {
  // Not bitwise: exp is Cephes' float32 polynomial (≈ 1 ulp) and the lane sum
  // accumulates in float32, so the sum is within (len + 2)·u relative and each
  // output within (len + 8)·u: relative for softmax, absolute (plus one
  // rounding of x − lse) for log-softmax. A wrong exp coefficient or a
  // dropped term is off by far more (≥ 1e-4 here).
  const u = 2 ** -24;
  it('matches the reference within (len + 8)·2⁻²⁴, for any lane length, with -Infinity and very negative logits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 300 }), fc.boolean(), fc.nat(), (rows, len, log, seed) => {
        const g = new Generator(seed);
        const x = Float32Array.from({ length: rows * len }, () => (g.random() < 0.03 ? -Infinity : g.random() < 0.05 ? -200 : (g.random() - 0.5) * 30));
        const got = new Float32Array(x.length);
        const ref = new Float32Array(x.length);
        softmaxWasm(x, rows, len, 1, log, got);
        referenceBackend.softmax(x, rows, len, 1, log, ref);
        for (let i = 0; i < x.length; i++) {
          const y = ref[i]!;
          const tol = log ? (len + 8) * u + 2 * u * Math.abs(y) : (len + 8) * u * Math.abs(y) + 1e-38;
          if (!(Math.abs(got[i]! - y) <= tol) && !(Number.isNaN(y) && Number.isNaN(got[i]!)) && !(y === -Infinity && got[i] === -Infinity)) {
            throw new Error(`rows ${rows} len ${len} log ${log}: entry ${i} wasm ${got[i]} vs reference ${y} (tol ${tol})`);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('runs lanes along the last axis in SIMD and leaves other axes to the float32 JS loop, which is exact', () => {
    const g = new Generator(5);
    const x = Float32Array.from({ length: 4 * 300 * 3 }, () => g.normal());
    const got = new Float32Array(x.length);
    const ref = new Float32Array(x.length);
    softmaxWasm(x, 4, 300, 3, false, got);
    referenceBackend.softmax(x, 4, 300, 3, false, ref);
    expect(Array.from(got)).toEqual(Array.from(ref));
    expect(wasmBackend.softmax).toBe(softmaxWasm);
  });
});
