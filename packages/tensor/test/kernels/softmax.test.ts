import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Generator, jsBackend, referenceBackend, wasmBackend } from '../../src/index.js';
import { softmaxFast, softmaxKernel } from '../../src/kernels/softmax.js';
import { softmaxWasm } from '../../src/kernels/wasm/elementwise-wasm.js';

describe('softmax kernel', () => {
  it('the float32 loop equals the generic loop bit for bit, along any axis, with -Infinity lanes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 5 }), fc.boolean(), fc.nat(), (outer, len, inner, log, seed) => {
        const g = new Generator(seed);
        const x = Float32Array.from({ length: outer * len * inner }, () => (g.random() < 0.05 ? -Infinity : (g.random() - 0.5) * 20));
        const a = new Float32Array(x.length);
        const b = new Float32Array(x.length);
        softmaxKernel(x, outer, len, inner, log, a);
        softmaxFast(x, outer, len, inner, log, b);
        expect(Array.from(b)).toEqual(Array.from(a));
      }),
    );
  });

  it('rows sum to one, log-softmax is its log, and huge logits do not overflow', () => {
    const x = Float64Array.from([1000, 1001, 1002, -5, 0, 5]);
    const p = new Float64Array(6);
    const lp = new Float64Array(6);
    softmaxKernel(x, 2, 3, 1, false, p);
    softmaxKernel(x, 2, 3, 1, true, lp);
    expect(p[0]! + p[1]! + p[2]!).toBeCloseTo(1, 14);
    expect(p[3]! + p[4]! + p[5]!).toBeCloseTo(1, 14);
    for (let i = 0; i < 6; i++) expect(Math.log(p[i]!)).toBeCloseTo(lp[i]!, 12);
    expect(p[2]).toBeCloseTo(1 / (1 + Math.exp(-1) + Math.exp(-2)), 14);
  });

  it('backends: reference keeps the generic loop, js the float32 one, wasm its SIMD kernel', () => {
    expect(referenceBackend.softmax).toBe(softmaxKernel);
    expect(jsBackend.softmax).toBe(softmaxFast);
    expect(wasmBackend.softmax).toBe(softmaxWasm);
  });
});
