import { contours } from 'd3-contour';
import { describe, expect, it } from 'vitest';
import { OPTIMIZER_COLORS } from '../../src/race/colors.js';
import type { Point } from '../../src/race/format.js';
import type { OptimizerName } from '../../src/race/optimizers.js';
import type { RaceRun } from '../../src/race/race.js';
import { raceReport } from '../../src/race/report.js';
import { type SceneInput, buildScene, pixelToPoint } from '../../src/race/scene.js';
import fc from 'fast-check';

// The plot is the 470 × 470 px square at (58, 48); the window [0, 10]² maps 47 px to a unit, y upwards.
const WINDOW = { xMin: 0, xMax: 10, yMin: 0, yMax: 10 };

function run(name: OptimizerName, path: Point[], extra: Partial<RaceRun> = {}): RaceRun {
  return { name, lr: 0.1, momentum: null, path, losses: path.map(() => 1), grads: path.map((): Point => [0, 0]), hit: null, kept: true, steps: path.length - 1, stop: 'budget', note: '', evals: path.length - 1, hitEvals: null, ms: 0, ...extra };
}

function scene(over: Partial<SceneInput> = {}) {
  return buildScene({
    window: WINDOW,
    contours: [],
    grid: { nx: 10, ny: 10 },
    runs: [],
    start: [0, 0],
    landmarks: [],
    title: 'f(x, y) = x^2',
    subtitle: 'sub',
    legendTitle: 'steps to f < 1',
    ...over,
  });
}

