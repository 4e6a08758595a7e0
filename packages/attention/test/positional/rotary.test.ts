import { gradcheck, gradgradcheck } from '@dl/autograd';
import { Generator, matmul, narrow, randn, sum, transpose } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { RotaryEmbedding } from '../../src/index.js';

const f64 = { dtype: 'float64' as const };

describe('RotaryEmbedding', () => {
  it('rotates pairs (i, i + D/2) by pos·θ_i and keeps norms', () => {
    const rope = new RotaryEmbedding(4, { base: 100 });
    const x = randn([1, 3, 4], f64);
    const y = rope.forward(x);
    const xa = x.toArray() as number[][][];
    const ya = y.toArray() as number[][][];
    for (let p = 0; p < 3; p++) {
      for (let i = 0; i < 2; i++) {
        const th = p * 100 ** (-(2 * i) / 4);
        const [a, b] = [xa[0]![p]![i]!, xa[0]![p]![i + 2]!];
        expect(ya[0]![p]![i]).toBeCloseTo(a * Math.cos(th) - b * Math.sin(th), 12);
        expect(ya[0]![p]![i + 2]).toBeCloseTo(b * Math.cos(th) + a * Math.sin(th), 12);
      }
    }
    expect(sum(y.mul(y)).item()).toBeCloseTo(sum(x.mul(x)).item(), 10);
  });
  it('q_m·k_n depends only on m − n (relative position)', () => {
    const rope = new RotaryEmbedding(8);
    const g = new Generator(1);
    const q = randn([1, 1, 8], { ...f64, generator: g });
    const k = randn([1, 1, 8], { ...f64, generator: g });
    const score = (m: number, n: number) => matmul(rope.forward(q, m), transpose(rope.forward(k, n))).item();
    expect(score(5, 2)).toBeCloseTo(score(13, 10), 10);
    expect(score(0, 7)).toBeCloseTo(score(3, 10), 10);
    // Offsets match slicing a longer sequence.
    const long = randn([2, 6, 8], f64);
    expect(Array.from(rope.forward(narrow(long, 1, 4, 2), 4).data)).toEqual(Array.from(narrow(rope.forward(long), 1, 4, 2).data));
  });
  it('gradcheck and gradgradcheck in float64; refuses an odd size', () => {
    const rope = new RotaryEmbedding(4);
    expect(gradcheck((x) => rope.forward(x!).mul(x!), [randn([2, 3, 4], f64)])).toBe(true);
    expect(gradgradcheck((x) => rope.forward(x!).mul(x!), [randn([2, 3, 4], f64)])).toBe(true);
    expect(() => new RotaryEmbedding(5)).toThrow('RotaryEmbedding: dim=5 is odd; need an even head size (features rotate in pairs)');
  });
});
