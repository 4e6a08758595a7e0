import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DTypeError,
  ValueError,
  abs,
  ceil,
  clip,
  cos,
  elu,
  erf,
  exp,
  expm1,
  floor,
  gelu,
  identity,
  leakyRelu,
  log,
  log1p,
  neg,
  reciprocal,
  relu,
  round,
  rsqrt,
  sigmoid,
  sign,
  sin,
  softplus,
  sqrt,
  square,
  tanh,
  tensor,
} from '../../src/index.js';
import { expectClose, expectExact, f64, i32 } from '../helpers.js';

const xs = [-3.5, -1, -0.5, 0, 0.3, 1, 2.5, 4];

describe('elementary functions', () => {
  it('match Math on float64', () => {
    const x = f64(xs);
    expectExact(exp(x), xs.map(Math.exp));
    expectExact(sin(x), xs.map(Math.sin));
    expectExact(cos(x), xs.map(Math.cos));
    expectExact(tanh(x), xs.map(Math.tanh));
    expectExact(square(x), xs.map((v) => v * v));
    expectExact(neg(x), xs.map((v) => -v));
    expectExact(abs(x), xs.map(Math.abs));
    expectExact(identity(x), xs);
    const pos = f64([0.25, 1, 4, 9]);
    expectExact(sqrt(pos), [0.5, 1, 2, 3]);
    expectExact(rsqrt(pos), [2, 1, 0.5, 1 / 3]);
    expectExact(log(pos), [0.25, 1, 4, 9].map(Math.log));
    expectExact(reciprocal(pos), [4, 1, 0.25, 1 / 9]);
  });

  it('log1p / expm1 keep precision for tiny arguments', () => {
    const tiny = f64([1e-17, -1e-12]);
    expectExact(log1p(tiny), [1e-17, Math.log1p(-1e-12)]);
    expectExact(expm1(tiny), [1e-17, Math.expm1(-1e-12)]);
  });

  it('follow IEEE at the edges of their domains', () => {
    expectExact(log(f64([0, -1, Infinity])), [-Infinity, Number.NaN, Infinity]);
    expectExact(sqrt(f64([-1, 0, Infinity])), [Number.NaN, 0, Infinity]);
    expectExact(reciprocal(f64([0, -0])), [Infinity, -Infinity]);
    expectExact(exp(f64([-Infinity, 1000])), [0, Infinity]);
  });

  it('keep float32 storage for float32 input', () => {
    const y = exp(tensor([1, 2]));
    expect(y.dtype).toBe('float32');
    expectExact(y, [Math.fround(Math.E), Math.fround(Math.exp(2))]);
  });
});

describe('sign, floor, ceil, round', () => {
  it('sign gives −1, 0, 1 and keeps NaN', () => {
    expectExact(sign(f64([-2, -0, 0, 3, Number.NaN])), [-1, 0, 0, 1, Number.NaN]);
    expectExact(sign(i32([-5, 0, 5])), [-1, 0, 1], 'int32');
  });

  it('round halves to even, like torch.round and NumPy', () => {
    expectExact(round(f64([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4999, 2.5001])), [0, 2, 2, -0, -2, -2, 2, 3]);
    expectExact(floor(f64([-1.5, 1.5, 2])), [-2, 1, 2]);
    expectExact(ceil(f64([-1.5, 1.5, 2])), [-1, 2, 2]);
    expectExact(floor(i32([3, -3])), [3, -3], 'int32');
  });
});

