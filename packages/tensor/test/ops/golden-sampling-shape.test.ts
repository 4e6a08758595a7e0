import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Generator, Tensor, bernoulli, erf, exp, gelu, log, multinomial, repeat, sigmoid, tanh, tile, tril, triu, withBackend } from '../../src/index.js';

// PyTorch 1.13's results, written by tools/golden_sampling_shape.py (see its
// docstring for the layout): tril/triu/repeat/tile forward and gradients in
// float64 and float32, the activations that run in SIMD on float32 edges,
// and the draws torch determines for multinomial and bernoulli.

type Num = number | 'NaN' | 'Infinity' | '-Infinity' | '-0';
const dec = (v: Num): number => (v === 'NaN' ? Number.NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v === '-0' ? -0 : v);
interface Case {
  name: string;
  op: 'tril' | 'triu' | 'repeat' | 'tile';
  arg: number | number[];
  x: { shape: number[]; data: Num[] };
  r: Num[];
  float64: { output: { shape: number[]; data: Num[] }; grad: Num[] };
  float32: { output: { shape: number[]; data: Num[] }; grad: Num[] };
}
interface Fixture {
  shape: Case[];
  activations: Record<string, { float32: Num[]; float64: Num[]; exact: Num[] }> & { x: Num[] };
  sampling: {
    multinomial_one_hot: { probs: { shape: number[]; data: Num[] }; samples: number[]; with_replacement: number[] };
    multinomial_all_nonzero: { probs: { shape: number[]; data: Num[] }; sorted: number[] };
    bernoulli_0_1: { p: { shape: number[]; data: Num[] }; samples: number[] };
  };
}

const fixture = JSON.parse(readFileSync(new URL('../fixtures/golden-sampling-shape.json', import.meta.url), 'utf8')) as Fixture;

function run(c: Case, x: Tensor): Tensor {
  switch (c.op) {
    case 'tril':
      return tril(x, c.arg as number);
    case 'triu':
      return triu(x, c.arg as number);
    case 'repeat':
      return repeat(x, c.arg as number[]);
    case 'tile':
      return tile(x, c.arg as number[]);
  }
}

const make = (data: Num[], shape: number[], dtype: 'float32' | 'float64', requiresGrad = false): Tensor =>
  new Tensor(dtype === 'float32' ? Float32Array.from(data, dec) : Float64Array.from(data, dec), shape, { requiresGrad });

describe('tril, triu, repeat, tile against PyTorch', () => {
  // Forward values are copies: exact. Gradients of repeat/tile are sums of
  // the cotangent's copies, added in another order than torch's: within
  // 1e-12·(1 + |b|) in float64 and 1e-6·(1 + |b|) in float32 (b torch's value;
  // each sum here has at most 24 terms of size ≤ 3).
  for (const dtype of ['float64', 'float32'] as const) {
    for (const c of fixture.shape) {
      it(`${c.name} (${dtype})`, () => {
        const x = make(c.x.data, c.x.shape, dtype, true);
        const y = run(c, x);
        const want = c[dtype];
        expect([...y.shape]).toEqual(want.output.shape);
        expect(Array.from(y.data)).toEqual(want.output.data.map(dec));
        const g = y.gradNode!.backward([make(c.r, want.output.shape, dtype)], false)[0]!;
        const tol = dtype === 'float64' ? 1e-12 : 1e-6;
        want.grad.map(dec).forEach((b, i) => {
          if (!(Math.abs(g.data[i]! - b) <= tol * (1 + Math.abs(b)))) throw new Error(`${c.name} ${dtype}: grad[${i}] ${g.data[i]} vs torch ${b}`);
        });
      });
    }
  }
});

const i32 = new Int32Array(1);
const f32 = new Float32Array(i32.buffer);
function ordinal(v: number): number {
  f32[0] = v;
  const b = i32[0]!;
  return b < 0 ? -(b & 0x7fffffff) : b;
}
/** ulps between two float32 values (NaN only matches NaN: Infinity otherwise). */
function ulps(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  return Math.abs(ordinal(Math.fround(a)) - ordinal(Math.fround(b)));
}

const FUNCS: Record<string, { f: (x: Tensor) => Tensor; bound: number }> = {
  exp: { f: exp, bound: 1 },
  log: { f: log, bound: 1 },
  sigmoid: { f: sigmoid, bound: 2 },
  tanh: { f: tanh, bound: 1 },
  gelu: { f: (x) => gelu(x), bound: 5 },
  gelu_tanh: { f: (x) => gelu(x, 'tanh'), bound: 4 },
  erf: { f: erf, bound: 1 },
};

