import { describe, expect, it } from 'vitest';
import { parseExpression } from '../../src/race/expression.js';
import { OPTIMIZER_NAMES } from '../../src/race/optimizers.js';
import { scaleWindow } from '../../src/race/plot-window.js';
import { PRESETS } from '../../src/race/presets.js';
import { type RaceOptions, race, raceOne } from '../../src/race/race.js';

const rosen = PRESETS.rosenbrock;
const rosenF = parseExpression(rosen.expression);
const rosenOptions: RaceOptions = {
  loss: (p) => rosenF.loss(p),
  start: rosen.start,
  steps: rosen.steps,
  lrs: rosen.lrs,
  target: rosen.target,
  arena: scaleWindow(rosen.window, 3),
};
const EVERYWHERE = { xMin: -Infinity, xMax: Infinity, yMin: -Infinity, yMax: Infinity };

describe('race on Rosenbrock', () => {
  const runs = race({ ...rosenOptions, optimizers: ['Adam', 'L-BFGS'] });

  it('Adam and L-BFGS end within 0.01 of the minimum (1, 1), below the target', () => {
    for (const run of runs) {
      const [x, y] = run.path[run.path.length - 1]!;
      expect(Math.hypot(x - 1, y - 1), run.name).toBeLessThan(0.01);
      expect(run.hit, run.name).not.toBeNull();
      expect(run.losses[run.hit!]!).toBeLessThan(1e-4);
      expect(run.losses.slice(0, run.hit!).every((f) => f >= 1e-4)).toBe(true);
    }
  });

  it('reaches f < 1e-4 in the iterations packages/optim/bench/race.ts measures (Adam 2316, L-BFGS 31 with 70 evaluations)', () => {
    expect(runs.map((r) => [r.name, r.hit, r.hitEvals])).toEqual([
      ['Adam', 2316, 2316],
      ['L-BFGS', 31, 70],
    ]);
  });

  it('records finite paths that start at the start point, one point and one f per step', () => {
    for (const run of runs) {
      expect(run.path[0]).toEqual(rosen.start);
      expect(run.losses[0]).toBeCloseTo(24.2, 12);
      expect(run.path).toHaveLength(run.steps + 1);
      expect(run.losses).toHaveLength(run.steps + 1);
      expect(run.grads).toHaveLength(run.steps + 1);
      expect(run.grads[0]![0]).toBeCloseTo(-215.6, 10);
      expect(run.grads[0]![1]).toBeCloseTo(-88, 10);
      expect(run.kept).toBe(true);
      expect(run.path.flat().every(Number.isFinite)).toBe(true);
      expect(run.losses.every(Number.isFinite)).toBe(true);
      expect(run.losses[5]).toBeCloseTo(rosenF.evaluate(...run.path[5]!), 10);
    }
    expect(runs[0]!).toMatchObject({ stop: 'budget', steps: 3000 });
    expect(runs[1]!.stop).toBe('stalled');
  });

  it('is deterministic', () => {
    const again = raceOne('Adam', { ...rosenOptions, steps: 200 });
    const once = raceOne('Adam', { ...rosenOptions, steps: 200 });
    expect(again.path).toEqual(once.path);
    expect(again.losses).toEqual(once.losses);
    expect(runs[0]!.path.slice(0, 201)).toEqual(once.path);
  });

  it('runs all eight optimizers in order by default', () => {
    expect(race({ ...rosenOptions, steps: 3 }).map((r) => r.name)).toEqual([...OPTIMIZER_NAMES]);
  });
});

describe('racer settings', () => {
  it('gives Momentum, NAG and Adam (β₁) their momentum coefficient and the others none', () => {
    const f = parseExpression('x^2 + y^2');
    const opts = { loss: (p: Parameters<typeof f.loss>[0]) => f.loss(p), start: [1, 1] as const, steps: 5, lrs: rosen.lrs, target: rosen.target, arena: EVERYWHERE };
    const runs = race({ ...opts, momenta: { Momentum: 0.5, NAG: 0.7, Adam: 0.8 } });
    expect(runs.map((r) => [r.name, r.momentum])).toEqual([
      ['SGD', null],
      ['Momentum', 0.5],
      ['NAG', 0.7],
      ['Adagrad', null],
      ['RMSprop', null],
      ['Adadelta', null],
      ['Adam', 0.8],
      ['L-BFGS', null],
    ]);
    // Momentum 0 is plain SGD, step for step.
    const sgd = raceOne('SGD', { ...opts, lrs: { ...rosen.lrs, SGD: 0.1 } });
    const heavy0 = raceOne('Momentum', { ...opts, lrs: { ...rosen.lrs, Momentum: 0.1 }, momenta: { Momentum: 0, NAG: 0.9, Adam: 0.9 } });
    expect(heavy0.path).toEqual(sgd.path);
  });
});

