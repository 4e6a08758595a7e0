import { describe, expect, it } from 'vitest';
import { type AdaptivePool2dGeometry, Generator, type Pool2dGeometry, Tensor, pool2dGeometry } from '@dl/tensor';
import { gradcheck, gradgradcheck } from '@dl/autograd';
import { adaptivePool, avgPool, maxPool } from './conv-pool-ops.js';

// Gradients of pooling through test-local ops over the core's kernels
// (conv-pool-ops.ts), first and second order, float64.

/** Pairwise-distinct values (gaps ≥ 0.2) in random order: no ties for max pooling under a 1e-6 step. */
function distinct(shape: readonly number[], seed: number): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const perm = new Generator(seed).permutation(n);
  return new Tensor(Float64Array.from({ length: n }, (_, i) => (perm[i]! - n / 2) * 0.3), shape);
}

function uniform(shape: readonly number[], seed: number): Tensor {
  const g = new Generator(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return new Tensor(Float64Array.from({ length: n }, () => 2 * g.random() - 1), shape);
}

const input = (g: Pool2dGeometry | AdaptivePool2dGeometry): number[] => [g.batch, g.channels, g.height, g.width];

const MAX: Array<[string, Pool2dGeometry]> = [
  ['2×2 stride 2', pool2dGeometry({ batch: 2, channels: 2, height: 4, width: 6, kernelH: 2, kernelW: 2 })],
  ['3×3 stride 2 padding 1 (overlapping windows)', pool2dGeometry({ batch: 1, channels: 2, height: 5, width: 5, kernelH: 3, kernelW: 3, strideH: 2, strideW: 2, padH: 1, padW: 1 })],
  ['dilation 2, ceil mode', pool2dGeometry({ batch: 1, channels: 2, height: 6, width: 7, kernelH: 2, kernelW: 2, strideH: 2, strideW: 2, dilationH: 2, dilationW: 2, ceilMode: true })],
  ['3×2 stride 1 (each input in several windows)', pool2dGeometry({ batch: 2, channels: 1, height: 4, width: 4, kernelH: 3, kernelW: 2, strideH: 1, strideW: 1 })],
];

describe('max pooling gradients (float64)', () => {
  for (const [name, g] of MAX) {
    it(`${name}: gradcheck and gradgradcheck of the values`, () => {
      const f = (x: Tensor) => maxPool([x], { g })[0]!;
      const x = distinct(input(g), 1);
      expect(gradcheck(f, [x])).toBe(true);
      expect(gradgradcheck(f, [x])).toBe(true);
    }, 60_000);
  }
});

describe('average pooling gradients (float64)', () => {
  const cases: Array<[string, Pool2dGeometry, boolean, number | null]> = [
    ['2×2 stride 2', pool2dGeometry({ batch: 2, channels: 2, height: 4, width: 4, kernelH: 2, kernelW: 2 }), true, null],
    ['3×3 stride 2 padding 1, count_include_pad', pool2dGeometry({ batch: 1, channels: 2, height: 5, width: 6, kernelH: 3, kernelW: 3, strideH: 2, strideW: 2, padH: 1, padW: 1 }), true, null],
    ['3×3 stride 2 padding 1, padding not counted', pool2dGeometry({ batch: 1, channels: 2, height: 5, width: 6, kernelH: 3, kernelW: 3, strideH: 2, strideW: 2, padH: 1, padW: 1 }), false, null],
    ['ceil mode, divisor_override 3', pool2dGeometry({ batch: 1, channels: 1, height: 5, width: 5, kernelH: 2, kernelW: 2, ceilMode: true, padH: 1 }), true, 3],
  ];
  for (const [name, g, countIncludePad, divisorOverride] of cases) {
    it(`${name}: gradcheck and gradgradcheck`, () => {
      const f = (x: Tensor) => avgPool([x], { g, countIncludePad, divisorOverride });
      const x = uniform(input(g), 2);
      expect(gradcheck(f, [x])).toBe(true);
      expect(gradgradcheck(f, [x])).toBe(true);
    }, 60_000);
  }
});

describe('adaptive average pooling gradients (float64)', () => {
  const cases: AdaptivePool2dGeometry[] = [
    { batch: 2, channels: 2, height: 5, width: 7, outH: 3, outW: 2 },
    { batch: 1, channels: 3, height: 4, width: 4, outH: 1, outW: 1 },
    { batch: 1, channels: 1, height: 3, width: 2, outH: 5, outW: 4 },
  ];
  for (const g of cases) {
    it(`${g.height}×${g.width} → ${g.outH}×${g.outW}: gradcheck and gradgradcheck`, () => {
      const f = (x: Tensor) => adaptivePool([x], { g });
      const x = uniform(input(g), 3);
      expect(gradcheck(f, [x])).toBe(true);
      expect(gradgradcheck(f, [x])).toBe(true);
    }, 60_000);
  }
});
