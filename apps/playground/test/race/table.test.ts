import { describe, expect, it } from 'vitest';
import type { RaceRun } from '../../src/race/race.js';
import { arrivedCount, raceTable, reachedCell } from '../../src/race/table.js';

const run = (over: Partial<RaceRun>): RaceRun => ({
  name: 'Adam',
  lr: 0.02,
  momentum: 0.9,
  grads: [
    [0, 0],
    [0, 0],
  ],
  kept: true,
  path: [
    [0, 0],
    [0.5, 0.25],
  ],
  losses: [1, 0.5],
  hit: null,
  hitEvals: null,
  steps: 1,
  stop: 'budget',
  note: '',
  evals: 1,
  ms: 1,
  ...over,
});

describe('raceTable', () => {
  it('names the target in the header and adds the distance column when the minimum is known', () => {
    const t = raceTable([run({})], { kind: 'f-below', value: 1e-4 }, [1, 1]);
    expect(t.header).toEqual(['optimizer', 'lr', 'steps to f < 1e-4', 'final f', 'final (x, y)', 'distance to (1, 1)', 'end']);
    expect(t.rows[0]).toEqual({ name: 'Adam', cells: ['Adam', '0.02', '—', '0.5', '(0.5, 0.25)', '0.901', 'step budget used (1 step)'] });
    const g = raceTable([run({})], { kind: 'grad-norm-below', value: 1e-3 }, null);
    expect(g.header).toEqual(['optimizer', 'lr', 'steps to ‖∇f‖ < 0.001', 'final f', 'final (x, y)', 'end']);
  });

  it('says diverged, error, a step count, or L-BFGS steps with evaluations', () => {
    expect(reachedCell(run({ stop: 'diverged' }))).toBe('diverged');
    expect(reachedCell(run({ stop: 'error' }))).toBe('error');
    expect(reachedCell(run({ stop: 'left' }))).toBe('—');
    expect(reachedCell(run({ hit: 12, hitEvals: 12 }))).toBe('12');
    expect(reachedCell(run({ name: 'L-BFGS', hit: 31, hitEvals: 70 }))).toBe('31 (70 evals)');
  });

  it('marks a target met on the way but not at the end, and counts only racers that stayed', () => {
    expect(reachedCell(run({ hit: 423, hitEvals: 423, kept: false }))).toBe('423, then lost');
    expect(reachedCell(run({ name: 'L-BFGS', hit: 3, hitEvals: 9, kept: false }))).toBe('3 (9 evals), then lost');
    expect(arrivedCount([run({ hit: 1, kept: true }), run({ hit: 2, kept: false }), run({})])).toBe(1);
  });
});
