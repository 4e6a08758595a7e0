import { backward, gradcheck, gradgradcheck } from '@dl/autograd';
import { Generator, type Tensor, randn, sum } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { LSTM, gruSequence, lstmSequence } from '../../src/index.js';

const g = new Generator(11);
const r = (shape: number[], scale = 1): Tensor => randn(shape, { generator: g, dtype: 'float64' }).mul(scale).detach().requiresGrad_(true);

describe('lstmSequence (the whole recurrence as one op)', () => {
  for (const reverse of [false, true]) {
    it(`passes gradcheck and gradgradcheck${reverse ? ' (reverse)' : ''}`, { timeout: 60_000 }, () => {
      const [T, B, H] = [3, 2, 2];
      const inputs = [r([T, B, 4 * H]), r([4 * H, H], 0.5), r([B, H]), r([B, H])];
      const f = (gx: Tensor, w: Tensor, h0: Tensor, c0: Tensor) => lstmSequence(gx, w, h0, c0, { reverse });
      expect(gradcheck(f as never, inputs)).toBe(true);
      expect(gradgradcheck(f as never, inputs)).toBe(true);
    });
  }
});

describe('gruSequence', () => {
  for (const reverse of [false, true]) {
    it(`passes gradcheck and gradgradcheck${reverse ? ' (reverse)' : ''}`, { timeout: 60_000 }, () => {
      const [T, B, H] = [3, 2, 2];
      const inputs = [r([T, B, 3 * H]), r([3 * H, H], 0.5), r([B, H]), r([3 * H])];
      const f = (gx: Tensor, w: Tensor, h0: Tensor, b: Tensor) => gruSequence(gx, w, h0, b, { reverse });
      expect(gradcheck(f as never, inputs)).toBe(true);
      expect(gradgradcheck(f as never, inputs)).toBe(true);
    });
  }
});

describe('long sequences', () => {
  it('back-propagates through 1,000 steps without overflowing the stack (fused and per-step paths)', { timeout: 120_000 }, () => {
    const m = new LSTM(3, 4, { generator: new Generator(0) });
    const x = randn([1000, 2, 3], { generator: g }).requiresGrad_(true);
    for (const opts of [{}, { lengths: [1000, 999] }]) {
      m.zeroGrad();
      x.grad = null;
      backward(sum(m.forward(x, null, opts).output));
      expect(Number.isFinite(sum(x.grad!).item())).toBe(true);
      expect(Number.isFinite(sum(new Map(m.namedParameters()).get('weight_hh_l0')!.grad!).item())).toBe(true);
    }
  });
});
