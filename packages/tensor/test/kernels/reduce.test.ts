import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Generator } from '../../src/index.js';
import { type ReduceCode, argReduceKernel, reduceKernel } from '../../src/kernels/reduce.js';
import { sizeOfShape, unravel } from '../helpers.js';



/** Groups every input element by its kept-dimension index, in input order. */
function naiveGroups(x: ArrayLike<number>, shape: readonly number[], axes: readonly number[]): number[][] {
  const kept = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const groups: number[][] = Array.from({ length: sizeOfShape(shape.filter((_, i) => !axes.includes(i))) }, () => []);
  for (let f = 0; f < x.length; f++) {
    const idx = unravel(f, shape);
    let o = 0;
    for (let d = 0; d < shape.length; d++) o = o * kept[d]! + (axes.includes(d) ? 0 : idx[d]!);
    groups[o]!.push(x[f]!);
  }
  return groups;
}

const shapeAndAxes = fc
  .array(fc.integer({ min: 0, max: 4 }), { minLength: 0, maxLength: 4 })
  .chain((shape) => fc.tuple(fc.constant(shape), fc.subarray([...shape.keys()]), fc.nat()));

describe('reduce kernel vs a naive reference', () => {
  it('sum / prod / max / min over random axes of random shapes', () => {
    fc.assert(
      fc.property(shapeAndAxes, fc.constantFrom<ReduceCode>('sum', 'prod', 'max', 'min'), ([shape, axes, seed], code) => {
        const g = new Generator(seed);
        const x = Float64Array.from({ length: sizeOfShape(shape) }, () => (g.random() < 0.03 ? Number.NaN : g.normal()));
        const groups = naiveGroups(x, shape, axes);
        if ((code === 'max' || code === 'min') && groups.some((grp) => grp.length === 0)) return; // the op refuses these
        const out = new Float64Array(groups.length);
        reduceKernel(code, x, shape, axes, out);
        groups.forEach((grp, o) => {
          let want: number;
          if (code === 'sum') want = grp.reduce((s, v) => s + v, 0);
          else if (code === 'prod') want = grp.reduce((s, v) => s * v, 1);
          else if (grp.some(Number.isNaN)) want = Number.NaN;
          else want = code === 'max' ? Math.max(...grp) : Math.min(...grp);
          const got = out[o]!;
          if (Number.isNaN(want)) {
            if (!Number.isNaN(got)) throw new Error(`${code} ${JSON.stringify({ shape, axes })} group ${o}: ${got}, want NaN`);
            return;
          }
          // Sums and products in double, in possibly different orders:
          // |Δ| ≤ 2n·2⁻⁵³·Σ|terms| (sum) or 2n·2⁻⁵³·|result| (prod). max/min are exact.
          const scale = code === 'sum' ? grp.reduce((s, v) => s + Math.abs(v), 0) : Math.abs(want);
          const tol = code === 'max' || code === 'min' ? 0 : 2 * (grp.length + 1) * 2 ** -53 * scale;
          if (!(Math.abs(got - want) <= tol)) throw new Error(`${code} ${JSON.stringify({ shape, axes })} group ${o}: ${got}, want ${want}`);
        });
      }),
      { numRuns: 400 },
    );
  });

  it('sums float32 input in double and writes int32 counts', () => {
    const out = new Float32Array(1);
    reduceKernel('sum', Float32Array.from([1e8, 1, -1e8]), [3], [0], out);
    expect(out[0]).toBe(1);
    const cols = new Float32Array(2);
    reduceKernel('sum', Float32Array.from([1e8, 1, 1, 1, -1e8, 1]), [3, 2], [0], cols);
    expect(Array.from(cols)).toEqual([1, 3]);
  });

  it('argmax / argmin along a random axis: the first extreme wins, the first NaN beats everything', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }).chain((shape) => fc.tuple(fc.constant(shape), fc.nat({ max: shape.length - 1 }), fc.nat())),
        fc.constantFrom<'max' | 'min'>('max', 'min'),
        ([shape, axis, seed], mode) => {
          const g = new Generator(seed);
          // Few distinct values: ties are the common case.
          const x = Float64Array.from({ length: sizeOfShape(shape) }, () => (g.random() < 0.05 ? Number.NaN : g.randint(0, 3)));
          const groups = naiveGroups(x, shape, [axis]);
          const out = new Int32Array(groups.length);
          argReduceKernel(mode, x, shape, axis, out);
          groups.forEach((grp, o) => {
            let best = 0;
            for (let j = 0; j < grp.length; j++) {
              if (Number.isNaN(grp[j]!)) {
                best = j;
                break;
              }
              if (mode === 'max' ? grp[j]! > grp[best]! : grp[j]! < grp[best]!) best = j;
            }
            expect(out[o]).toBe(best);
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});
