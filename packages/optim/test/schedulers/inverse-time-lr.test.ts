// InverseTimeLR: 1/t decay (the fixture replays it with torch LambdaLR), α₀/(1 + kt).
import { describe, expect, it } from 'vitest';
import { InverseTimeLR } from '../../src/index.js';
import { drivesEveryOptimizer, matchesPyTorch, opt } from './helpers.js';

matchesPyTorch('InverseTimeLR');

describe('InverseTimeLR', () => {
  it('1/t decay is α₀/(1 + kt)', () => {
    const o2 = opt();
    const s2 = new InverseTimeLR(o2, { decayRate: 0.3 });
    for (let t = 1; t <= 20; t++) {
      s2.step();
      expect(o2.paramGroups[0]!.lr).toBeCloseTo(0.1 / (1 + 0.3 * t), 14);
    }
  });
});

drivesEveryOptimizer('InverseTimeLR', (o) => new InverseTimeLR(o, { decayRate: 0.5 }));
