import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Generator, Tensor, ValueError, arange, repeat, scalar, tensor, tile, withBackend, zeros } from '../../src/index.js';
import { expectExact, f64, sizeOfShape, unravel } from '../helpers.js';

// repeat's definition: out[i₀, …] = x[i₀ mod s₀, …] with x read with leading
// size-1 dimensions to the rank of `repeats`; tile pads `reps` with leading 1s
// when it is shorter. Checked entry by entry on random shapes.
function expected(values: readonly number[], shape: readonly number[], repeats: readonly number[]): { data: number[]; shape: number[] } {
  const padded = [...new Array<number>(repeats.length - shape.length).fill(1), ...shape];
  const outShape = padded.map((s, d) => s * repeats[d]!);
  const data: number[] = [];
  for (let k = 0; k < sizeOfShape(outShape); k++) {
    const idx = unravel(k, outShape);
    let src = 0;
    for (let d = 0; d < padded.length; d++) src = src * padded[d]! + (idx[d]! % padded[d]!);
    data.push(values[src]!);
  }
  return { data, shape: outShape };
}

const caseArb = fc
  .tuple(fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 }), fc.integer({ min: 0, max: 2 }), fc.nat())
  .chain(([shape, extra, seed]) =>
    fc.tuple(fc.constant(shape), fc.array(fc.integer({ min: 0, max: 3 }), { minLength: shape.length + extra, maxLength: shape.length + extra }), fc.constant(seed)),
  );

describe('repeat / tile', () => {
  it('repeat tiles the whole tensor, repeats may add leading dimensions (every dtype and backend)', () => {
    fc.assert(
      fc.property(caseArb, fc.constantFrom('float32', 'float64', 'int32'), fc.constantFrom('reference', 'js', 'wasm'), ([shape, repeats, seed], dtype, backend) => {
        const g = new Generator(seed);
        const values = Array.from({ length: sizeOfShape(shape) }, () => g.randint(-50, 50));
        const x = tensor(values, { dtype }).reshape(shape);
        const want = expected(values, shape, repeats);
        const y = withBackend(backend, () => repeat(x, repeats));
        expect(y.dtype).toBe(dtype);
        expect([...y.shape]).toEqual(want.shape);
        expect(Array.from(y.data)).toEqual(want.data);
      }),
      { numRuns: 300 },
    );
  });

  it('tile reads a short reps with leading 1s, a long one like repeat', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 3 }),
        fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 4 }),
        fc.nat(),
        (shape, reps, seed) => {
          const g = new Generator(seed);
          const values = Array.from({ length: sizeOfShape(shape) }, () => g.randint(-50, 50));
          const x = tensor(values, { dtype: 'float64' }).reshape(shape);
          const full = reps.length < shape.length ? [...new Array<number>(shape.length - reps.length).fill(1), ...reps] : reps;
          const want = expected(values, shape, full);
          const y = tile(x, reps);
          expect([...y.shape]).toEqual(want.shape);
          expect(Array.from(y.data)).toEqual(want.data);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('match small cases written out (PyTorch semantics)', () => {
    expectExact(repeat(f64([1, 2]), [2, 3]), [[1, 2, 1, 2, 1, 2], [1, 2, 1, 2, 1, 2]]);
    expectExact(repeat(f64([[1], [2]]), [1, 2]), [[1, 1], [2, 2]]);
    expectExact(repeat(scalar(7, { dtype: 'float64' }), [3]), [7, 7, 7]);
    expectExact(repeat(f64([1, 2]), [0]), []);
    expect([...repeat(zeros([2, 0]), [3, 2]).shape]).toEqual([6, 0]);
    expectExact(tile(f64([[1, 2], [3, 4]]), [2]), [[1, 2, 1, 2], [3, 4, 3, 4]]);
    expectExact(tile(f64([1, 2]), [2, 1, 2]), [[[1, 2, 1, 2]], [[1, 2, 1, 2]]]);
    expectExact(tile(f64([1, 2]), []), [1, 2]);
    expect(repeat(tensor([true, false]), [2]).dtype).toBe('bool');
  });

  it('sum the copies back in the gradient', () => {
    const x = tensor([1, 2], { dtype: 'float64', requiresGrad: true });
    const y = repeat(x, [2, 3]);
    const g = arange(12, undefined, 1, { dtype: 'float64' }).reshape([2, 6]);
    // Column j of the [2, 6] result came from x[j mod 2].
    expect(Array.from(y.gradNode!.backward([g], false)[0]!.data)).toEqual([0 + 2 + 4 + 6 + 8 + 10, 1 + 3 + 5 + 7 + 9 + 11]);
    const t = tile(tensor([[1, 2]], { dtype: 'float64', requiresGrad: true }), [3]);
    expect(Array.from(t.gradNode!.backward([f64([[1, 10, 100, 1000, 1e4, 1e5]])], false)[0]!.data)).toEqual([10101, 101010]);
  });

  it('refuse fewer repeats than dimensions and negative or fractional counts, naming the op', () => {
    const x = zeros([2, 3]);
    expect(() => repeat(x, [2])).toThrow(ValueError);
    expect(() => repeat(x, [2])).toThrow(/repeat: repeats \[2\] has 1 entries for an input of shape \[2, 3\]; need at least 2/);
    expect(() => repeat(x, [1, -1])).toThrow(/repeat: repeats\[1\] must be an integer ≥ 0, got number -1/);
    expect(() => tile(x, [1.5])).toThrow(/tile: reps\[0\] must be an integer ≥ 0, got number 1\.5/);
    expect(() => repeat(x, 3 as unknown as number[])).toThrow(/repeat: repeats must be an array of integers ≥ 0, got number 3/);
    expect(x).toBeInstanceOf(Tensor);
  });
});