describe('activations', () => {
  it('relu zeroes negatives and keeps NaN', () => {
    expectExact(relu(f64([-2, -0, 0, 3, Number.NaN])), [0, 0, 0, 3, Number.NaN]);
  });

  it('sigmoid is exact in both tails (values from torch.sigmoid, float64)', () => {
    expectClose(
      sigmoid(f64([-800, -20, -1, 0, 1, 20, 800])),
      [0, 2.0611536181902037e-9, 0.2689414213699951, 0.5, 0.7310585786300049, 0.9999999979388463, 1],
      0,
      1e-15,
    );
    expectExact(sigmoid(tensor([-1000, 1000])), [0, 1]);
  });

  it('softplus neither overflows nor loses the small tail (torch.nn.functional.softplus)', () => {
    expectClose(
      softplus(f64([-800, -20, -1, 0, 1, 20, 800])),
      [0, 2.061153620314381e-9, 0.31326168751822286, 0.6931471805599453, 1.3132616875182228, 20.000000002061153, 800],
      0,
      1e-15,
    );
  });

  it('erf matches math.erf to double precision, on both sides of the series/continued-fraction switch', () => {
    expectClose(
      erf(f64(xs)),
      [-0.9999992569016276, -0.8427007929497149, -0.5204998778130465, 0, 0.3286267594591274, 0.8427007929497149, 0.999593047982555, 0.9999999845827421],
      1e-16,
      2e-15,
    );
    expectClose(erf(f64([2.9, 3.0, 3.1, 5, 6, 30, -30])), [0.9999589021219005, 0.9999779095030014, 0.9999883513426328, 0.9999999999984626, 1, 1, -1], 1e-16, 2e-15);
    expectExact(erf(f64([Number.NaN, Infinity, -Infinity])), [Number.NaN, 1, -1]);
  });

  // Reference values from mpmath at 40 digits. GELU is compared in absolute
  // terms scaled by |x|: for x < 0, 1 + erf(x/√2) cancels (as in PyTorch's own
  // formula), so the result carries erf's absolute error (a few ulp of 1)
  // times |x|/2, and a relative measure would mostly test that cancellation.
  // In the far negative tail GELU is ½x·erfc(−x/√2), computed without the
  // 1 + erf cancellation, so it keeps full relative precision (values from
  // Python's math.erfc).
  it('gelu keeps relative precision deep in the negative tail', () => {
    const got = gelu(f64([-7, -10, -20])).data;
    const want = [-8.958687807200846e-12, -7.619853024160593e-23, -5.507248237212663e-88];
    want.forEach((w, i) => expect(Math.abs(got[i]! - w) / Math.abs(w)).toBeLessThan(1e-12));
  });

  it('gelu: exact and tanh forms match 40-digit values to a few ulp of |x|', () => {
    const exact = [-0.0008142017766243376, -0.15865525393145705, -0.15426876936299344, 0, 0.1853734266566858, 0.8413447460685429, 2.4844758366855597, 3.9998733150326675];
    const approx = [-0.0006161976553736633, -0.1588080093917233, -0.15428599017485609, 0, 0.18537092354275925, 0.8411919906082767, 2.484915733910001, 3.9999297540518075];
    const ulp = 2 ** -52;
    const check = (got: ArrayLike<number>, want: number[]): void => {
      want.forEach((w, i) => {
        const tol = 8 * ulp * Math.max(Math.abs(xs[i]!), 1e-300);
        if (!(Math.abs(got[i]! - w) <= tol)) throw new Error(`gelu(${xs[i]}) = ${got[i]}, want ${w} ± ${tol}`);
      });
    };
    check(gelu(f64(xs)).data, exact);
    check(gelu(f64(xs), 'tanh').data, approx);
    expectClose(gelu(tensor(xs)), exact.map(Math.fround), 1e-7, 1e-6);
  });

  it('elu and leakyRelu use their parameter on the negative side', () => {
    expectClose(elu(f64(xs), 0.7), [-0.6788618316043771, -0.44248439117999033, -0.2754285382011566, 0, 0.3, 1, 2.5, 4], 0, 1e-15);
    expectExact(elu(f64([-1])), [Math.expm1(-1)]);
    expectExact(leakyRelu(f64([-2, 0, 3])), [-0.02, 0, 3]);
    expectExact(leakyRelu(f64([-2, 3]), 0.5), [-1, 3]);
  });

  it('clip limits to [min, max], with infinite bounds allowed', () => {
    expectExact(clip(f64([-2, 0.5, 3, Number.NaN]), 0, 1), [0, 0.5, 1, Number.NaN]);
    expectExact(clip(f64([-2, 5]), -Infinity, 1), [-2, 1]);
    expectExact(clip(i32([1, 5, 9]), 2, 6), [2, 5, 6], 'int32');
    expectExact(clip(f64([1, 2]), 1.5, 1.5), [1.5, 1.5]);
  });
});

