import { Generator, ShapeError, Tensor } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { ColorJitter } from '../../src/index.js';
import { batch } from './helpers.js';

describe('colour', () => {
  it('brightness scales by a factor in [1 − s, 1 + s]; contrast keeps the mean grey; saturation keeps each pixel grey', () => {
    const x = batch([30, 3, 4, 4], 9);
    const b = new ColorJitter({ brightness: 0.5 }).apply(x, new Generator(1));
    for (let i = 0; i < 30; i++) {
      const f = b.data[i * 48]! / x.data[i * 48]!;
      expect(f).toBeGreaterThanOrEqual(0.5 - 1e-6);
      expect(f).toBeLessThanOrEqual(1.5 + 1e-6);
      for (let k = 0; k < 48; k++) expect(b.data[i * 48 + k]).toBeCloseTo(x.data[i * 48 + k]! * f, 4);
    }
    const grey = (d: ArrayLike<number>, i: number, p: number) => 0.299 * d[i * 48 + p]! + 0.587 * d[i * 48 + 16 + p]! + 0.114 * d[i * 48 + 32 + p]!;
    const c = new ColorJitter({ contrast: 0.5 }).apply(x, new Generator(2));
    const s = new ColorJitter({ saturation: 0.9 }).apply(x, new Generator(3));
    for (let i = 0; i < 30; i++) {
      let mx = 0;
      let mc = 0;
      for (let p = 0; p < 16; p++) {
        mx += grey(x.data, i, p);
        mc += grey(c.data, i, p);
        expect(grey(s.data, i, p)).toBeCloseTo(grey(x.data, i, p), 4);
      }
      expect(mc).toBeCloseTo(mx, 3);
    }
  });

  it('clamps when asked and refuses saturation on grey images', () => {
    const x = new Tensor(new Float32Array(16).fill(0.9), [1, 1, 4, 4]);
    const out = new ColorJitter({ brightness: 0.5, clamp: [0, 1] }).apply(x, new Generator(5));
    for (const v of out.data) expect(v).toBeLessThanOrEqual(1);
    expect(() => new ColorJitter({ saturation: 0.2 }).apply(x)).toThrow(ShapeError);
    expect(() => new ColorJitter({ brightness: -1 })).toThrow(/brightness/);
  });
});
