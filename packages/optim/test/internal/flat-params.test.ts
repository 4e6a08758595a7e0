// The flat float64 view of a parameter list that L-BFGS and Newton work in. Writes run
// under noGrad, as in the optimizers' step().
import { Parameter, noGrad, tensor } from '@dl/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addToParams, gatherFlatGrad, gatherFlatParams, numel, setParams } from '../../src/internal/flat-params.js';

/** Parameters of the given shapes (sizes 0 included) holding consecutive values from `start`. */
function paramsOf(shapes: number[][], start = 0): Parameter[] {
  let v = start;
  return shapes.map((shape) => {
    const n = shape.reduce((a, b) => a * b, 1);
    return new Parameter(tensor(Float64Array.from({ length: n }, () => (v += 1.5)), { shape }));
  });
}

const shapes = fc.array(fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 0, maxLength: 3 }), { minLength: 0, maxLength: 5 });

describe('flat parameters', () => {
  it('gather then set is the identity, and set then gather returns the vector (any shapes)', () => {
    fc.assert(
      fc.property(shapes, fc.double({ min: -1e6, max: 1e6, noNaN: true }), (ss, fillValue) => {
        const ps = paramsOf(ss);
        const before = ps.map((p) => Array.from(p.data));
        const flat = gatherFlatParams(ps);
        expect(flat.length).toBe(numel(ps));
        noGrad(() => setParams(ps, flat));
        expect(ps.map((p) => Array.from(p.data))).toEqual(before);
        const v = Float64Array.from(flat, (_, i) => fillValue - i);
        noGrad(() => setParams(ps, v));
        expect(Array.from(gatherFlatParams(ps))).toEqual(Array.from(v));
      }),
      { numRuns: 100, seed: 20240611 },
    );
  });

  it('addToParams(α, u) is gather + α·u, then set (any shapes)', () => {
    fc.assert(
      fc.property(shapes, fc.double({ min: -10, max: 10, noNaN: true }), (ss, alpha) => {
        const ps = paramsOf(ss);
        const flat = gatherFlatParams(ps);
        const u = Float64Array.from(flat, (_, i) => Math.sin(i));
        noGrad(() => addToParams(ps, alpha, u));
        expect(Array.from(gatherFlatParams(ps))).toEqual(Array.from(flat, (x, i) => x + alpha * u[i]!));
      }),
      { numRuns: 100, seed: 20240611 },
    );
  });

  it('gatherFlatGrad puts zeros where .grad is null and fills a given buffer', () => {
    const [a, b, c] = paramsOf([[2], [3], [1]]);
    a!.grad = tensor([1, 2], { dtype: 'float64' });
    c!.grad = tensor([5], { dtype: 'float64' });
    const out = new Float64Array(6).fill(Number.NaN);
    expect(gatherFlatGrad([a!, b!, c!], out)).toBe(out);
    expect(Array.from(out)).toEqual([1, 2, 0, 0, 0, 5]);
  });

  it('writes count as modifications (autograd sees the parameter changed)', () => {
    const [p] = paramsOf([[2]]);
    const v0 = p!.version;
    noGrad(() => {
      setParams([p!], Float64Array.from([1, 2]));
      addToParams([p!], 1, Float64Array.from([1, 1]));
    });
    expect(p!.version).toBe(v0 + 2);
  });
});