describe('errors', () => {
  it('float-only functions refuse int and bool, naming op, dtype and shape', () => {
    expect(() => exp(i32([1, 2]))).toThrow(DTypeError);
    expect(() => exp(i32([1, 2]))).toThrow(/exp: input has dtype int32 \(shape \[2\]\); need float32 or float64/);
    expect(() => sigmoid(tensor([true]))).toThrow(/sigmoid: input has dtype bool/);
    expect(() => log(i32([[1]]))).toThrow(/log: .*\[1, 1\]/);
    expect(() => gelu(i32([1]))).toThrow(/gelu: input has dtype int32/);
    expect(() => relu(i32([1]))).toThrow(DTypeError);
  });

  it('negation of bool is refused (as in PyTorch: use logicalNot)', () => {
    expect(() => neg(tensor([true, false]))).toThrow(DTypeError);
    expect(() => neg(tensor([true, false]))).toThrow(/neg: input has dtype bool \(shape \[2\]\)/);
  });

  it('non-finite hyper-parameters are refused', () => {
    expect(() => leakyRelu(f64([1]), Number.NaN)).toThrow(ValueError);
    expect(() => leakyRelu(f64([1]), Number.NaN)).toThrow(/leakyRelu: negativeSlope must be a finite number, got NaN/);
    expect(() => leakyRelu(f64([1]), Infinity)).toThrow(/leakyRelu: negativeSlope must be a finite number, got Infinity/);
    expect(() => elu(f64([1]), Number.NaN)).toThrow(/elu: alpha must be a finite number, got NaN/);
    expect(() => clip(f64([1]), Number.NaN, 1)).toThrow(/clip: bounds must not be NaN, got min=NaN, max=1/);
    expect(() => clip(f64([1]), 2, 1)).toThrow(/clip: need min ≤ max, got min=2, max=1/);
    expect(() => gelu(f64([1]), 'erf' as never)).toThrow(/gelu: approximate must be 'none' or 'tanh', got 'erf'/);
  });
});

describe("relu's gradient on float32", () => {
  // The long-array loop works on the bits (no branch); it must give exactly
  // what `x > 0 ? g : 0` gives, for every float32 x and g, specials included.
  const specials = [0, -0, Number.NaN, Infinity, -Infinity, 1.4e-45, -1.4e-45, 3.4e38, -3.4e38];
  it('equals x > 0 ? g : 0 bit for bit, short and long arrays, with NaN, ±0, ±∞ and subnormals', () => {
    const f32 = fc.float({ noDefaultInfinity: false, noNaN: false });
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.oneof(f32, fc.constantFrom(...specials)), f32), { minLength: 1, maxLength: 300 }), (pairs) => {
        const x = tensor(pairs.map(([v]) => v), { dtype: 'float32', requiresGrad: true });
        const g = tensor(pairs.map(([, v]) => v), { dtype: 'float32' });
        const [gx] = relu(x).gradNode!.backward([g], false);
        const want = new Float32Array(pairs.length);
        for (let i = 0; i < want.length; i++) want[i] = x.data[i]! > 0 ? g.data[i]! : 0;
        expect(new Uint32Array(gx!.data.buffer, gx!.data.byteOffset, want.length)).toEqual(new Uint32Array(want.buffer));
      }),
      { numRuns: 200 },
    );
  });
});
