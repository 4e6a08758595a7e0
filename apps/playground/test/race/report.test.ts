import { describe, expect, it } from 'vitest';
import { ExpressionError } from '../../src/race/expression-error.js';
import { windowContains } from '../../src/race/plot-window.js';
import { GRID_SIZE, raceReport } from '../../src/race/report.js';

describe('raceReport', () => {
  // ~0.5 s on a quiet 2-core machine, several times that under load (issue 17: the suite must pass on a busy machine).
  it('races a typed-in function and fits a square window around the start and every path', { timeout: 60_000 }, () => {
    const r = raceReport({ expression: '(x - 1)^2 + (y + 0.5)^2', start: [-1, 1] });
    expect(r.config.presetId).toBeNull();
    // mathjs's simplify writes decimals as exact fractions.
    expect(r.expression.partials).toEqual({ x: '2 * (x - 1)', y: '2 * (y + 1 / 2)' });
    expect(r.check.agree).toBe(true);
    const w = r.window;
    expect(w.xMax - w.xMin).toBeCloseTo(w.yMax - w.yMin, 12);
    for (const run of r.runs) for (const p of run.path) expect(windowContains(w, p)).toBe(true);
    // Every racer finds the stationary point (1, −0.5) of this bowl.
    for (const run of r.runs) expect(run.hit, run.name).not.toBeNull();
    expect(r.table.rows.map((row) => row.name)).toEqual(r.runs.map((run) => run.name));
    expect(r.scene.bands).toHaveLength(r.levels.length);
    expect(r.scene.subtitle).toMatch(/^start \(-1, 1\), up to 1000 steps each; \d+ contours from f = /);
    expect(GRID_SIZE).toBe(100);
  });

  it('throws ExpressionError for a malformed expression or a start where f is not finite', () => {
    expect(() => raceReport({ expression: 'x^^2 + (y' })).toThrow(ExpressionError);
    expect(() => raceReport({ expression: 'sqrt(x) + y', start: [-1, 0] })).toThrow(/NaN at the start point \(-1, 0\)/);
  });

  it('draws no contours for a constant, and nobody moves', () => {
    const r = raceReport({ expression: '7', steps: 20 });
    expect(r.levels).toEqual([]);
    expect(r.scene.subtitle).toContain('f is flat here: no contours');
    for (const run of r.runs) expect(run.path).toEqual([[0.5, 0.5]]);
  });
});