describe('float32 activations against PyTorch on edge inputs', () => {
  const xs = fixture.activations.x.map(dec);
  const x = new Tensor(Float32Array.from(xs), [xs.length]);

  // The SIMD forms (wasm backend, float32, ≥ 64 elements) are within their
  // stated ulp bounds of the exact value (50-digit mpmath, in the fixture)
  // rounded to float32; the exact JS forms within 1 ulp (a double-precision
  // function rounded once, then the fixture's double rounded again). Against
  // torch's own float32 results the triangle inequality must hold:
  // |ours − torch32| ≤ bound + |torch32 − exact| (all in ulps). Zeros carry
  // the exact value's sign.
  for (const [name, { f, bound }] of Object.entries(FUNCS)) {
    it(`${name}: within ${bound} ulp of the exact value (wasm), 1 ulp (js, reference); consistent with torch's float32`, () => {
      const exact = fixture.activations[name]!.exact.map(dec);
      const t32 = fixture.activations[name]!.float32.map(dec);
      for (const [backend, tol] of [['wasm', bound], ['js', 1], ['reference', 1]] as const) {
        const y = withBackend(backend, () => f(x));
        xs.forEach((v, i) => {
          const got = y.data[i]!;
          const want = Math.fround(exact[i]!);
          if (!(ulps(got, want) <= tol)) throw new Error(`${name}(${v}) on ${backend}: ${got} vs exact ${want} (${ulps(got, want)} ulp, bound ${tol})`);
          if (want === 0 && got === 0 && Object.is(want, -0) !== Object.is(got, -0)) throw new Error(`${name}(${v}) on ${backend}: zero of the wrong sign`);
          const own = ulps(t32[i]!, want);
          if (!(ulps(got, t32[i]!) <= tol + own)) throw new Error(`${name}(${v}) on ${backend}: ${got} vs torch float32 ${t32[i]}`);
        });
      }
    });
  }

  it("torch's own float32 gelu, tanh-gelu and sigmoid fall far outside those bounds in their tails, its float64 gelu too", () => {
    const worst = (name: string, key: 'float32' | 'float64'): number => {
      const exact = fixture.activations[name]!.exact.map(dec);
      return Math.max(...fixture.activations[name]![key].map(dec).map((v, i) => ulps(v, Math.fround(exact[i]!))));
    };
    // 1 + erf(x/√2) and 1 + tanh(u) cancel for x ≪ 0 (to 0 in float32 below
    // x ≈ −5.9, in float64 below −8.3); sigmoid flushes subnormal results to 0.
    expect(worst('gelu', 'float32')).toBeGreaterThan(1e6);
    expect(worst('gelu_tanh', 'float32')).toBeGreaterThan(1e6);
    expect(worst('gelu', 'float64')).toBeGreaterThan(1e6);
    expect(worst('sigmoid', 'float32')).toBeGreaterThan(20);
    // exp, log, tanh and erf: torch's float32 is within our bounds too.
    for (const name of ['exp', 'log', 'tanh', 'erf']) expect(worst(name, 'float32')).toBeLessThanOrEqual(FUNCS[name]!.bound);
  });
});

describe('sampling: the draws PyTorch determines', () => {
  const s = fixture.sampling;
  it('multinomial of one-hot rows gives the hot index, with and without replacement', () => {
    const probs = make(s.multinomial_one_hot.probs.data, s.multinomial_one_hot.probs.shape, 'float32');
    expect(Array.from(multinomial(probs, 1, { generator: new Generator(1) }).data)).toEqual(s.multinomial_one_hot.samples);
    expect(Array.from(multinomial(probs, 5, { replacement: true, generator: new Generator(1) }).data)).toEqual(s.multinomial_one_hot.with_replacement);
  });

  it('multinomial without replacement of every non-zero category draws exactly those', () => {
    const probs = make(s.multinomial_all_nonzero.probs.data, s.multinomial_all_nonzero.probs.shape, 'float32');
    for (let seed = 0; seed < 10; seed++) {
      const got = Array.from(multinomial(probs, 3, { generator: new Generator(seed) }).data).sort((a, b) => a - b);
      expect(got).toEqual(s.multinomial_all_nonzero.sorted);
    }
  });

  it('bernoulli of probabilities 0 and 1', () => {
    const p = make(s.bernoulli_0_1.p.data, s.bernoulli_0_1.p.shape, 'float32');
    expect(Array.from(bernoulli(p, { generator: new Generator(1) }).data)).toEqual(s.bernoulli_0_1.samples);
  });
});