describe('buildScene', () => {
  it('maps the window onto the plot square, y pointing up, rounded to a tenth of a pixel', () => {
    const s = scene({ start: [0, 0], landmarks: [{ point: [10, 10], label: 'minimum (10, 10)' }, { point: [1 / 3, 2 / 3], label: 'a' }] });
    expect([s.width, s.height]).toEqual([800, 560]);
    expect(s.plot).toEqual({ x: 58, y: 48, w: 470, h: 470 });
    expect(s.start).toEqual({ px: [58, 518], label: 'start (0, 0)' });
    expect(s.landmarks).toEqual([
      { px: [528, 48], label: 'minimum (10, 10)' },
      { px: [73.7, 486.7], label: 'a' },
    ]);
    expect([s.title, s.subtitle, s.legendTitle]).toEqual(['f(x, y) = x^2', 'sub', 'steps to f < 1']);
  });

  it('puts ticks at round steps covering each axis', () => {
    // Step 0.2: adding it up reaches 0.6000000000000001, which must still read 0.6.
    const s = scene({ window: { xMin: -0.3, xMax: 0.9, yMin: 0, yMax: 10 } });
    expect(s.xTicks).toEqual([-0.2, 0, 0.2, 0.4, 0.6, 0.8].map((v) => ({ px: Math.round((58 + ((v + 0.3) / 1.2) * 470) * 10) / 10, label: String(v) })));
    // Step 0.1 from −0.4 reaches −2.8e-17, not 0: the tick there reads 0.
    expect(scene({ window: { xMin: -0.4, xMax: 0.2, yMin: 0, yMax: 10 } }).xTicks.map((t) => t.label)).toEqual(['-0.4', '-0.3', '-0.2', '-0.1', '0', '0.1', '0.2']);
    expect(s.yTicks.map((t) => [t.py, t.label])).toEqual([0, 2, 4, 6, 8, 10].map((v) => [518 - 47 * v, String(v)]));
  });

  it('draws contour bands from grid coordinates (y up), lowest level first, darker uphill, to a tenth of a pixel', () => {
    // f = row + 0.3·column on an 11 × 11 grid: rising upwards (grid y is the row) and to the right.
    const values = Array.from({ length: 121 }, (_, i) => Math.floor(i / 11) + 0.3 * (i % 11));
    const polys = contours().size([11, 11]).thresholds([2, 5, 8])(values);
    const s = scene({ contours: polys, grid: { nx: 11, ny: 11 } });
    expect(s.bands.map((b) => b.level)).toEqual([2, 5, 8]);
    const lightness = s.bands.map((b) => Number(/rgb\((\d+)/.exec(b.fill)![1]));
    expect(lightness[0]).toBeGreaterThan(lightness[1]!);
    expect(lightness[1]).toBeGreaterThan(lightness[2]!);
    const vertices = (d: string) => [...d.matchAll(/[ML](-?[\d.]+),(-?[\d.]+)/g)].map((m) => [m[1]!, m[2]!]);
    for (const b of s.bands) {
      expect(b.d).toMatch(/^M/);
      for (const n of vertices(b.d).flat()) expect(n).toMatch(/^-?\d+(\.\d)?$/);
      const [xs, ys] = [0, 1].map((j) => vertices(b.d).map((v) => Number(v[j])));
      expect(Math.min(...xs!)).toBeGreaterThanOrEqual(58);
      expect(Math.max(...xs!)).toBe(528);
      expect(Math.min(...ys!)).toBeGreaterThanOrEqual(48);
      expect(Math.max(...ys!)).toBeLessThanOrEqual(518);
    }
    // f ≥ 8 needs row ≥ 5: the top part of the plot, above grid y = 5.
    const top = vertices(s.bands[2]!.d).map((v) => Number(v[1]));
    expect(Math.max(...top)).toBeLessThanOrEqual(48 + 470 * (1 - 5 / 11));
  });

  it('gives each racer its colour, dashes L-BFGS only, and carries its end, stop and legend cell', () => {
    const s = scene({
      runs: [
        run('Adam', [
          [1, 1],
          [2, 3],
        ], { hit: 1 }),
        run('L-BFGS', [
          [1, 1],
          [20, 1],
        ], { hit: 1, hitEvals: 4, stop: 'left' }),
        run('SGD', [[1, 1]], { stop: 'diverged' }),
      ],
    });
    const [adam, lbfgs, sgd] = s.runs;
    expect(adam).toMatchObject({ name: 'Adam', color: OPTIMIZER_COLORS.Adam, dashed: false, steps: 1, end: [2, 3], endPx: [152, 377], stop: 'budget', legend: '1' });
    expect(lbfgs).toMatchObject({ color: OPTIMIZER_COLORS['L-BFGS'], dashed: true, end: [20, 1], endPx: null, stop: 'left', legend: '1 (4 evals)' });
    expect(sgd).toMatchObject({ dashed: false, points: [105, 471], stepOf: [0], steps: 0, legend: 'diverged' });
  });

  it('thins a path to vertices at least ¾ px apart but always keeps its first and last', () => {
    // Steps of 0.013 units (0.611 px) along x: every second vertex is far enough, and the last (0.611 px on) is kept anyway.
    const path: Point[] = Array.from({ length: 12 }, (_, k) => [1 + k * 0.013, 1]);
    const [r] = scene({ runs: [run('SGD', path)] }).runs;
    expect(r!.stepOf).toEqual([0, 2, 4, 6, 8, 10, 11]);
    expect(r!.points).toEqual(r!.stepOf.flatMap((k) => [Math.round((105 + k * 0.013 * 47) * 10) / 10, 471]));
  });

  it('clips a far excursion to one plot width beyond the plot, and restarts at the entry point on return', () => {
    const path: Point[] = [
      [5, 5],
      [1000, 5],
      [2000, 5],
      [6, 5],
    ];
    const [r] = scene({ runs: [run('Momentum', path)] }).runs;
    // 528 + 470 = 998 px is the clip edge; the segment wholly beyond it is dropped.
    expect(r!.points).toEqual([293, 283, 998, 283, 998, 283, 340, 283]);
    expect(r!.stepOf).toEqual([0, 1, 3, 3]);
    expect(r!.endPx).toEqual([340, 283]);
  });

  describe('on a race report (x² − y², where L-BFGS escapes the saddle)', () => {
    const report = raceReport({ expression: 'x^2 - y^2' });
    const { scene: s } = report;

    it('keeps far escapes (L-BFGS jumps to ~1e8 on the saddle) near the plot, and marks their end as off the plot', () => {
      const lbfgs = s.runs.find((r) => r.name === 'L-BFGS')!;
      expect(Math.max(...report.runs.find((r) => r.name === 'L-BFGS')!.path.flat().map(Math.abs))).toBeGreaterThan(1e6);
      const { x, y, w, h } = s.plot;
      for (let i = 0; i < lbfgs.points.length; i += 2) {
        expect(lbfgs.points[i]!).toBeGreaterThanOrEqual(x - w - 1e-6);
        expect(lbfgs.points[i]!).toBeLessThanOrEqual(x + 2 * w + 1e-6);
        expect(lbfgs.points[i + 1]!).toBeGreaterThanOrEqual(y - h - 1e-6);
        expect(lbfgs.points[i + 1]!).toBeLessThanOrEqual(y + 2 * h + 1e-6);
      }
      expect(lbfgs.endPx).toBeNull();
    });

    it('thins paths to vertices at least ¾ px apart, tagged with increasing step numbers from 0', () => {
      for (const r of s.runs) {
        expect(r.stepOf[0]).toBe(0);
        expect(r.points.length).toBe(2 * r.stepOf.length);
        expect(r.stepOf.every((st, i) => i === 0 || st > r.stepOf[i - 1]!)).toBe(true);
        expect(r.stepOf[r.stepOf.length - 1]).toBeLessThanOrEqual(r.steps);
      }
      const sgd = s.runs.find((r) => r.name === 'SGD')!;
      expect(sgd.stepOf.length).toBeLessThan(sgd.steps);
    });
  });
});

describe('pixelToPoint', () => {
  it('maps a pixel of the plot back to (x, y), y upwards, snapped to a round step near 1/100 of the window', () => {
    const s = scene();
    expect(pixelToPoint(s, 58, 48 + 470)).toEqual([0, 0]); // bottom-left corner
    expect(pixelToPoint(s, 58 + 470, 48)).toEqual([10, 10]); // top-right corner
    expect(pixelToPoint(s, 58 + 47 * 3, 48 + 470 - 47 * 7)).toEqual([3, 7]);
    expect(pixelToPoint(s, 58 + 47 * 3.14159, 48 + 470)).toEqual([3.1, 0]); // window 10 wide: steps of 0.1
    const small = scene({ window: { xMin: -2, xMax: 2, yMin: -1, yMax: 3 } });
    expect(pixelToPoint(small, 58 + 235, 48 + 235)).toEqual([0, 1]);
    expect(pixelToPoint(small, 58 + 470 * 0.3, 48 + 470 * 0.8)).toEqual([-0.8, -0.2]);
    expect(pixelToPoint(small, 58 + 470 * 0.33, 48 + 470 * 0.77)).toEqual([-0.7, -0.1]); // steps of 0.05 (−0.68, −0.08), no float tails
    expect(pixelToPoint(small, 58 + 470 * 0.34, 48 + 470 * 0.76)).toEqual([-0.65, -0.05]);
  });

  it('is null outside the plot rectangle (axes, legend, margins)', () => {
    const s = scene();
    for (const [px, py] of [
      [57.9, 100],
      [528.1, 100],
      [100, 47.9],
      [100, 518.1],
      [700, 300],
    ] as const) {
      expect(pixelToPoint(s, px, py)).toBeNull();
    }
  });

  it('inverts the scene’s own placement of the start, for any start in the window', () => {
    fc.assert(
      fc.property(fc.double({ min: -2, max: 2, noNaN: true }), fc.double({ min: -1, max: 3, noNaN: true }), (x, y) => {
        const s = scene({ window: { xMin: -2, xMax: 2, yMin: -1, yMax: 3 }, start: [x, y] });
        const back = pixelToPoint(s, s.start.px[0], s.start.px[1])!;
        // The start's pixel is rounded to 0.1 px (±0.05 px = ±0.00043 here) and the result to 0.05 (±0.025).
        expect(Math.abs(back[0] - x)).toBeLessThanOrEqual(0.0255);
        expect(Math.abs(back[1] - y)).toBeLessThanOrEqual(0.0255);
      }),
      { seed: 20240611 },
    );
  });
});
