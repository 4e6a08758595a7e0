import { describe, expect, it } from 'vitest';
import { type Conv2dGeometry, Generator, type Tensor, conv2dGeometry, conv2dOutputShape, mul, randn, sum } from '@dl/tensor';
import { gradcheck, gradgradcheck, gradients } from '@dl/autograd';
import { conv, convInput, convWeight } from './conv-pool-ops.js';

// Gradients of convolution through test-local ops over the core's kernels
// (conv-pool-ops.ts): first derivatives against central differences, second
// derivatives through rules that call the kernels as differentiable ops.

const f64 = (shape: readonly number[], seed: number): Tensor => randn([...shape], { dtype: 'float64', generator: new Generator(seed) });

const GEOMETRIES: Array<[string, Conv2dGeometry]> = [
  ['3×3, padding 1', conv2dGeometry({ batch: 2, inChannels: 2, height: 5, width: 4, outChannels: 3, kernelH: 3, kernelW: 3, padH: 1, padW: 1 })],
  ['stride 2 with padding', conv2dGeometry({ batch: 2, inChannels: 2, height: 6, width: 5, outChannels: 2, kernelH: 3, kernelW: 3, strideH: 2, strideW: 2, padH: 1, padW: 1 })],
  ['dilation 2', conv2dGeometry({ batch: 1, inChannels: 2, height: 6, width: 6, outChannels: 2, kernelH: 2, kernelW: 3, dilationH: 2, dilationW: 2, padW: 1 })],
  ['groups 2', conv2dGeometry({ batch: 2, inChannels: 4, height: 4, width: 4, outChannels: 4, kernelH: 2, kernelW: 2, groups: 2 })],
  ['depthwise (groups = C)', conv2dGeometry({ batch: 2, inChannels: 3, height: 4, width: 5, outChannels: 3, kernelH: 3, kernelW: 3, padH: 1, padW: 1, groups: 3 })],
  ['1×1', conv2dGeometry({ batch: 3, inChannels: 3, height: 3, width: 3, outChannels: 2, kernelH: 1, kernelW: 1 })],
  ['3×2, stride (1, 2), padding (1, 0)', conv2dGeometry({ batch: 1, inChannels: 2, height: 5, width: 7, outChannels: 3, kernelH: 3, kernelW: 2, strideW: 2, padH: 1 })],
];

describe('conv2d gradients (float64)', () => {
  for (const [name, g] of GEOMETRIES) {
    const wShape = [g.outChannels, g.inChannels / g.groups, g.kernelH, g.kernelW];
    const x = f64([g.batch, g.inChannels, g.height, g.width], 1);
    const w = f64(wShape, 2);
    const b = f64([g.outChannels], 3);

    it(`${name}: gradcheck and gradgradcheck in x, W and b`, () => {
      const f = (xx: Tensor, ww: Tensor, bb: Tensor) => conv([xx, ww, bb], { g });
      expect(gradcheck(f, [x, w, b])).toBe(true);
      expect(gradgradcheck(f, [x, w, b])).toBe(true);
    }, 120_000);

    it(`${name}: without bias, and the input gradient as a transposed convolution (both its gradients)`, () => {
      expect(gradgradcheck((xx: Tensor, ww: Tensor) => conv([xx, ww], { g }), [x, w])).toBe(true);
      const gy = f64(conv2dOutputShape(g), 4);
      expect(gradcheck((gg: Tensor, ww: Tensor) => convInput([gg, ww], { g }), [gy, w])).toBe(true);
      expect(gradgradcheck((xx: Tensor, gg: Tensor) => convWeight([xx, gg], { g }), [x, gy])).toBe(true);
    }, 120_000);
  }
});

describe('conv2d: the kernels’ fused first-order backward agrees with the differentiable rules', () => {
  for (const dtype of ['float64', 'float32'] as const) {
    it(`${dtype}: gradients of x, W and b through the engine, every geometry`, () => {
      for (const [name, g] of GEOMETRIES) {
        const x = f64([g.batch, g.inChannels, g.height, g.width], 5).to(dtype).requiresGrad_();
        const w = f64([g.outChannels, g.inChannels / g.groups, g.kernelH, g.kernelW], 6).to(dtype).requiresGrad_();
        const b = f64([g.outChannels], 7).to(dtype).requiresGrad_();
        const gy = f64(conv2dOutputShape(g), 8).to(dtype);
        const loss = () => sum(mul(conv([x, w, b], { g }), gy));
        const fast = gradients(loss(), [x, w, b]);
        const rules = gradients(loss(), [x, w, b], { createGraph: true });
        const tol = dtype === 'float64' ? 1e-12 : 1e-5;
        for (let i = 0; i < 3; i++) {
          expect(fast[i]!.requiresGrad, `${name} input ${i}`).toBe(false);
          const d = Math.max(...fast[i]!.toFlatArray().map((v, k) => Math.abs(v - rules[i]!.data[k]!)));
          expect(d, `${name} input ${i}`).toBeLessThan(tol);
        }
      }
    }, 60_000);
  }
});
