// ExponentialLR: torch.optim.lr_scheduler.ExponentialLR, and the continuous-rate form α₀·e^(−kt).
import { ValueError } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { ExponentialLR } from '../../src/index.js';
import { drivesEveryOptimizer, matchesPyTorch, opt } from './helpers.js';

matchesPyTorch('ExponentialLR');

describe('ExponentialLR', () => {
  it('with a rate is α₀·e^(−kt)', () => {
    const o = opt();
    const s = new ExponentialLR(o, { rate: 0.2 });
    for (let t = 1; t <= 20; t++) {
      s.step();
      expect(o.paramGroups[0]!.lr).toBeCloseTo(0.1 * Math.exp(-0.2 * t), 14);
    }
  });

  it('rejects bad arguments with clear errors', () => {
    expect(() => new ExponentialLR(opt(), { gamma: Number.NaN })).toThrow(ValueError);
  });
});

drivesEveryOptimizer('ExponentialLR', (o) => new ExponentialLR(o, { rate: 0.1 }));