describe('race stopping', () => {
  it('says when a racer met the target but did not stay there (Adadelta crossing a steep bowl’s minimum)', () => {
    const f = parseExpression('1e10*(x^2+y^2)');
    const run = raceOne('Adadelta', { loss: (p) => f.loss(p), start: [0.5, 0.5], steps: 1000, lrs: { ...rosen.lrs, Adadelta: 1 }, target: { kind: 'grad-norm-below', value: 1e-3 }, arena: EVERYWHERE });
    expect(run.hit).not.toBeNull();
    expect(run.kept).toBe(false);
    const [gx, gy] = run.grads[run.grads.length - 1]!;
    expect(Math.hypot(gx, gy)).toBeGreaterThan(1e-3);
  });

  it('reports divergence instead of recording NaN: SGD at lr 0.1 on Rosenbrock', () => {
    const run = raceOne('SGD', { ...rosenOptions, lrs: { ...rosen.lrs, SGD: 0.1 }, arena: EVERYWHERE });
    expect(run.stop).toBe('diverged');
    expect(run.note).toMatch(/^diverged at step \d+/);
    expect(run.hit).toBeNull();
    expect(run.steps).toBeLessThan(20);
    expect(run.path.flat().every(Number.isFinite)).toBe(true);
    expect(run.losses.every(Number.isFinite)).toBe(true);
  });

  it('stops a racer that leaves the arena (escaping the saddle x² − y²)', () => {
    const s = PRESETS.saddle;
    const f = parseExpression(s.expression);
    const arena = scaleWindow(s.window, 3);
    const run = raceOne('Momentum', { loss: (p) => f.loss(p), start: s.start, steps: s.steps, lrs: s.lrs, target: s.target, arena });
    expect(run.stop).toBe('left');
    const [x, y] = run.path[run.path.length - 1]!;
    expect(Math.abs(y)).toBeGreaterThan(arena.yMax);
    expect(Math.abs(x)).toBeLessThan(0.1);
    expect(run.hit).not.toBeNull();
    expect(run.losses[run.hit!]!).toBeLessThan(-1);
  });

  it('measures a gradient-norm target at the point (0 steps when the start is stationary)', () => {
    const f = parseExpression('(x - 1)^2 + (y + 2)^2');
    const opts = { loss: (p: Parameters<typeof f.loss>[0]) => f.loss(p), steps: 50, lrs: rosen.lrs, target: { kind: 'grad-norm-below', value: 1e-3 } as const, arena: EVERYWHERE };
    const atMin = raceOne('SGD', { ...opts, start: [1, -2] });
    expect(atMin).toMatchObject({ hit: 0, stop: 'stalled', steps: 0 });
    const lbfgs = raceOne('L-BFGS', { ...opts, start: [0, 0] });
    expect(lbfgs.hit).not.toBeNull();
    const [x, y] = lbfgs.path[lbfgs.hit!]!;
    expect(Math.hypot(2 * (x - 1), 2 * (y + 2))).toBeLessThan(1e-3);
  });

  it('turns an optimizer error into a stop reason with the message', () => {
    const f = parseExpression('x^2 + y^2');
    const run = raceOne('Adam', { loss: (p) => f.loss(p), start: [1, 1], steps: 10, lrs: { ...rosen.lrs, Adam: -1 }, target: rosen.target, arena: EVERYWHERE });
    expect(run.stop).toBe('error');
    expect(run.note).toMatch(/^Adam could not start: .*learning rate/i);
    expect(run.path).toEqual([[1, 1]]);
  });
});
