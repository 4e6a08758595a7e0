import { CsrMatrix, type Tensor, csrMatmul, noGrad, tensor } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { backward, gradcheck, gradgradcheck, gradients } from '../../src/index.js';
import { rng, uni } from '../helpers.js';

const i32 = (v: number[]) => tensor(v, { dtype: 'int32' });

// A 4 × 5 pattern with an empty row, a duplicate entry (row 2, column 1 twice)
// and unsorted columns.
const INDPTR = [0, 3, 3, 6, 7];
const INDICES = [4, 0, 2, 1, 1, 3, 0];
const at = (v: Tensor) => new CsrMatrix(INDPTR, INDICES, v, [4, 5]);

describe('csrMatmul: gradcheck and gradgradcheck (float64)', () => {
  const g = rng(401);

  it('with respect to the values and X, X of shape [C], [C, F] and [C, 2, 3]', () => {
    for (const xShape of [[5], [5, 3], [5, 2, 3]]) {
      expect(gradcheck((v, x) => csrMatmul(at(v), x), [uni(g, [7]), uni(g, xShape)])).toBe(true);
    }
  });

  it('per-head values [nnz, H] with X [C, H, F]', () => {
    expect(gradcheck((v, x) => csrMatmul(at(v), x), [uni(g, [7, 3]), uni(g, [5, 3, 2])])).toBe(true);
    expect(gradcheck((v, x) => csrMatmul(at(v), x), [uni(g, [7, 2]), uni(g, [5, 2])])).toBe(true);
  });

  it('through fromCoo (values in COO order), transpose() and withValues', () => {
    const rows = i32([3, 0, 2, 0, 2, 2]);
    const cols = i32([1, 4, 1, 0, 3, 1]);
    expect(gradcheck((v, x) => csrMatmul(CsrMatrix.fromCoo(rows, cols, v, [4, 5]), x), [uni(g, [6]), uni(g, [5, 2])])).toBe(true);
    expect(gradcheck((v, x) => csrMatmul(at(v).transpose(), x), [uni(g, [7]), uni(g, [4, 2])])).toBe(true);
    const a = at(uni(g, [7]));
    expect(gradcheck((v, x) => csrMatmul(a.withValues(v), x), [uni(g, [7]), uni(g, [5, 2])])).toBe(true);
  });

  it('second derivatives (the product is bilinear: its gradients are products again)', () => {
    const sq = (t: Tensor) => t.mul(t);
    expect(gradgradcheck((v, x) => sq(csrMatmul(at(v), x)), [uni(g, [7]), uni(g, [5, 2])])).toBe(true);
    expect(gradgradcheck((v, x) => csrMatmul(at(v), x), [uni(g, [7, 2]), uni(g, [5, 2, 2])])).toBe(true);
    expect(gradgradcheck((v, x) => sq(csrMatmul(at(v).transpose(), x)), [uni(g, [7]), uni(g, [4, 3])])).toBe(true);
  }, 60_000);

  it('a GCN-style chain: gradients of Â·relu(Â·X·W) with respect to W and the edge weights', () => {
    const w = uni(g, [3, 2]);
    const f = (v: Tensor, ww: Tensor, x: Tensor) => {
      const a = at(v);
      return csrMatmul(a, csrMatmul(a.transpose(), csrMatmul(a, x.matmul(ww)).relu().add(0.1)));
    };
    expect(gradcheck(f, [uni(g, [7]), w, uni(g, [5, 3])])).toBe(true);
  });
});

describe('csrMatmul: gradients, concretely', () => {
  it('a matrix with learned values serves many steps: its transpose is gathered afresh, gradients accumulate', () => {
    const g = rng(402);
    const v = uni(g, [7]).requiresGrad_();
    const x = uni(g, [4, 2]);
    const a = at(v);
    backward(csrMatmul(a.transpose(), x).sum());
    const once = Array.from(v.grad!.data);
    backward(csrMatmul(a.transpose(), x).sum());
    v.grad!.data.forEach((d, i) => expect(d).toBeCloseTo(2 * once[i]!, 12));
    // An in-place update of the values is seen by the next transpose.
    v.grad = null;
    noGrad(() => v.fill_(0));
    expect(Array.from(csrMatmul(a.transpose(), x).data).every((y) => y === 0)).toBe(true);
  });


  it('duplicates each get the full gradient of their coordinate; an empty row passes nothing', () => {
    const v = tensor([1, 2, 3], { dtype: 'float64', requiresGrad: true });
    const x = tensor([[1], [10]], { dtype: 'float64', requiresGrad: true });
    const a = new CsrMatrix([0, 2, 2, 3], [1, 1, 0], v, [3, 2]);
    backward(csrMatmul(a, x).mul(tensor([[1], [5], [7]], { dtype: 'float64' })).sum());
    expect(v.grad!.toArray()).toEqual([10, 10, 7]);
    expect(x.grad!.toArray()).toEqual([[21], [3]]);
  });
});

// The fused backward (sddmm and the product over the cached transpose, on
// typed arrays) against the differentiable rules (the same kernels through
// ops): the same arithmetic, so equal bits in float64 and float32.
describe('csrMatmul: fused backward agrees with the differentiable rules', () => {
  for (const dtype of ['float64', 'float32'] as const) {
    for (const heads of [0, 4]) {
      it(`${dtype}, ${heads === 0 ? 'scalar values' : `${heads} heads`}: gradients of the values and X`, () => {
        const g = rng(heads + (dtype === 'float32' ? 1 : 0));
        const rows = i32(Array.from({ length: 3000 }, () => g.randint(0, 600)));
        const cols = i32(Array.from({ length: 3000 }, () => g.randint(0, 500)));
        const v = (heads === 0 ? uni(g, [3000]) : uni(g, [3000, heads])).to(dtype).requiresGrad_();
        const x = (heads === 0 ? uni(g, [500, 16]) : uni(g, [500, heads, 8])).to(dtype).requiresGrad_();
        const gy = uni(g, heads === 0 ? [600, 16] : [600, heads, 8]).to(dtype);
        // Built per pass: fromCoo's gather of the values is part of the recorded graph.
        const loss = () => csrMatmul(CsrMatrix.fromCoo(rows, cols, v, [600, 500]), x).mul(gy).sum();
        const fast = gradients(loss(), [v, x]);
        const rule = gradients(loss(), [v, x], { createGraph: true });
        for (let i = 0; i < 2; i++) {
          expect(fast[i]!.requiresGrad).toBe(false);
          expect(rule[i]!.requiresGrad).toBe(true);
          expect(Array.from(fast[i]!.data), `input ${i}`).toEqual(Array.from(rule[i]!.data));
        }
      }, 30_000);
    }
  }
});
