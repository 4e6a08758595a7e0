import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Generator, jsBackend, referenceBackend, wasmBackend } from '../../src/index.js';
import { axpyFast, binaryFast, permuteFast, reduceFast, stridedCopyFast, unaryFast } from '../../src/kernels/elementwise-f32.js';
import { axpyKernel, binaryKernel, permuteKernel, stridedCopyKernel, unaryKernel } from '../../src/kernels/elementwise.js';
import { reduceKernel } from '../../src/kernels/reduce.js';
import {
  BINARY_CODES,
  BOOL_CODES,
  UNARY_CODES,
  binaryLoopF32,
  binaryLoopF32Bool,
  unaryLoopF32,
  unaryLoopF32Bool,
} from '../../src/kernels/elementwise-loops.generated.js';
import { sizeOfShape } from '../helpers.js';
import { broadcastShapesArb } from './broadcast-arb.js';

// The float32-specialized loops compute in double and round once per store,
// exactly as the generic loops do, so the two must agree bit for bit (NaN
// included), on any shape, broadcast and dtype. Both are generated from one
// table (scripts/gen-f32-loops.mjs), so every code is checked.

const shapeArb = fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 0, maxLength: 4 });
const broadcastArb = broadcastShapesArb(shapeArb);

// Mostly moderate values, with ties (small integers), signed zeros, ±∞, NaN,
// subnormals and huge magnitudes mixed in.
const SPECIAL = [Number.NaN, Infinity, -Infinity, 0, -0, 1e-40, -1e-40, 3e38, -3e38, 1, -1, 2, 0.5];
function f32(g: Generator, n: number): Float32Array {
  return Float32Array.from({ length: n }, () => {
    const r = g.random();
    return r < 0.1 ? SPECIAL[g.randint(0, SPECIAL.length)]! : r < 0.15 ? (g.random() - 0.5) * 200 : (g.random() - 0.5) * 8;
  });
}

const same = (x: ArrayLike<number>, y: ArrayLike<number>): void => expect(Array.from(x)).toEqual(Array.from(y));

// Bitwise equality that tells NaN from NaN and −0 from 0.
const bits = (x: ArrayLike<number>): string[] => Array.from(x, (v) => (Object.is(v, -0) ? '-0' : String(v)));
const sameBits = (x: ArrayLike<number>, y: ArrayLike<number>): void => expect(bits(x)).toEqual(bits(y));

