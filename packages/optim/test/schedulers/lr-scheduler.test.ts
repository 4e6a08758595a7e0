// LRScheduler, the base class, directly: a minimal chainable subclass shows what
// construction, step(), step(epoch), restart() and the state dict do for every schedule.
import { ValueError } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { LRScheduler, type ScheduledOptimizer } from '../../src/index.js';
import { fixture, makeOptimizer } from './helpers.js';

/** Halves the rate each epoch (chainable); closed form base · ½^epoch. Holds a function, which the state dict must skip. */
class Halving extends LRScheduler {
  readonly describe = (): string => 'halving';
  constructor(optimizer: ScheduledOptimizer) {
    super(optimizer);
    this.initialStep();
  }
  protected getLr(): number[] {
    return this.optimizer.paramGroups.map((g) => (this.lastEpoch === 0 ? g.lr : g.lr / 2));
  }
  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * 0.5 ** this.lastEpoch);
  }
}

describe('LRScheduler', () => {
  it('construction records initialLr per group, keeps an existing one, and steps to epoch 0', () => {
    const o = makeOptimizer('sgd', [0.4, 0.2]);
    o.paramGroups[1]!.initialLr = 1;
    const s = new Halving(o);
    expect(o.paramGroups.map((g) => g.initialLr)).toEqual([0.4, 1]);
    expect(s.baseLrs).toEqual([0.4, 1]);
    expect(s.lastEpoch).toBe(0);
    expect(s.optimizer).toBe(o);
    expect(s.getLastLr()).toEqual([0.4, 0.2]);
  });

  it('step() advances lastEpoch and writes the rates; getLastLr returns a copy', () => {
    const o = makeOptimizer('sgd', [0.4]);
    const s = new Halving(o);
    s.step();
    s.step();
    expect(s.lastEpoch).toBe(2);
    expect(o.paramGroups[0]!.lr).toBe(0.1);
    const last = s.getLastLr();
    last[0] = 99;
    expect(s.getLastLr()).toEqual([0.1]);
  });

  it('step(epoch) jumps there with the closed form; restart() steps back to the start of its count', () => {
    const o = makeOptimizer('sgd', [0.4]);
    const s = new Halving(o);
    s.step(3);
    expect(s.lastEpoch).toBe(3);
    expect(o.paramGroups[0]!.lr).toBe(0.05);
    s.restart();
    expect(s.lastEpoch).toBe(4);
    expect(s.getLastLr()).toEqual([0.025]);
  });

  it('the state dict is JSON data without the optimizer or functions, and resumes the schedule', () => {
    const o = makeOptimizer('sgd', [0.4]);
    const s = new Halving(o);
    for (let i = 0; i < 3; i++) s.step();
    const state = s.stateDict();
    expect(Object.keys(state)).not.toContain('optimizer');
    expect(Object.keys(state)).not.toContain('describe');
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
    const o2 = makeOptimizer('sgd', [0.4]);
    const s2 = new Halving(o2);
    s2.loadStateDict(state);
    expect(s2.lastEpoch).toBe(3);
    s2.step(5);
    expect(o2.paramGroups[0]!.lr).toBe(0.4 / 32);
  });

  it('refuses something without parameter groups', () => {
    expect(() => new Halving({} as ScheduledOptimizer)).toThrow(ValueError);
    expect(() => new Halving({} as ScheduledOptimizer)).toThrow(/Halving: needs an optimizer with paramGroups/);
  });

  it('every case of the PyTorch fixture belongs to one of the schedule files', () => {
    const covered = ['StepLR', 'MultiStepLR', 'ExponentialLR', 'InverseTimeLR', 'LambdaLR', 'CosineAnnealingLR', 'CosineAnnealingWarmRestarts', 'LinearLR', 'OneCycleLR', 'ReduceLROnPlateau', 'SequentialLR', 'ChainedScheduler'];
    expect(fixture.cases.filter((c) => !covered.includes(c.scheduler.type)).map((c) => c.name)).toEqual([]);
    expect(fixture.cases.length).toBe(21);
  });
});
