// StepLR: torch.optim.lr_scheduler.StepLR, and its use with any optimizer.
import { Parameter, tensor } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { Adam, StepLR } from '../../src/index.js';
import { drivesEveryOptimizer, matchesPyTorch, opt } from './helpers.js';

matchesPyTorch('StepLR');

describe('StepLR', () => {
  it('works with every optimizer (each group has lr)', () => {
    const a = new Adam([new Parameter(tensor([1]))], { lr: 0.01 });
    const s = new StepLR(a, { stepSize: 2, gamma: 0.5 });
    s.step();
    s.step();
    expect(a.paramGroups[0]!.lr).toBeCloseTo(0.005, 15);
  });

  it('rejects bad arguments with clear errors', () => {
    expect(() => new StepLR(opt(), { stepSize: 0 })).toThrow(/stepSize/);
  });
});

drivesEveryOptimizer('StepLR', (o) => new StepLR(o, { stepSize: 5, gamma: 0.5 }));