describe('float32 fast loops equal the generic loops bit for bit', () => {
  it('binary, with broadcasting (bias rows, per-row scales, scalars, empty dims)', () => {
    fc.assert(
      fc.property(broadcastArb, fc.constantFrom(...BINARY_CODES), ({ out, a, b, seed }, code) => {
        const g = new Generator(seed);
        const x = f32(g, sizeOfShape(a));
        const y = f32(g, sizeOfShape(b));
        const n = sizeOfShape(out);
        // Comparisons and logic write bool storage (their own float32-input loops).
        const mk = () => (BOOL_CODES.has(code) ? new Uint8Array(n) : new Float32Array(n));
        const fast = mk();
        const ref = mk();
        binaryFast(code, x, a, y, b, fast, out);
        binaryKernel(code, x, a, y, b, ref, out);
        sameBits(fast, ref);
      }),
      { numRuns: 600 },
    );
  });

  it('unary, every code (bool results for logicalNot and isFinite)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.constantFrom(...UNARY_CODES), fc.nat(), (n, code, seed) => {
        const x = f32(new Generator(seed), n);
        const mk = () => (BOOL_CODES.has(code) ? new Uint8Array(n) : new Float32Array(n));
        const fast = mk();
        const ref = mk();
        unaryFast(code, x, fast, 0.1, 0.5);
        unaryKernel(code, x, ref, 0.1, 0.5);
        sameBits(fast, ref);
      }),
      { numRuns: 600 },
    );
  });

  it('every code has a float32 loop of its own (no fallback to the generic loop)', () => {
    const x = Float32Array.from([0.5, -1]);
    for (const code of UNARY_CODES) {
      const out = BOOL_CODES.has(code) ? new Uint8Array(2) : new Float32Array(2);
      const handled = code === 'identity' || (out instanceof Float32Array ? unaryLoopF32(code, x, out, 0, 1) : unaryLoopF32Bool(code, x, out, 0, 1));
      expect([code, handled]).toEqual([code, true]);
    }
    for (const code of BINARY_CODES) {
      const out = BOOL_CODES.has(code) ? new Uint8Array(2) : new Float32Array(2);
      const handled = out instanceof Float32Array ? binaryLoopF32(code, x, [2], x, [2], out, [2]) : binaryLoopF32Bool(code, x, [2], x, [2], out, [2]);
      expect([code, handled]).toEqual([code, true]);
    }
  });

  it('sum over leading, trailing and interior axes', () => {
    fc.assert(
      fc.property(shapeArb, fc.nat(), fc.nat(), (shape, mask, seed) => {
        const axes = shape.map((_, i) => i).filter((i) => (mask >> i) & 1);
        const x = f32(new Generator(seed), sizeOfShape(shape));
        const keptSize = sizeOfShape(shape.filter((_, i) => !axes.includes(i)));
        const fast = new Float32Array(keptSize);
        const ref = new Float32Array(keptSize);
        reduceFast('sum', x, shape, axes, fast);
        reduceKernel('sum', x, shape, axes, ref);
        same(fast, ref);
      }),
    );
  });

  it('permute and strided copy', () => {
    fc.assert(
      fc.property(shapeArb, fc.nat(), (shape, seed) => {
        const g = new Generator(seed);
        const x = f32(g, sizeOfShape(shape));
        const perm = shape.map((_, i) => i).sort(() => g.random() - 0.5);
        const fast = new Float32Array(x.length);
        const ref = new Float32Array(x.length);
        permuteFast(x, shape, perm, fast);
        permuteKernel(x, shape, perm, ref);
        same(fast, ref);
        // A strided view: every other element along the last axis, offset 1.
        if (shape.length > 0 && x.length > 1) {
          const outShape = [...shape.slice(0, -1), Math.floor((shape[shape.length - 1]! - 1) / 2)];
          const strides = shape.map((_, i) => sizeOfShape(shape.slice(i + 1)) * (i === shape.length - 1 ? 2 : 1));
          const m = sizeOfShape(outShape);
          const f = new Float32Array(m);
          const r = new Float32Array(m);
          stridedCopyFast(x, 1, outShape, strides, f);
          stridedCopyKernel(x, 1, outShape, strides, r);
          same(f, r);
        }
      }),
    );
  });

  it('axpy (y += alpha·x)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.double({ min: -4, max: 4, noNaN: true }), fc.nat(), (n, alpha, seed) => {
        const g = new Generator(seed);
        const x = f32(g, n);
        const y = f32(g, n);
        const fast = y.slice();
        const ref = y.slice();
        axpyFast(alpha, x, fast);
        axpyKernel(alpha, x, ref);
        same(fast, ref);
      }),
    );
  });

  it('float64 and int32 go through the generic loops unchanged', () => {
    const a = Float64Array.from([1, 2, 3]);
    const out = new Float64Array(3);
    binaryFast('add', a, [3], Float64Array.from([0.5]), [1], out, [3]);
    same(out, [1.5, 2.5, 3.5]);
    const i = new Int32Array(2);
    unaryFast('neg', Int32Array.from([4, -5]), i);
    same(i, [-4, 5]);
  });

  it('back the js and wasm backends; the reference backend keeps the generic loops', () => {
    expect(jsBackend.binary).toBe(binaryFast);
    expect(jsBackend.unary).toBe(unaryFast);
    expect(referenceBackend.binary).toBe(binaryKernel);
  });
});
