// ReduceLROnPlateau: torch.optim.lr_scheduler.ReduceLROnPlateau, fed a metric per epoch.
import { describe, expect, it } from 'vitest';
import { ReduceLROnPlateau } from '../../src/index.js';
import { drivesEveryOptimizer, matchesPyTorch, opt } from './helpers.js';

matchesPyTorch('ReduceLROnPlateau');

describe('ReduceLROnPlateau', () => {
  it('rejects bad arguments with clear errors', () => {
    expect(() => new ReduceLROnPlateau(opt(), { factor: 1 })).toThrow(/factor/);
    expect(() => new ReduceLROnPlateau(opt(), { mode: 'up' as never })).toThrow(/mode/);
  });
});

const PLATEAU = [1, 0.9, 0.9, 0.9, 0.9, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8];
drivesEveryOptimizer('ReduceLROnPlateau', (o) => {
  const s = new ReduceLROnPlateau(o, { factor: 0.5, patience: 1 });
  let t = 0;
  return { step: () => s.step(PLATEAU[t++]!) };
});
