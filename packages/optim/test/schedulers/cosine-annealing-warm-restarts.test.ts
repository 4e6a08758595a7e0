// CosineAnnealingWarmRestarts: torch.optim.lr_scheduler.CosineAnnealingWarmRestarts, resuming from a state dict.
import { describe, expect, it } from 'vitest';
import { CosineAnnealingWarmRestarts } from '../../src/index.js';
import { drivesEveryOptimizer, matchesPyTorch, opt } from './helpers.js';

matchesPyTorch('CosineAnnealingWarmRestarts');

describe('CosineAnnealingWarmRestarts', () => {
  it('resumes from its state dict', () => {
    const o = opt();
    const s = new CosineAnnealingWarmRestarts(o, { t0: 3, tMult: 2 });
    for (let i = 0; i < 5; i++) s.step();
    const saved = s.stateDict();
    const lrNow = o.paramGroups[0]!.lr;
    const o2 = opt();
    const s2 = new CosineAnnealingWarmRestarts(o2, { t0: 3, tMult: 2 });
    s2.loadStateDict(saved);
    o2.paramGroups[0]!.lr = lrNow;
    for (let i = 0; i < 7; i++) {
      s.step();
      s2.step();
      expect(o2.paramGroups[0]!.lr).toBe(o.paramGroups[0]!.lr);
    }
  });

  it('rejects bad arguments with clear errors', () => {
    expect(() => new CosineAnnealingWarmRestarts(opt(), { t0: 2, tMult: 0 })).toThrow(/tMult/);
  });
});

drivesEveryOptimizer('CosineAnnealingWarmRestarts', (o) => new CosineAnnealingWarmRestarts(o, { t0: 3, tMult: 2 }));
