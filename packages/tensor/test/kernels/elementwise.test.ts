import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Generator } from '../../src/index.js';
import { binaryKernel, permuteKernel, stridedCopyKernel, unaryKernel } from '../../src/kernels/elementwise.js';
import { type BinaryCode, UNARY_CODES, binaryFn, unaryFn } from '../../src/kernels/elementwise-loops.generated.js';
import { sizeOfShape, unravel } from '../helpers.js';



/** Flat position in `shape` of the broadcast read at output index `idx` (right-aligned; size-1 dims read 0). */
function ravelBroadcast(idx: readonly number[], shape: readonly number[]): number {
  let off = 0;
  const lead = idx.length - shape.length;
  for (let d = 0; d < shape.length; d++) off = off * shape[d]! + (shape[d] === 1 ? 0 : idx[lead + d]!);
  return off;
}

function randomData(g: Generator, n: number): Float64Array {
  // Small integers make ties (for comparisons and maximum) common; a few NaNs test propagation.
  return Float64Array.from({ length: n }, () => (g.random() < 0.05 ? Number.NaN : g.randint(-4, 5) + (g.random() < 0.5 ? 0.5 : 0)));
}

/** An output shape and two shapes that broadcast to it (dims dropped on the left or set to 1). */
const broadcastTriple = fc
  .array(fc.integer({ min: 0, max: 4 }), { minLength: 0, maxLength: 4 })
  .chain((out) =>
    fc.tuple(
      fc.constant(out),
      fc.integer({ min: 0, max: out.length }),
      fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }),
      fc.integer({ min: 0, max: out.length }),
      fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }),
      fc.nat(),
    ),
  )
  .map(([out, dropA, onesA, dropB, onesB, seed]) => ({
    out,
    a: out.slice(dropA).map((d, i) => (onesA[dropA + i] ? 1 : d)),
    b: out.slice(dropB).map((d, i) => (onesB[dropB + i] ? 1 : d)),
    seed,
  }))
  // An output dim of 0 stays 0 only if some operand keeps it; otherwise the true broadcast is 1.
  .map(({ out, a, b, seed }) => ({
    out: out.map((d, i) => {
      const da = a[a.length - out.length + i] ?? 1;
      const db = b[b.length - out.length + i] ?? 1;
      return da === 1 && db === 1 ? 1 : d;
    }),
    a,
    b,
    seed,
  }));

const BINARY: BinaryCode[] = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'and', 'or'];

describe('binary kernel', () => {
  it('equals an index-by-index broadcast on random broadcastable shapes, for every op', () => {
    fc.assert(
      fc.property(broadcastTriple, fc.constantFrom(...BINARY), ({ out, a, b, seed }, code) => {
        const g = new Generator(seed);
        const ad = randomData(g, sizeOfShape(a));
        const bd = randomData(g, sizeOfShape(b));
        const got = new Float64Array(sizeOfShape(out));
        binaryKernel(code, ad, a, bd, b, got, out);
        const f = binaryFn(code);
        for (let o = 0; o < got.length; o++) {
          const idx = unravel(o, out);
          const want = f(ad[ravelBroadcast(idx, a)]!, bd[ravelBroadcast(idx, b)]!);
          if (!Object.is(got[o], want) && !(Number.isNaN(want) && Number.isNaN(got[o]!))) {
            throw new Error(`${code} ${JSON.stringify({ out, a, b })} at ${idx}: ${got[o]} vs ${want}`);
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it('writes float32 and int32 outputs with their own rounding', () => {
    const out = new Float32Array(2);
    binaryKernel('add', new Float32Array([0.1, 1]), [2], new Float32Array([0.2]), [1], out, [2]);
    expect(out[0]).toBe(Math.fround(Math.fround(0.1) + Math.fround(0.2)));
    const io = new Int32Array(1);
    binaryKernel('div', new Int32Array([7]), [1], new Int32Array([2]), [1], io, [1]);
    expect(io[0]).toBe(3);
  });
});

describe('unary kernel', () => {
  it('matches the scalar reference for every code, hot loops included', () => {
    const codes = UNARY_CODES;
    const x = Float64Array.from([-Infinity, -7.5, -2, -0.5, -0, 0, 0.5, 1, 2.5, 30, Infinity, Number.NaN]);
    for (const code of codes) {
      const out = new Float64Array(x.length);
      unaryKernel(code, x, out, 0.3, 0.7);
      const f = unaryFn(code, 0.3, 0.7);
      x.forEach((v, i) => {
        const want = f(v);
        if (!Object.is(out[i], want) && !(Number.isNaN(want) && Number.isNaN(out[i]!))) throw new Error(`${code}(${v}) = ${out[i]}, want ${want}`);
      });
    }
  });
});

describe('stridedCopy / permute', () => {
  it('permute equals moving each element to its permuted index', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 0, maxLength: 5 }).chain((shape) =>
          fc.tuple(fc.constant(shape), fc.shuffledSubarray([...shape.keys()], { minLength: shape.length, maxLength: shape.length })),
        ),
        ([shape, perm]) => {
          const x = Float64Array.from({ length: sizeOfShape(shape) }, (_, i) => i);
          const outShape = perm.map((p) => shape[p]!);
          const out = new Float64Array(x.length);
          permuteKernel(x, shape, perm, out);
          for (let o = 0; o < out.length; o++) {
            const oi = unravel(o, outShape);
            const src = new Array<number>(shape.length);
            perm.forEach((p, d) => (src[p] = oi[d]!));
            expect(out[o]).toBe(ravelBroadcast(src, shape));
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('stridedCopy equals offset + Σ i_d·stride_d for random windows, including negative strides', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 4 }), fc.constantFrom(-2, -1, 1, 2, 3)), { minLength: 0, maxLength: 4 }),
        (dims) => {
          // Source of shape dims[*][0]; a window of count c with step s starting where it stays inside.
          const src = dims.map(([n]) => n);
          const srcStrides = src.map((_, d) => sizeOfShape(src.slice(d + 1)));
          const x = Float64Array.from({ length: sizeOfShape(src) }, (_, i) => i * 10);
          let offset = 0;
          const outShape: number[] = [];
          const strides: number[] = [];
          dims.forEach(([n, c, s], d) => {
            const maxCount = s > 0 ? Math.ceil(n / s) : Math.ceil(n / -s);
            const count = Math.min(c, maxCount);
            const start = s > 0 ? 0 : n - 1;
            offset += start * srcStrides[d]!;
            outShape.push(count);
            strides.push(s * srcStrides[d]!);
          });
          const out = new Float64Array(sizeOfShape(outShape));
          stridedCopyKernel(x, offset, outShape, strides, out);
          for (let o = 0; o < out.length; o++) {
            const idx = unravel(o, outShape);
            let at = offset;
            idx.forEach((i, d) => (at += i * strides[d]!));
            expect(out[o]).toBe(x[at]);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('broadcasts with zero strides and copies a scalar', () => {
    const out = new Float64Array(6);
    stridedCopyKernel(Float64Array.from([1, 2, 3]), 0, [2, 3], [0, 1], out);
    expect(Array.from(out)).toEqual([1, 2, 3, 1, 2, 3]);
    const one = new Float64Array(1);
    stridedCopyKernel(Float64Array.from([5, 6]), 1, [], [], one);
    expect(one[0]).toBe(6);
  });
});
