import { Parameter, ValueError, tensor, zeros } from '@dl/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clipGradNorm, clipGradValue } from '../src/index.js';
import { expectAllClose, readFixture } from './helpers.js';

interface ClipFixture {
  clipping: {
    grads: { shape: number[]; data: number[] }[];
    cases: { kind: 'norm' | 'value'; max: number; normType: number | 'inf' | null; totalNorm: number | null; grads: number[][] }[];
  };
}
const { clipping } = readFixture<ClipFixture>('optim-trajectories.json');

function params(): Parameter[] {
  return clipping.grads.map((g) => {
    const p = new Parameter(zeros(g.shape, { dtype: 'float64' }));
    p.grad = tensor(Float64Array.from(g.data), { shape: g.shape });
    return p;
  });
}

describe('gradient clipping matches torch.nn.utils', () => {
  for (const c of clipping.cases) {
    it(`${c.kind} ${c.max}${c.normType !== null ? ` (p = ${c.normType})` : ''}`, () => {
      const ps = params();
      if (c.kind === 'norm') {
        const total = clipGradNorm(ps, c.max, c.normType === 'inf' ? Infinity : (c.normType as number));
        expectAllClose([total], [c.totalNorm!], 1e-12, 'total norm');
      } else {
        clipGradValue(ps, c.max);
      }
      ps.forEach((p, i) => expectAllClose(p.grad!.data, c.grads[i]!, 1e-12, `grad ${i}`));
    });
  }

  it('after clipping, the joint 2-norm is at most maxNorm (any gradients)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 1, maxLength: 20 }), fc.double({ min: 0.01, max: 10, noNaN: true }), (vals, maxNorm) => {
        const p = new Parameter(zeros([vals.length], { dtype: 'float64' }));
        p.grad = tensor(Float64Array.from(vals));
        clipGradNorm([p], maxNorm);
        let s = 0;
        for (const v of p.grad.data) s += v * v;
        expect(Math.sqrt(s)).toBeLessThanOrEqual(maxNorm * (1 + 1e-12));
      }),
      { seed: 20240611 },
    );
  });

  it('skips parameters without grad, reports non-finite norms on request, rejects bad arguments', () => {
    const a = new Parameter(tensor([1, 2]));
    expect(clipGradNorm([a], 1)).toBe(0);
    a.grad = tensor([Number.POSITIVE_INFINITY, 1]);
    expect(() => clipGradNorm([a], 1, 2, { errorIfNonfinite: true })).toThrow(/Infinity/);
    expect(() => clipGradNorm([a], -1)).toThrow(ValueError);
    expect(() => clipGradNorm([a], 1, 0)).toThrow(/normType/);
    expect(() => clipGradValue([a], Number.NaN)).toThrow(/clipValue/);
  });
});
