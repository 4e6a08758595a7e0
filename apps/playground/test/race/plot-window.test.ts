import { describe, expect, it } from 'vitest';
import { fitWindow, scaleWindow, windowContains } from '../../src/race/plot-window.js';

describe('plot windows', () => {
  const w = { xMin: -2, xMax: 2, yMin: -1, yMax: 3 };

  it('contains its edges and nothing beyond', () => {
    expect(windowContains(w, [2, 3])).toBe(true);
    expect(windowContains(w, [2.0001, 0])).toBe(false);
    expect(windowContains(w, [Number.NaN, 0])).toBe(false);
  });

  it('scales about its centre', () => {
    expect(scaleWindow(w, 3)).toEqual({ xMin: -6, xMax: 6, yMin: -5, yMax: 7 });
  });

  it('fits points with padding, a minimum size and optionally a square', () => {
    expect(fitWindow([[0, 0], [1, 2]], { pad: 0 })).toEqual({ xMin: 0, xMax: 1, yMin: 0, yMax: 2 });
    expect(fitWindow([[0, 0], [1, 2]], { pad: 0, square: true })).toEqual({ xMin: -0.5, xMax: 1.5, yMin: 0, yMax: 2 });
    expect(fitWindow([[3, 3]], { pad: 0.5, minSize: 2 })).toEqual({ xMin: 1, xMax: 5, yMin: 1, yMax: 5 });
    expect(fitWindow([])).toEqual({ xMin: -1, xMax: 1, yMin: -1, yMax: 1 });
  });
});
