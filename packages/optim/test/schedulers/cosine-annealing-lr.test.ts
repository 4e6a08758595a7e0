// CosineAnnealingLR: torch.optim.lr_scheduler.CosineAnnealingLR, and its closed form.
import { describe, expect, it } from 'vitest';
import { CosineAnnealingLR } from '../../src/index.js';
import { drivesEveryOptimizer, matchesPyTorch, opt } from './helpers.js';

matchesPyTorch('CosineAnnealingLR');

describe('CosineAnnealingLR', () => {
  it('alone equals its closed form', () => {
    const o = opt();
    const s = new CosineAnnealingLR(o, { tMax: 7, etaMin: 0.01 });
    for (let t = 1; t <= 30; t++) {
      s.step();
      expect(o.paramGroups[0]!.lr).toBeCloseTo(0.01 + ((0.1 - 0.01) * (1 + Math.cos((Math.PI * t) / 7))) / 2, 12);
    }
  });
});

drivesEveryOptimizer('CosineAnnealingLR', (o) => new CosineAnnealingLR(o, { tMax: 8, etaMin: 0.001 }));
