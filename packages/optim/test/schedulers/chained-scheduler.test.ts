// ChainedScheduler: torch.optim.lr_scheduler.ChainedScheduler (factors multiply).
import { describe, expect, it } from 'vitest';
import { ChainedScheduler, ExponentialLR, LinearLR, StepLR } from '../../src/index.js';
import { drivesEveryOptimizer, matchesPyTorch, opt } from './helpers.js';

matchesPyTorch('ChainedScheduler');

describe('ChainedScheduler', () => {
  it('rejects bad arguments with clear errors', () => {
    expect(() => new ChainedScheduler([new StepLR(opt(), { stepSize: 2 }), new StepLR(opt(), { stepSize: 2 })])).toThrow(/different optimizer/);
  });
});

drivesEveryOptimizer('ChainedScheduler', (o) => new ChainedScheduler([new LinearLR(o, { startFactor: 0.2, totalIters: 4 }), new ExponentialLR(o, { gamma: 0.9 })]));
