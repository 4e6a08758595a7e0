import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Generator, referenceBackend, wasmBackend } from '../../../src/index.js';
import { type UnaryCode, unaryFn } from '../../../src/kernels/elementwise-loops.generated.js';
import { SIMD_UNARY, SIMD_UNARY_MIN, unaryWasm } from '../../../src/kernels/wasm/elementwise-wasm.js';
import { wasmCall } from '../../../src/kernels/wasm/runtime.js';

// The SIMD128 transcendental functions of assembly/lib/math.ts against the
// reference: the double-precision function rounded to float32. The bound of
// each, in ulps (float32 values between result and reference), is the one
// its comment in lib/math.ts states: the largest error bench/math-accuracy.ts
// found over every float32 where the function varies and every 13th bit
// pattern elsewhere (exp 1, log 1, sigmoid 2, tanh 1, gelu 5, geluTanh 4,
// erf 1). NaN must give NaN exactly where the reference does, and a zero
// result must carry the reference's sign.
const BOUND: Partial<Record<UnaryCode, number>> = { exp: 1, log: 1, sigmoid: 2, tanh: 1, gelu: 5, geluTanh: 4, erf: 1 };
const CODES = Object.keys(BOUND) as UnaryCode[];

const i32 = new Int32Array(1);
const f32 = new Float32Array(i32.buffer);
/** Position on the float32 number line: neighbours differ by 1, ±0 are both 0. */
function ordinal(v: number): number {
  f32[0] = v;
  const b = i32[0]!;
  return b < 0 ? -(b & 0x7fffffff) : b;
}

/** The SIMD kernel alone (no size threshold), over `x`. */
function simd(code: UnaryCode, x: Float32Array): Float32Array {
  const out = new Float32Array(x.length);
  const call = wasmCall();
  const px = call.input(x);
  const po = call.scratch(Math.max(x.length, 1) * 4);
  call.exports.unaryF32(SIMD_UNARY[code]!, px, po, x.length);
  call.read(po, out);
  return out;
}

/** Throws at the first element outside the bound, naming it. */
function checkWithin(code: UnaryCode, x: Float32Array, got: Float32Array): void {
  const f = unaryFn(code, 0, 0);
  const bound = BOUND[code]!;
  for (let i = 0; i < x.length; i++) {
    const want = Math.fround(f(x[i]!));
    const g = got[i]!;
    const ok = Number.isNaN(want)
      ? Number.isNaN(g)
      : !Number.isNaN(g) && Math.abs(ordinal(g) - ordinal(want)) <= bound && (want !== 0 || Object.is(g, want) || g !== 0);
    if (!ok) throw new Error(`${code}(${x[i]}) = ${g}, reference ${want}: more than ${bound} ulp apart (or NaN / signed zero differs)`);
  }
}

const MAX = 3.4028234663852886e38;
// Every special value, the subnormal range, and both sides of each branch
// point and saturation threshold of the approximations.
const EDGES = [
  0, -0, Infinity, -Infinity, Number.NaN, 1.401298464324817e-45, -1.401298464324817e-45, 1e-40, -1e-40, 1.1754942106924411e-38,
  1.1754943508222875e-38, -1.1754943508222875e-38, MAX, -MAX, 1, -1, 0.5, -0.5, 2, -2,
  // exp: overflow at 88.72, last normal result at −87.34, last subnormal at −103.97
  88.72283172607422, 88.72284, 89, -87.33654, -87.34, -103.27893, -103.97, -103.98, -104, -150,
  // tanh's switch at |x| = 0.625 and saturation near 9.01; sigmoid's near 16.6 and −87/−103
  0.625, 0.62499994, -0.625, 9.01, 9.02, -9.02, 16.6, 17, -16.6, -88, -103.9, -110,
  // erf's switch at |x| = 1, saturation at 3.92; gelu's switch at |x/√2| = ½, clamp at 14.85
  0.99999994, 1.0000001, 3.9, 3.92, 3.93, -3.93, 0.70710677, 0.7071068, -0.70710677, -0.7071068,
  -13, -14.3, -14.35, -14.85, -14.9, -15, 14.85, 15, -6, -10, -1e13, 1e13, 7e12, -7e12,
  // log near 1 (cancellation) and around its √½ mantissa switch
  1.0000001, 0.99999994, 0.70710677, 0.7071068, 1.4142135, 1.4142137, 1e-30, 1e30,
];

