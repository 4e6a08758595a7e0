import { describe, expect, it } from 'vitest';
import { contourLevels, contourPolygons, niceStep, sampleGrid } from '../../src/race/contour.js';
import { parseExpression } from '../../src/race/expression.js';
import { PRESETS } from '../../src/race/presets.js';

const grid = (id: keyof typeof PRESETS) => {
  const f = parseExpression(PRESETS[id].expression);
  return sampleGrid((x, y) => f.evaluate(x, y), PRESETS[id].window);
};

describe('sampleGrid', () => {
  it('samples cell centres, row 0 at yMin', () => {
    const g = sampleGrid((x, y) => 10 * x + y, { xMin: 0, xMax: 4, yMin: 0, yMax: 2 }, 4, 2);
    expect(Array.from(g.values)).toEqual([5.5, 15.5, 25.5, 35.5, 6.5, 16.5, 26.5, 36.5]);
  });
});

describe('contourLevels', () => {
  it('spaces Rosenbrock’s levels 1-2-5 per decade from its valley floor up its walls', () => {
    const g = grid('rosenbrock');
    const { levels, scale } = contourLevels(g.values, 'log');
    expect(scale).toBe('log');
    expect(levels).toEqual([0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]);
  });

  it('picks log spacing by itself for surfaces spanning decades, linear otherwise', () => {
    expect(contourLevels(grid('rosenbrock').values, 'auto').scale).toBe('log');
    expect(contourLevels(grid('beale').values, 'auto').scale).toBe('log');
    expect(contourLevels(grid('saddle').values, 'auto').scale).toBe('linear');
    expect(contourLevels(grid('monkey').values, 'auto').scale).toBe('linear');
  });

  it('gives a saddle evenly spaced round levels through 0, inside the sampled range', () => {
    const g = grid('saddle');
    const { levels } = contourLevels(g.values, 'linear');
    expect(levels).toContain(0);
    const steps = levels.slice(1).map((v, i) => v - levels[i]!);
    for (const s of steps) expect(s).toBeCloseTo(steps[0]!, 12);
    expect(levels.length).toBeGreaterThanOrEqual(8);
    expect(levels.length).toBeLessThanOrEqual(30);
    const min = Math.min(...g.values);
    const max = Math.max(...g.values);
    expect(levels[0]).toBeGreaterThan(min);
    expect(levels[levels.length - 1]).toBeLessThan(max);
  });

  it('offsets log levels from a minimum away from 0', () => {
    const shifted = grid('rosenbrock').values.map((v) => v - 50);
    const lo = Math.min(...shifted);
    const { levels } = contourLevels(shifted, 'log');
    expect(levels.map((l) => Number((l - lo).toPrecision(6)))).toEqual([0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]);
  });

  it('ends with increasing levels when the values sit closer together than a step can resolve (near 1e17)', () => {
    // The middle 96% span 32 (two float64 spacings at 1e17), a 5-wide step cannot advance from 1e17.
    const values = [...Array<number>(50).fill(1e17), ...Array<number>(48).fill(1e17 + 32), 1e17 + 1e7, 1e17 + 1e7];
    const { levels } = contourLevels(values, 'linear');
    for (let i = 1; i < levels.length; i++) expect(levels[i]!).toBeGreaterThan(levels[i - 1]!);
    expect(levels.length).toBeGreaterThan(0);
  });

  it('has no levels for a flat or non-finite surface', () => {
    expect(contourLevels(new Float64Array(100).fill(3), 'auto').levels).toEqual([]);
    expect(contourLevels(new Float64Array(100).fill(Number.NaN), 'auto').levels).toEqual([]);
  });
});

describe('niceStep', () => {
  it('rounds up to 1, 2 or 5 × 10ᵏ', () => {
    expect([0.13, 0.2, 0.31, 0.7, 7, 12].map(niceStep)).toEqual([0.2, 0.2, 0.5, 1, 10, 20]);
  });
});

describe('contourPolygons', () => {
  it('returns one MultiPolygon per level, in grid coordinates', () => {
    const g = grid('saddle');
    const { levels } = contourLevels(g.values, 'linear');
    const polys = contourPolygons(g, levels);
    expect(polys.map((p) => p.value)).toEqual(levels);
    for (const p of polys) {
      expect(p.type).toBe('MultiPolygon');
      for (const ring of p.coordinates.flat()) for (const [x, y] of ring) expect(x! >= 0 && x! <= 100 && y! >= 0 && y! <= 100).toBe(true);
    }
    // x² − y² ≥ 0 is the left and right wedges, half of the square window (shoelace area, holes counted negative).
    const ringArea = (ring: number[][]) => ring.reduce((a, [x, y], i) => a + x! * ring[(i + 1) % ring.length]![1]! - ring[(i + 1) % ring.length]![0]! * y!, 0) / 2;
    const area = polys[levels.indexOf(0)]!.coordinates.flat().reduce((a, ring) => a + ringArea(ring), 0);
    expect(Math.abs(area) / (100 * 100)).toBeCloseTo(0.5, 2);
  });
});
