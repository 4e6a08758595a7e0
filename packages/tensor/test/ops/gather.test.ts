import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DTypeError,
  ShapeError,
  ValueError,
  arange,
  gather,
  indexAdd,
  indexSelect,
  ones,
  scatterAdd,
  tensor,
  zeros,
} from '../../src/index.js';
import { expectExact, f64, i32 } from '../helpers.js';

describe('gather (torch.gather)', () => {
  it('picks along axis 1: out[i][j] = x[i][index[i][j]]', () => {
    expectExact(gather(f64([[1, 2], [3, 4]]), 1, i32([[0, 0], [1, 0]])), [[1, 1], [4, 3]]);
  });

  it('picks along axis 0: out[i][j] = x[index[i][j]][j]', () => {
    const x = f64([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
    expectExact(gather(x, 0, i32([[2, 0, 1]])), [[7, 2, 6]]);
    expectExact(gather(x, -2, i32([[1, 1], [0, 2]])), [[4, 5], [1, 8]]);
  });

  it('allows an index smaller than the input in the other dimensions', () => {
    const x = arange(12, undefined, 1, { dtype: 'float64' }).reshape([3, 4]);
    expectExact(gather(x, 1, i32([[3], [0]])), [[3], [4]]);
  });

  it('picks the log-probability of each target', () => {
    const logp = f64([[-0.1, -2.3, -3], [-1.2, -0.4, -2]]);
    expectExact(gather(logp, 1, i32([1, 0]).reshape([-1, 1])), [[-2.3], [-1.2]]);
  });

  it('agrees with the index-by-index definition on random shapes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }),
        fc.nat(),
        fc.array(fc.nat({ max: 3 }), { minLength: 3, maxLength: 3 }),
        fc.array(fc.nat(), { minLength: 64, maxLength: 64 }),
        (shape, axisSeed, shrink, picks) => {
          const axis = axisSeed % shape.length;
          const ishape = shape.map((d, i) => (i === axis ? 1 + (shrink[i]! % 4) : Math.max(1, d - shrink[i]!)));
          const isize = ishape.reduce((a, b) => a * b, 1);
          const index = i32(Array.from({ length: isize }, (_, i) => picks[i % 64]! % shape[axis]!)).reshape(ishape);
          const size = shape.reduce((a, b) => a * b, 1);
          const x = arange(size, undefined, 1, { dtype: 'float64' }).reshape(shape);
          const out = gather(x, axis, index);
          expect([...out.shape]).toEqual(ishape);
          const xs = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
          const is = ishape.map((_, d) => ishape.slice(d + 1).reduce((a, b) => a * b, 1));
          for (let f = 0; f < isize; f++) {
            let off = 0;
            for (let d = 0; d < ishape.length; d++) {
              const pos = Math.floor(f / is[d]!) % ishape[d]!;
              off += (d === axis ? index.data[f]! : pos) * xs[d]!;
            }
            expect(out.data[f]).toBe(off);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('refuses non-int32 indices, wrong rank, oversize index and out-of-range values', () => {
    const x = f64([[1, 2], [3, 4]]);
    expect(() => gather(x, 1, f64([[0]]))).toThrow(DTypeError);
    expect(() => gather(x, 1, f64([[0]]))).toThrow(/gather: index has dtype float64 \(shape \[1, 1\]\); need int32/);
    expect(() => gather(x, 1, i32([0]))).toThrow(/gather: index has shape \[1\] and input \[2, 2\]; need the same rank/);
    expect(() => gather(x, 1, i32([[0], [0], [0]]))).toThrow(/gather: index has shape \[3, 1\], larger than input \[2, 2\] in dimension 0/);
    expect(() => gather(x, 1, i32([[0, 2]]))).toThrow(ValueError);
    expect(() => gather(x, 1, i32([[0, 2]]))).toThrow(/gather: index 2 at position 1 is out of range for axis 1 of \[2, 2\] of size 2/);
    expect(() => gather(x, 1, i32([[-1]]))).toThrow(/index -1/);
    expect(() => gather(x, 2, i32([[0]]))).toThrow(/gather: axis 2 is out of range/);
    expectExact(gather(f64(5), 0, i32(0)), 5);
    expect(() => gather(f64(5), 0, i32(3))).toThrow(/gather: index 3 at position 0 is out of range for axis 0 of \[\] of size 1/);
  });
});

describe('scatterAdd (torch.scatter_add)', () => {
  it('reproduces the PyTorch documentation example, repeated indices accumulating', () => {
    const src = ones([2, 5], { dtype: 'float64' });
    const z = zeros([3, 5], { dtype: 'float64' });
    expectExact(scatterAdd(z, 0, i32([[0, 1, 2, 0, 0]]), src), [
      [1, 0, 0, 1, 1],
      [0, 1, 0, 0, 0],
      [0, 0, 1, 0, 0],
    ]);
    expectExact(scatterAdd(z, 0, i32([[0, 1, 2, 0, 0], [0, 1, 2, 2, 2]]), src), [
      [2, 0, 0, 1, 1],
      [0, 2, 0, 0, 0],
      [0, 0, 2, 1, 1],
    ]);
  });

  it('adds onto x along axis 1 and leaves x unchanged', () => {
    const x = f64([[10, 20, 30]]);
    const y = scatterAdd(x, 1, i32([[2, 2, 0]]), f64([[1, 2, 3]]));
    expectExact(y, [[13, 20, 33]]);
    expectExact(x, [[10, 20, 30]]);
  });

  it('is the adjoint of gather: ⟨gather(x, i), s⟩ = ⟨x, scatterAdd(0, i, s)⟩', () => {
    const x = f64([[1, -2, 3], [0.5, 4, -1]]);
    const idx = i32([[2, 0, 2, 1], [1, 1, 0, 0]]);
    const s = f64([[0.3, 1, -2, 5], [2, -1, 0.25, 3]]);
    const lhs = gather(x, 1, idx).mul(s).sum().item();
    const rhs = x.mul(scatterAdd(zeros([2, 3], { dtype: 'float64' }), 1, idx, s)).sum().item();
    expect(lhs).toBeCloseTo(rhs, 12);
  });

  it('refuses a smaller src, a dtype mismatch and bad indices', () => {
    const z = zeros([2, 3], { dtype: 'float64' });
    expect(() => scatterAdd(z, 1, i32([[0, 1]]), f64([[1]]))).toThrow(/scatterAdd: src has shape \[1, 1\]; need at least the index's shape \[1, 2\]/);
    expect(() => scatterAdd(z, 1, i32([[0]]), tensor([[1]]))).toThrow(/scatterAdd: src has dtype float32, input float64; need the same/);
    expect(() => scatterAdd(z, 1, i32([[3]]), f64([[1]]))).toThrow(/scatterAdd: index 3 at position 0 is out of range for axis 1/);
    expect(() => scatterAdd(z, 0, tensor([[0]]), f64([[1]]))).toThrow(DTypeError);
  });
});

describe('indexSelect / indexAdd', () => {
  it('indexSelect takes whole slices, repeats allowed', () => {
    const x = arange(6, undefined, 1, { dtype: 'float64' }).reshape([3, 2]);
    expectExact(indexSelect(x, 0, i32([2, 0, 2])), [[4, 5], [0, 1], [4, 5]]);
    expectExact(indexSelect(x, 1, i32([1])), [[1], [3], [5]]);
    expect([...indexSelect(x, 0, i32([])).shape]).toEqual([0, 2]);
  });

  it('indexAdd accumulates slices of src at the indexed positions', () => {
    const x = ones([3, 2], { dtype: 'float64' });
    const y = indexAdd(x, 0, i32([0, 2, 0]), f64([[1, 2], [3, 4], [5, 6]]));
    expectExact(y, [[7, 9], [1, 1], [4, 5]]);
    expectExact(indexAdd(x, 1, i32([1]), f64([[1], [2], [3]])), [[1, 2], [1, 3], [1, 4]]);
  });

  it('refuse bad indices and shapes', () => {
    const x = zeros([3, 2]);
    expect(() => indexSelect(x, 0, i32([[0]]))).toThrow(/indexSelect: index has shape \[1, 1\]; need a 1-D tensor/);
    expect(() => indexSelect(x, 0, i32([3]))).toThrow(/indexSelect: index 3 at position 0 is out of range for axis 0 of \[3, 2\] of size 3/);
    expect(() => indexSelect(x, 0, tensor([0]))).toThrow(/indexSelect: index has dtype float32/);
    expect(() => indexSelect(x, 2, i32([0]))).toThrow(/indexSelect: axis 2 is out of range/);
    expect(() => indexAdd(x, 0, i32([0, 1]), zeros([3, 2]))).toThrow(ShapeError);
    expect(() => indexAdd(x, 0, i32([0, 1]), zeros([3, 2]))).toThrow(/indexAdd: src has shape \[3, 2\]; need \[2, 2\]/);
    expect(() => indexSelect(tensor(1), 0, i32([0]))).toThrow(/indexSelect: input is a scalar \(shape \[\]\); need at least 1 dimension/);
  });
});
