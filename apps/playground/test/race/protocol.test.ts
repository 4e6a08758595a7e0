import { describe, expect, it } from 'vitest';
import { parseExpression } from '../../src/race/expression.js';
import { checkGradient } from '../../src/race/gradient-check.js';
import { derivativeView, toRaceTrace, toRaceView } from '../../src/race/protocol.js';
import { raceReport } from '../../src/race/report.js';

describe('the race worker’s messages', () => {
  it('a view carries what the card shows: rates and momenta used, arrivals, the unbounded warning', () => {
    const report = raceReport({ expression: 'x^2 - y^2', momenta: { Momentum: 0.5 } });
    const view = toRaceView(report);
    expect(view).toMatchObject({ presetId: 'saddle', target: 'f < -1', steps: 1000, lrs: report.config.lrs, arrived: report.arrived });
    expect(view.momenta).toEqual({ Momentum: 0.5, NAG: 0.9, Adam: 0.9 });
    expect(view.unbounded).toMatch(/^f looks unbounded below/);
    expect(view.derivative).toMatchObject({ partials: { x: '2 * x', y: '-(2 * y)' }, symbolicNote: null });
    // Plain data: it crosses a worker boundary by structured clone.
    expect(structuredClone(view)).toEqual(view);
  });

  it('a trace flattens one racer’s full path, gradients and losses', () => {
    const run = raceReport({ expression: 'x^2 + y^2', steps: 5 }).runs[0]!;
    const t = toRaceTrace(run);
    expect(t.points).toEqual(run.path.flat());
    expect(t.grads).toEqual(run.grads.flat());
    expect(t.losses).toEqual(run.losses);
    expect(t).toMatchObject({ name: 'SGD', lr: run.lr, momentum: null, stop: run.stop });
  });

  it('the derivative view of a check says when mathjs’s formula is unsimplified', () => {
    const f = parseExpression(`${Array.from({ length: 8 }, (_, i) => `(x + ${i})`).join(' * ')} * y`);
    const view = derivativeView(f, checkGradient(f, [0.1, 0.2]));
    expect(view.symbolicNote).toMatch(/shown as differentiated, not simplified/);
    expect(view.check.agree).toBe(true);
  });
});
