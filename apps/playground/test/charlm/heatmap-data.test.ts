import { describe, expect, it } from 'vitest';
import { colourOf, pickUnits, signalScale } from '../../web/charlm/heatmap-data.js';

describe('the heat map’s rows and colours', () => {
  it('keeps the units that vary most, in unit order', () => {
    const cols = [Float32Array.of(0, 5, 1, 0), Float32Array.of(0, -5, 1, 2), Float32Array.of(0, 5, 1, -2)];
    expect(pickUnits(cols, 4, 2)).toEqual([1, 3]);
    expect(pickUnits(cols.slice(0, 1), 4, 2)).toEqual([0, 1]);
    expect(pickUnits(cols, 4, 10)).toEqual([0, 1, 2, 3]);
  });

  it('scales gates from 0 to 1, h from −1 to 1 and c by its peak', () => {
    expect(signalScale('f', [])).toEqual({ signed: false, peak: 1 });
    expect(signalScale('h', [])).toEqual({ signed: true, peak: 1 });
    expect(signalScale('c', [Float32Array.of(1, -3)])).toEqual({ signed: true, peak: 3 });
    expect(colourOf(0, { signed: false, peak: 1 })).toEqual([255, 255, 255]);
    expect(colourOf(1, { signed: true, peak: 1 })).toEqual([255, 0, 0]);
    expect(colourOf(-2, { signed: true, peak: 1 })).toEqual([0, 0, 255]);
  });
});
