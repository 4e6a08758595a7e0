import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ConvGeometry, Generator, convOutputSize, jsBackend, referenceBackend, wasmBackend } from '../../src/index.js';
import { col2imKernel, im2colKernel, indexAddKernel } from '../../src/kernels/im2col.js';
import { col2imFast, im2colFast, indexAddFast } from '../../src/kernels/im2col-f32.js';
import { indexAddWasm } from '../../src/kernels/wasm/elementwise-wasm.js';

const geometryArb: fc.Arbitrary<ConvGeometry> = fc.record({
  channels: fc.integer({ min: 1, max: 3 }),
  height: fc.integer({ min: 1, max: 9 }),
  width: fc.integer({ min: 1, max: 9 }),
  kernelH: fc.integer({ min: 1, max: 4 }),
  kernelW: fc.integer({ min: 1, max: 4 }),
  strideH: fc.integer({ min: 1, max: 3 }),
  strideW: fc.integer({ min: 1, max: 3 }),
  padH: fc.integer({ min: 0, max: 2 }),
  padW: fc.integer({ min: 0, max: 2 }),
  dilationH: fc.integer({ min: 1, max: 2 }),
  dilationW: fc.integer({ min: 1, max: 2 }),
});

function f32(g: Generator, n: number): Float32Array {
  return Float32Array.from({ length: n }, () => g.randint(-8, 9) / 4);
}

function sizes(g: ConvGeometry): { image: number; cols: number } {
  const { outH, outW } = convOutputSize(g);
  return { image: g.channels * g.height * g.width, cols: g.channels * g.kernelH * g.kernelW * outH * outW };
}

describe('im2col / col2im', () => {
  it('follow PyTorch’s output size formula', () => {
    const g = { channels: 1, height: 28, width: 28, kernelH: 5, kernelW: 5, strideH: 1, strideW: 1, padH: 2, padW: 2, dilationH: 1, dilationW: 1 };
    expect(convOutputSize(g)).toEqual({ outH: 28, outW: 28 });
    expect(convOutputSize({ ...g, strideH: 2, strideW: 3, padH: 0, padW: 0, dilationH: 2 })).toEqual({ outH: 10, outW: 8 });
  });

  it('im2col reads the right pixel for every patch entry, zero in the padding', () => {
    const g = { channels: 2, height: 3, width: 4, kernelH: 2, kernelW: 3, strideH: 1, strideW: 2, padH: 1, padW: 1, dilationH: 1, dilationW: 1 };
    const x = Float32Array.from({ length: 24 }, (_, i) => i + 1);
    const { outH, outW } = convOutputSize(g);
    const cols = new Float32Array(sizes(g).cols);
    im2colKernel(x, 0, g, cols, 0);
    // Row (c=1, ki=1, kj=2), output (oh=1, ow=0): pixel (ih = 1 - 1 + 1, iw = 0 - 1 + 2) of channel 1.
    const row = (1 * 2 + 1) * 3 + 2;
    expect(cols[row * outH * outW + 1 * outW + 0]).toBe(x[12 + 1 * 4 + 1]);
    // Row (c=0, ki=0, kj=0), output (0, 0) reads (-1, -1): padding.
    expect(cols[0]).toBe(0);
  });

  it('the fast float32 loops equal the reference bit for bit, at offsets', () => {
    fc.assert(
      fc.property(geometryArb, fc.nat(), (g, seed) => {
        const gen = new Generator(seed);
        const { image, cols } = sizes(g);
        const x = f32(gen, image + 3);
        const a = new Float32Array(cols + 2).fill(7);
        const b = a.slice();
        im2colKernel(x, 3, g, a, 2);
        im2colFast(x, 3, g, b, 2);
        expect(Array.from(b)).toEqual(Array.from(a));
        const c = f32(gen, cols + 1);
        const base = f32(gen, image + 4);
        const p = base.slice();
        const q = base.slice();
        col2imKernel(c, 1, g, p, 4);
        col2imFast(c, 1, g, q, 4);
        expect(Array.from(q)).toEqual(Array.from(p));
      }),
      { numRuns: 200 },
    );
  });

  it('col2im is the adjoint of im2col: ⟨im2col(x), y⟩ = ⟨x, col2im(y)⟩', () => {
    fc.assert(
      fc.property(geometryArb, fc.nat(), (g, seed) => {
        const gen = new Generator(seed);
        const { image, cols } = sizes(g);
        const x = Float64Array.from({ length: image }, () => gen.normal());
        const y = Float64Array.from({ length: cols }, () => gen.normal());
        const ux = new Float64Array(cols);
        im2colKernel(x, 0, g, ux, 0);
        const vy = new Float64Array(image);
        col2imKernel(y, 0, g, vy, 0);
        let lhs = 0;
        let rhs = 0;
        for (let i = 0; i < cols; i++) lhs += ux[i]! * y[i]!;
        for (let i = 0; i < image; i++) rhs += x[i]! * vy[i]!;
        expect(Math.abs(lhs - rhs)).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(lhs)));
      }),
      { numRuns: 100 },
    );
  });
});

describe('indexAdd (scatter-sum)', () => {
  // Sizes reach past the 512-element threshold where the wasm backend's SIMD scatter takes over.
  for (const [name, fast] of [['float32 JS loop', indexAddFast], ['wasm SIMD scatter', indexAddWasm]] as const) {
    it(`the ${name} equals the reference bit for bit (same float32 additions, same order), with repeated indices`, () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 200 }), fc.integer({ min: 1, max: 21 }), fc.integer({ min: 1, max: 30 }), fc.nat(), (outer, k, inner, size, seed) => {
          const gen = new Generator(seed);
          const src = f32(gen, outer * k * inner);
          const index = Int32Array.from({ length: k }, () => gen.randint(0, size));
          const base = f32(gen, outer * size * inner);
          const a = base.slice();
          const b = base.slice();
          indexAddKernel(src, outer, k, inner, index, size, a);
          fast(src, outer, k, inner, index, size, b);
          expect(Array.from(b)).toEqual(Array.from(a));
        }),
      );
    });
  }

  it('backends: reference keeps the plain loops, js the float32 ones, wasm its SIMD scatter', () => {
    expect(referenceBackend.im2col).toBe(im2colKernel);
    expect(jsBackend.col2im).toBe(col2imFast);
    expect(wasmBackend.indexAdd).toBe(indexAddWasm);
  });
});
