// MultiStepLR: torch.optim.lr_scheduler.MultiStepLR, and resuming from a state dict.
import { describe, expect, it } from 'vitest';
import { MultiStepLR } from '../../src/index.js';
import { drivesEveryOptimizer, matchesPyTorch, opt } from './helpers.js';

matchesPyTorch('MultiStepLR');

describe('MultiStepLR', () => {
  it('resumes from its state dict (its milestone table survives)', () => {
    const o = opt();
    const s = new MultiStepLR(o, { milestones: [2, 4, 4], gamma: 0.5 });
    s.step();
    const o2 = opt();
    const s2 = new MultiStepLR(o2, { milestones: [2, 4, 4], gamma: 0.5 });
    s2.loadStateDict(JSON.parse(JSON.stringify(s.stateDict())) as Record<string, unknown>);
    o2.paramGroups[0]!.lr = o.paramGroups[0]!.lr;
    for (let i = 0; i < 5; i++) {
      s.step();
      s2.step();
      expect(o2.paramGroups[0]!.lr).toBe(o.paramGroups[0]!.lr);
    }
    expect(o.paramGroups[0]!.lr).toBeCloseTo(0.1 / 8, 15);
  });
});

drivesEveryOptimizer('MultiStepLR', (o) => new MultiStepLR(o, { milestones: [3, 8], gamma: 0.1 }));