describe('SIMD128 transcendental functions stay within their stated ulp bounds of the reference', () => {
  it('on every special value, subnormals and each branch and saturation threshold', () => {
    const x = Float32Array.from(EDGES);
    for (const code of CODES) checkWithin(code, x, simd(code, x));
  });

  it('on random float32 bit patterns (any magnitude, subnormals, NaN payloads)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...CODES), fc.nat(), (code, seed) => {
        const g = new Generator(seed);
        const bits = Int32Array.from({ length: 2003 }, () => g.nextUint32() | 0);
        const x = new Float32Array(bits.buffer);
        checkWithin(code, x, simd(code, x));
      }),
      { numRuns: 60 },
    );
  }, 60_000);

  it('on random values where each function varies (|x| ≤ 20, and ≤ 110 for exp and sigmoid)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...CODES), fc.nat(), fc.boolean(), (code, seed, wide) => {
        const g = new Generator(seed);
        const scale = wide && (code === 'exp' || code === 'sigmoid') ? 110 : code === 'log' ? 4 : 20;
        const x = Float32Array.from({ length: 1001 }, () => (code === 'log' ? g.random() * scale : (g.random() * 2 - 1) * scale));
        checkWithin(code, x, simd(code, x));
      }),
      { numRuns: 100 },
    );
  }, 60_000);

  it('log near 1, where its result is small and only relative accuracy counts', () => {
    const g = new Generator(11);
    const x = Float32Array.from({ length: 4000 }, () => 1 + (g.random() - 0.5) * 2 ** -(g.randint(1, 24)));
    checkWithin('log', x, simd('log', x));
  });

  it('gives every element the same function whatever its position (the 1–3 after the last full vector too)', () => {
    const g = new Generator(7);
    for (const code of CODES) {
      const x = Float32Array.from({ length: 67 }, () => (g.random() - 0.5) * 30);
      const whole = simd(code, x);
      for (let start = 0; start < 4; start++) {
        const part = simd(code, x.subarray(start, start + 7));
        expect(Array.from(part)).toEqual(Array.from(whole.subarray(start, start + 7)));
      }
    }
  });
});

describe('the wasm backend routes these codes to SIMD for float32 above its size threshold', () => {
  it('runs the approximation from its measured size on, and the exact float32 JS loop below', () => {
    const g = new Generator(3);
    for (const code of CODES) {
      const min = SIMD_UNARY_MIN[code]!;
      expect(min).toBeGreaterThan(0);
      for (const n of [5, min - 1, min, 1000]) {
        const x = Float32Array.from({ length: n }, () => (g.random() - 0.5) * 12 + (code === 'log' ? 6 : 0));
        const got = new Float32Array(n);
        unaryWasm(code, x, got);
        checkWithin(code, x, got);
        const ref = new Float32Array(n);
        referenceBackend.unary(code, x, ref);
        if (n < min) expect(Array.from(got)).toEqual(Array.from(ref));
        else expect(Array.from(got)).toEqual(Array.from(simd(code, x)));
      }
    }
    expect(wasmBackend.unary).toBe(unaryWasm);
  });

  it('leaves float64 to the exact JS loops', () => {
    const x = Float64Array.from({ length: 300 }, (_, i) => i / 37 - 4);
    for (const code of CODES) {
      const got = new Float64Array(300);
      const ref = new Float64Array(300);
      unaryWasm(code, x, got);
      referenceBackend.unary(code, x, ref);
      expect(Array.from(got)).toEqual(Array.from(ref));
    }
  });
});
