// SequentialLR: torch.optim.lr_scheduler.SequentialLR (schedules one after another).
import { describe, expect, it } from 'vitest';
import { CosineAnnealingLR, LinearLR, SequentialLR, StepLR } from '../../src/index.js';
import { drivesEveryOptimizer, matchesPyTorch, opt } from './helpers.js';

matchesPyTorch('SequentialLR');

describe('SequentialLR', () => {
  it('rejects bad arguments with clear errors', () => {
    const o = opt();
    expect(() => new SequentialLR(o, [new StepLR(o, { stepSize: 2 }), new StepLR(o, { stepSize: 3 })], [])).toThrow(/milestone/);
  });
});

drivesEveryOptimizer('SequentialLR', (o) => new SequentialLR(o, [new LinearLR(o, { startFactor: 0.2, totalIters: 4 }), new CosineAnnealingLR(o, { tMax: 16 })], [4]));
