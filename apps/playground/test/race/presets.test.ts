import { describe, expect, it } from 'vitest';
import { parseExpression } from '../../src/race/expression.js';
import { autogradAt } from '../../src/race/gradient-check.js';
import { OPTIMIZER_NAMES } from '../../src/race/optimizers.js';
import { windowContains } from '../../src/race/plot-window.js';
import { PRESETS, PRESET_IDS, isPresetId } from '../../src/race/presets.js';

describe('presets', () => {
  it('are the four surfaces of the issue, keyed by their ids', () => {
    expect(PRESET_IDS).toEqual(['rosenbrock', 'beale', 'saddle', 'monkey']);
    for (const id of PRESET_IDS) expect(PRESETS[id].id).toBe(id);
    expect(isPresetId('beale')).toBe(true);
    expect(isPresetId('himmelblau')).toBe(false);
  });

  for (const id of PRESET_IDS) {
    it(`${id}: parses, starts inside its window, has a rate for every optimizer and a stationary landmark`, () => {
      const p = PRESETS[id];
      const f = parseExpression(p.expression);
      expect(windowContains(p.window, p.start)).toBe(true);
      expect(Object.keys(p.lrs).sort()).toEqual([...OPTIMIZER_NAMES].sort());
      expect(Object.values(p.lrs).every((lr) => lr > 0)).toBe(true);
      for (const l of p.landmarks) {
        expect(windowContains(p.window, l.point)).toBe(true);
        const { gradient } = autogradAt(f, l.point);
        expect(Math.hypot(...gradient)).toBeLessThan(1e-12);
      }
      if (p.minimum) {
        expect(f.evaluate(...p.minimum.point)).toBeCloseTo(p.minimum.f, 12);
        expect(p.target).toEqual({ kind: 'f-below', value: p.minimum.f + 1e-4 });
      } else {
        expect(f.evaluate(...p.start)).toBeGreaterThan(p.target.value);
      }
    });
  }
});
