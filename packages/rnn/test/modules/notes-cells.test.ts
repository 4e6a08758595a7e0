import { backward, gradcheck, gradgradcheck } from '@dl/autograd';
import { Generator, type Module, type Tensor, mul, noGrad, randn, sum } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { JordanRNN, LSTM, SimpleGRU } from '../../src/index.js';

// The cells PyTorch lacks: gradcheck and gradgradcheck (float64) in the inputs
// and initial state, and central differences in every parameter.

const g = new Generator(5);
const r = (shape: number[]): Tensor => randn(shape, { generator: g, dtype: 'float64' }).requiresGrad_(true);

/** ∂loss/∂p from backward against central differences on every element of every parameter. */
function checkParameterGradients(m: Module<never[], unknown>, loss: () => Tensor): void {
  m.zeroGrad();
  backward(loss());
  for (const [name, p] of m.namedParameters()) {
    const data = p.data as Float64Array;
    const analytic = Float64Array.from(p.grad!.data as Float64Array);
    for (let i = 0; i < data.length; i++) {
      const v = data[i]!;
      const eps = 1e-6;
      data[i] = v + eps;
      const up = noGrad(() => loss().item());
      data[i] = v - eps;
      const down = noGrad(() => loss().item());
      data[i] = v;
      const numeric = (up - down) / (2 * eps);
      expect(Math.abs(numeric - analytic[i]!), `${name}[${i}]: numeric ${numeric}, analytic ${analytic[i]}`).toBeLessThan(1e-6 + 1e-4 * Math.abs(numeric));
    }
  }
}

const cases: { name: string; make: () => { m: Module<never[], unknown>; f: (x: Tensor, s: Tensor, ...rest: Tensor[]) => Tensor[]; extra: number } }[] = [
  {
    name: 'JordanRNN (tanh, output fed back)',
    make: () => {
      const m = new JordanRNN(3, 4, 2, { dtype: 'float64', generator: new Generator(1) });
      return { m: m as never, f: (x, y0) => { const o = m.forward(x, y0); return [o.output, o.h]; }, extra: 2 };
    },
  },
  {
    name: 'SimpleGRU (one update gate), 2 layers, bidirectional',
    make: () => {
      const m = new SimpleGRU(3, 2, { numLayers: 2, bidirectional: true, dtype: 'float64', generator: new Generator(2) });
      return { m: m as never, f: (x, h0) => { const o = m.forward(x, h0); return [o.output, o.h]; }, extra: 2 };
    },
  },
  {
    name: 'LSTM with peepholes, bidirectional',
    make: () => {
      const m = new LSTM(3, 2, { peephole: true, bidirectional: true, dtype: 'float64', generator: new Generator(3) });
      return { m: m as never, f: (x, h0, c0) => { const o = m.forward(x, { h: h0, c: c0! }); return [o.output, o.h, o.c]; }, extra: 2 };
    },
  },
];

describe('the cells PyTorch lacks (float64)', () => {
  for (const c of cases) {
    it(`${c.name}: gradcheck and gradgradcheck in the input and state`, { timeout: 60_000 }, () => {
      const { m, f } = c.make();
      const T = 3;
      const B = 2;
      const inputs = c.name.startsWith('Jordan')
        ? [r([T, B, 3]), r([B, 2])]
        : c.name.startsWith('LSTM')
          ? [r([T, B, 3]), r([2, B, 2]), r([2, B, 2])]
          : [r([T, B, 3]), r([4, B, 2])];
      expect(gradcheck(f as never, inputs)).toBe(true);
      expect(gradgradcheck(f as never, inputs)).toBe(true);
      void m;
    });

    it(`${c.name}: every parameter's gradient against central differences, with lengths`, { timeout: 60_000 }, () => {
      const { m } = c.make();
      const x = randn([4, 2, 3], { generator: new Generator(9), dtype: 'float64' });
      const w = randn([4, 2, (m as unknown as { bidirectional?: boolean }).bidirectional ? 4 : 2], { generator: new Generator(10), dtype: 'float64' });
      const out = (): Tensor => (m as unknown as { forward(x: Tensor, s: null, o: object): { output: Tensor } }).forward(x, null, { lengths: [4, 2] }).output;
      checkParameterGradients(m, () => sum(mul(out(), w)));
    });
  }
});
