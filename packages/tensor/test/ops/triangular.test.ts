import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Generator, ShapeError, Tensor, ValueError, full, ones, tensor, tril, triu, withBackend } from '../../src/index.js';
import { expectExact, f64, sizeOfShape, unravel } from '../helpers.js';

// tril keeps column − row ≤ diagonal, triu column − row ≥ diagonal, in every
// matrix of the last two dimensions; both are checked against that
// definition entry by entry on random batched, rectangular and empty shapes.
const shapeArb = fc.tuple(fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 2 }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 }));

describe('tril / triu', () => {
  it('keep exactly the entries on their side of the diagonal, any batch, any diagonal, every dtype and backend', () => {
    fc.assert(
      fc.property(shapeArb, fc.integer({ min: -8, max: 8 }), fc.constantFrom('float32', 'float64', 'int32', 'bool'), fc.constantFrom('reference', 'js', 'wasm'), fc.nat(), ([batch, m, n], diagonal, dtype, backend, seed) => {
        const shape = [...batch, m, n];
        const g = new Generator(seed);
        const values = Array.from({ length: sizeOfShape(shape) }, () => (dtype === 'bool' ? (g.random() < 0.7 ? 1 : 0) : g.randint(1, 9)));
        const x = new Tensor(
          dtype === 'float32' ? Float32Array.from(values) : dtype === 'float64' ? Float64Array.from(values) : dtype === 'int32' ? Int32Array.from(values) : Uint8Array.from(values),
          shape,
        );
        withBackend(backend, () => {
          for (const [f, keep] of [
            [tril, (i: number, j: number) => j - i <= diagonal],
            [triu, (i: number, j: number) => j - i >= diagonal],
          ] as const) {
            const y = f(x, diagonal);
            expect(y.dtype).toBe(dtype);
            expect([...y.shape]).toEqual(shape);
            for (let k = 0; k < values.length; k++) {
              const idx = unravel(k, shape);
              const want = keep(idx[idx.length - 2]!, idx[idx.length - 1]!) ? values[k]! : 0;
              if (y.data[k] !== want) throw new Error(`${f.name}(${JSON.stringify(shape)}, ${diagonal}) at ${idx}: ${y.data[k]} vs ${want}`);
            }
          }
        });
      }),
      { numRuns: 200 },
    );
  });

  it('match small cases written out (PyTorch semantics)', () => {
    const x = f64([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
    expectExact(tril(x), [[1, 0, 0], [4, 5, 0], [7, 8, 9]]);
    expectExact(tril(x, -1), [[0, 0, 0], [4, 0, 0], [7, 8, 0]]);
    expectExact(tril(x, 1), [[1, 2, 0], [4, 5, 6], [7, 8, 9]]);
    expectExact(triu(x), [[1, 2, 3], [0, 5, 6], [0, 0, 9]]);
    expectExact(triu(x, 1), [[0, 2, 3], [0, 0, 6], [0, 0, 0]]);
    expectExact(triu(x, -1), [[1, 2, 3], [4, 5, 6], [0, 8, 9]]);
    expectExact(triu(f64([[1, 2, 3, 4], [5, 6, 7, 8]]), 2), [[0, 0, 3, 4], [0, 0, 0, 8]]);
    expectExact(tril(f64([[1, 2], [3, 4], [5, 6]]), -2), [[0, 0], [0, 0], [5, 0]]);
  });

  it('zero what they drop, NaN and ∞ included (a causal mask is triu(full(−∞), 1))', () => {
    expectExact(tril(f64([[Number.NaN, Number.NaN], [1, Infinity]])), [[Number.NaN, 0], [1, Infinity]]);
    expectExact(triu(full([3, 3], -Infinity, { dtype: 'float64' }), 1), [
      [0, -Infinity, -Infinity],
      [0, 0, -Infinity],
      [0, 0, 0],
    ]);
    expect(Array.from(tril(ones([2, 2]), 0).data)).toEqual([1, 0, 1, 1]);
  });

  it('mask the gradient the same way (linear: their VJP is themselves)', () => {
    const x = tensor([[1, 2], [3, 4]], { dtype: 'float64', requiresGrad: true });
    const g = f64([[10, 20], [30, 40]]);
    expect(Array.from(tril(x).gradNode!.backward([g], false)[0]!.data)).toEqual([10, 0, 30, 40]);
    expect(Array.from(triu(x, 1).gradNode!.backward([g], false)[0]!.data)).toEqual([0, 20, 0, 0]);
  });

  it('refuse fewer than two dimensions and fractional diagonals, naming the op', () => {
    expect(() => tril(ones([3]))).toThrow(ShapeError);
    expect(() => tril(ones([3]))).toThrow(/tril: input has shape \[3\] \(rank 1\); need rank ≥ 2/);
    expect(() => triu(tensor(1))).toThrow(/triu: input has shape \[\] \(rank 0\); need rank ≥ 2/);
    expect(() => triu(ones([2, 2]), 0.5)).toThrow(ValueError);
    expect(() => triu(ones([2, 2]), 0.5)).toThrow(/triu: diagonal must be an integer, got 0\.5/);
    expect(() => tril(ones([2, 2]), Number.NaN)).toThrow(/tril: diagonal must be an integer, got NaN/);
  });
});
