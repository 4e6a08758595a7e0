import { describe, expect, it } from 'vitest';
import { mnistFromDrawing } from '../../src/train/draw-preprocess.js';

const W = 280;

/** A drawing with ink in the rectangle [x0, x1) × [y0, y1). */
function rect(x0: number, x1: number, y0: number, y1: number): Float32Array {
  const ink = new Float32Array(W * W);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) ink[y * W + x] = 1;
  return ink;
}

function bounds(px: Float32Array): { x0: number; x1: number; y0: number; y1: number; cx: number; cy: number } {
  let [x0, x1, y0, y1, mass, mx, my] = [28, -1, 28, -1, 0, 0, 0];
  for (let y = 0; y < 28; y++) {
    for (let x = 0; x < 28; x++) {
      const v = px[y * 28 + x]!;
      if (v <= 0) continue;
      [x0, x1, y0, y1] = [Math.min(x0, x), Math.max(x1, x), Math.min(y0, y), Math.max(y1, y)];
      mass += v;
      mx += v * (x + 0.5);
      my += v * (y + 0.5);
    }
  }
  return { x0, x1, y0, y1, cx: mx / mass, cy: my / mass };
}

describe('mnistFromDrawing', () => {
  it('returns null for an empty drawing', () => {
    expect(mnistFromDrawing(new Float32Array(W * W), W, W)).toBeNull();
  });

  it('scales a tall stroke into the 20-pixel box and centres its mass, wherever it was drawn', () => {
    for (const [x0, y0] of [
      [10, 10],
      [200, 60],
    ] as const) {
      const px = mnistFromDrawing(rect(x0, x0 + 20, y0, y0 + 200), W, W)!;
      const b = bounds(px);
      expect(b.y1 - b.y0 + 1).toBe(20);
      expect(b.x1 - b.x0 + 1).toBe(2);
      expect(Math.abs(b.cx - 14)).toBeLessThanOrEqual(0.5);
      expect(Math.abs(b.cy - 14)).toBeLessThanOrEqual(0.5);
      expect(Math.max(...px)).toBe(1);
    }
  });

  it('averages partial coverage into grey, as MNIST’s anti-aliased strokes are', () => {
    // 15 px wide strokes scaled by 20/200 = 0.1 cover 1.5 box pixels: one full, one half.
    const px = mnistFromDrawing(rect(100, 115, 40, 240), W, W)!;
    const values = new Set(Array.from(px).filter((v) => v > 0).map((v) => v.toFixed(2)));
    expect(values).toEqual(new Set(['1.00', '0.50']));
  });

  it('enlarges a tiny drawing to the box', () => {
    const b = bounds(mnistFromDrawing(rect(5, 7, 5, 15), W, W)!);
    expect(b.y1 - b.y0 + 1).toBe(20);
  });

  it('checks the drawing’s size', () => {
    expect(() => mnistFromDrawing(new Float32Array(10), 5, 5)).toThrow('mnistFromDrawing: 10 values for a 5×5 drawing');
  });
});
