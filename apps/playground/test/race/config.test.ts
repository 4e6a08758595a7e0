import { describe, expect, it } from 'vitest';
import { presetForExpression, resolveRaceConfig } from '../../src/race/config.js';
import { CUSTOM_LRS, CUSTOM_START, CUSTOM_STEPS, CUSTOM_TARGET } from '../../src/race/custom.js';
import { PRESETS } from '../../src/race/presets.js';

describe('resolveRaceConfig', () => {
  it("recognises a preset's expression whatever its spacing and takes the preset's settings", () => {
    expect(presetForExpression('(1-x)^2+100(y-x^2)^2')).toBe('rosenbrock');
    expect(presetForExpression('x^3-3x y^2')).toBe('monkey');
    expect(presetForExpression('x^3 - 3xy^2')).toBeNull();
    expect(presetForExpression('x^^2')).toBeNull();
    const c = resolveRaceConfig({ expression: 'x ^ 2 - y ^ 2' });
    const s = PRESETS.saddle;
    expect(c).toMatchObject({ presetId: 'saddle', start: s.start, window: s.window, target: s.target, steps: s.steps, lrs: s.lrs, minimum: null });
    expect(c.arena).toEqual({ xMin: -6, xMax: 6, yMin: -6, yMax: 6 });
  });

  it('applies a start, a step budget and rate overrides', () => {
    const c = resolveRaceConfig({ expression: PRESETS.rosenbrock.expression, start: [0, 0], steps: 10, lrs: { Adam: 0.1 }, momenta: { NAG: 0.5 } });
    expect(c.momenta).toEqual({ Momentum: 0.9, NAG: 0.5, Adam: 0.9 });
    expect(resolveRaceConfig({ expression: 'x^2', momenta: { Adam: 0.8 } }).momenta).toEqual({ Momentum: 0.9, NAG: 0.9, Adam: 0.8 });
    expect(c.start).toEqual([0, 0]);
    expect(c.steps).toBe(10);
    expect(c.lrs).toEqual({ ...PRESETS.rosenbrock.lrs, Adam: 0.1 });
    expect(c.window).toEqual(PRESETS.rosenbrock.window);
    expect(c.minimum).toEqual([1, 1]);
  });

  it("grows a preset's window to show a start outside it", () => {
    const c = resolveRaceConfig({ expression: PRESETS.rosenbrock.expression, start: [-3, 4] });
    const w = c.window!;
    expect(w.xMin).toBeLessThan(-3);
    expect(w.yMax).toBeGreaterThan(4);
    expect(w.xMax).toBeGreaterThanOrEqual(2);
    expect(w.yMin).toBeLessThanOrEqual(-1);
  });

  it('gives a typed-in function the custom settings, a window fitted later and an arena around the start', () => {
    const c = resolveRaceConfig({ expression: 'x^2 + 3 y^2' });
    expect(c).toMatchObject({ presetId: null, start: CUSTOM_START, window: null, target: CUSTOM_TARGET, steps: CUSTOM_STEPS, lrs: CUSTOM_LRS, contourScale: 'auto', landmarks: [] });
    expect(c.arena).toEqual({ xMin: -9.5, xMax: 10.5, yMin: -9.5, yMax: 10.5 });
    expect(resolveRaceConfig({ expression: 'x', start: [50, 0] }).arena.xMax).toBe(550);
  });
});
