// OneCycleLR: torch.optim.lr_scheduler.OneCycleLR, rates and momentum / β₁.
import { Parameter, tensor } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { Adam, OneCycleLR, SGD } from '../../src/index.js';
import { drivesEveryOptimizer, matchesPyTorch, opt } from './helpers.js';

matchesPyTorch('OneCycleLR');

describe('OneCycleLR', () => {
  it('rejects bad arguments with clear errors', () => {
    expect(() => new OneCycleLR(opt(), { maxLr: 1 })).toThrow(/totalSteps/);
    expect(() => new OneCycleLR(new Adam([new Parameter(tensor([1]))]), { maxLr: 1, totalSteps: 3, cycleMomentum: true })).not.toThrow();
    expect(() => new OneCycleLR(new (class extends SGD {})([new Parameter(tensor([1]))], { lr: 1 }), { maxLr: [1, 2], totalSteps: 3 })).toThrow(/maxLr/);
    const one = new OneCycleLR(opt(), { maxLr: 1, totalSteps: 2 });
    one.step();
    one.step();
    expect(() => one.step()).toThrow(/totalSteps/);
  });
});

drivesEveryOptimizer('OneCycleLR', (o, momentum) => new OneCycleLR(o, { maxLr: 0.2, totalSteps: 21, cycleMomentum: momentum }));
