// LinearLR: torch.optim.lr_scheduler.LinearLR (warm-up and decay).
import { describe, expect, it } from 'vitest';
import { LinearLR } from '../../src/index.js';
import { drivesEveryOptimizer, matchesPyTorch, opt } from './helpers.js';

matchesPyTorch('LinearLR');

describe('LinearLR', () => {
  it('rejects bad arguments with clear errors', () => {
    expect(() => new LinearLR(opt(), { startFactor: 1.5 })).toThrow(/startFactor/);
    expect(() => new LinearLR(opt(), { startFactor: 0 })).toThrow(/startFactor/);
  });
});

drivesEveryOptimizer('LinearLR', (o) => new LinearLR(o, { startFactor: 0.1, totalIters: 6 }));
