import { type Tensor, matmul, tensor } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { backward, gradcheck, gradgradcheck } from '../../src/index.js';
import { rng, uni } from '../helpers.js';

/** matmul without its options argument, as gradcheck's variadic function type wants. */
const mm2 = (a: Tensor, b: Tensor): Tensor => matmul(a, b);

const TRANSPOSES = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
] as const;

/** Stored shapes for op(A) of [m, k] and op(B) of [k, n]. */
const stored = (m: number, k: number, n: number, ta: boolean, tb: boolean): [number[], number[]] => [ta ? [k, m] : [m, k], tb ? [n, k] : [k, n]];

describe('matmul: gradients', () => {
  const g = rng(121);

  for (const [ta, tb] of TRANSPOSES) {
    const name = `${ta ? 'Aᵀ' : 'A'}·${tb ? 'Bᵀ' : 'B'}`;
    it(`${name}: first and second derivatives`, () => {
      const mm = (a: Tensor, b: Tensor) => matmul(a, b, { transposeA: ta, transposeB: tb });
      const [sa, sb] = stored(3, 4, 2, ta, tb);
      expect(gradcheck(mm, [uni(g, sa), uni(g, sb)])).toBe(true);
      const [sa2, sb2] = stored(2, 3, 2, ta, tb);
      expect(gradgradcheck(mm, [uni(g, sa2), uni(g, sb2)])).toBe(true);
    });

    it(`${name}: batched with broadcasting`, () => {
      const mm = (a: Tensor, b: Tensor) => matmul(a, b, { transposeA: ta, transposeB: tb });
      const [sa, sb] = stored(3, 2, 2, ta, tb);
      expect(gradcheck(mm, [uni(g, [2, 1, ...sa]), uni(g, [3, ...sb])])).toBe(true);
    });
  }

  it('the batched-broadcast case [2, 1, 3, 4] @ [5, 4, 2]', () => {
    expect(gradcheck(mm2, [uni(g, [2, 1, 3, 4]), uni(g, [5, 4, 2])])).toBe(true);
  });

  it('1-D operands: vector·vector, vector·matrix, matrix·vector, batched', () => {
    expect(gradcheck(mm2, [uni(g, [4]), uni(g, [4])])).toBe(true);
    expect(gradcheck(mm2, [uni(g, [4]), uni(g, [4, 3])])).toBe(true);
    expect(gradcheck(mm2, [uni(g, [3, 4]), uni(g, [4])])).toBe(true);
    expect(gradcheck(mm2, [uni(g, [2, 3, 4]), uni(g, [4])])).toBe(true);
    expect(gradcheck(mm2, [uni(g, [3]), uni(g, [2, 3, 2])])).toBe(true);
    expect(gradcheck((a, b) => matmul(a, b, { transposeB: true }), [uni(g, [3]), uni(g, [2, 3])])).toBe(true);
    expect(gradgradcheck(mm2, [uni(g, [3]), uni(g, [3, 2])])).toBe(true);
  });

  it('x·xᵀ (the same tensor on both sides) accumulates both contributions', () => {
    const x = tensor([[1, 2], [3, 4]], { dtype: 'float64', requiresGrad: true });
    backward(matmul(x, x, { transposeB: true }).sum());
    // d/dx Σ_ij (x xᵀ)_ij = 2 · (column sums of x) broadcast over rows
    expect(Array.from(x.grad!.data)).toEqual([8, 12, 8, 12]);
    expect(gradgradcheck((t) => matmul(t, t, { transposeB: true }), [uni(g, [2, 3])])).toBe(true);
  });

  it('float32 gradients keep float32', () => {
    const a = tensor([[1, 2]], { requiresGrad: true });
    const b = tensor([[3], [4]], { requiresGrad: true });
    backward(matmul(a, b).sum());
    expect(a.grad!.dtype).toBe('float32');
    expect(Array.from(a.grad!.data)).toEqual([3, 4]);
    expect(Array.from(b.grad!.data)).toEqual([1, 2]);
  });
});
