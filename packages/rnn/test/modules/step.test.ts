import { Generator, type Tensor, add, matmul, mul, randn, sigmoid, tanh } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { GRU, LSTM, RNN, SimpleGRU } from '../../src/index.js';

// `step` is the inspection path: run step by step, it must retrace `forward`
// exactly (the fused sequence ops) while handing out the gates they drop.

const close = (a: Tensor, b: Tensor, digits = 5): void => {
  expect(a.shape).toEqual(b.shape);
  const x = a.data as Float32Array;
  const y = b.data as Float32Array;
  for (let k = 0; k < x.length; k++) expect(x[k]!).toBeCloseTo(y[k]!, digits);
};

const at = (t: Tensor, i: number): Tensor => t.slice([[i, i + 1]]).reshape([t.shape[1]!, t.shape[2]!]);

describe('step: one layer, one time step, with its gates', () => {
  it('retraces a two-layer LSTM forward, with projection and peepholes too', () => {
    for (const options of [{}, { projSize: 3 }, { peephole: true }]) {
      const lstm = new LSTM(4, 5, { numLayers: 2, generator: new Generator(1), ...options });
      const xs = randn([6, 2, 4], { generator: new Generator(2) });
      const full = lstm.forward(xs);
      const states: ({ h: Tensor; c: Tensor | null } | null)[] = [null, null];
      for (let t = 0; t < 6; t++) {
        let x = at(xs, t);
        for (let l = 0; l < 2; l++) {
          const s = lstm.step(x, states[l]!, { layer: l });
          const { i, f, g, o } = s.gates;
          expect([i, f, g, o].map((v) => v!.shape)).toEqual([[2, 5], [2, 5], [2, 5], [2, 5]]);
          // The new cell state is made of the returned gates.
          const cPrev = states[l]?.c;
          if (cPrev) close(s.c!, add(mul(f!, cPrev), mul(i!, g!)));
          states[l] = { h: s.h, c: s.c };
          x = s.h;
        }
        close(x, at(full.output, t));
      }
      close(states[1]!.h, at(full.h, 1));
      close(states[1]!.c!, at(full.c, 1));
    }
  });

  it('retraces GRU, SimpleGRU and RNN (tanh, ReLU), and GRU gates follow PyTorch’s formula', () => {
    const layers = [new GRU(3, 4, { generator: new Generator(3) }), new SimpleGRU(3, 4, { generator: new Generator(4) }), new RNN(3, 4, { generator: new Generator(5) }), new RNN(3, 4, { nonlinearity: 'relu', generator: new Generator(6) })];
    const names = [['r', 'z', 'n'], ['z', 'n'], [], []];
    layers.forEach((layer, k) => {
      const xs = randn([5, 2, 3], { generator: new Generator(7) });
      const full = layer.forward(xs);
      let h: Tensor | null = null;
      for (let t = 0; t < 5; t++) {
        const s = layer.step(at(xs, t), h === null ? null : { h });
        expect(Object.keys(s.gates)).toEqual(names[k]);
        expect(s.c).toBeNull();
        h = s.h;
        close(h, at(full.output, t));
      }
    });
    // A GRU's r and z are sigmoids of both projections with both biases.
    const gru = layers[0] as GRU;
    const x = randn([1, 3], { generator: new Generator(8) });
    const sd = gru.stateDict();
    const gx = add(matmul(x, sd.get('weight_ih_l0')!, { transposeB: true }), sd.get('bias_ih_l0')!);
    const pre = add(gx, sd.get('bias_hh_l0')!); // h = 0: the recurrent product is its bias alone
    const r = sigmoid(pre.slice([[0, 1], [0, 4]]));
    close(gru.step(x).gates.r!, r);
    close(gru.step(x).gates.n!, tanh(add(gx.slice([[0, 1], [8, 12]]), mul(r, sd.get('bias_hh_l0')!.slice([[8, 12]])))));
  });

  it('runs the reverse direction of a bidirectional layer', () => {
    const lstm = new LSTM(3, 4, { bidirectional: true, generator: new Generator(9) });
    const xs = randn([4, 1, 3], { generator: new Generator(10) });
    const full = lstm.forward(xs);
    let state: { h: Tensor; c: Tensor | null } | null = null;
    for (let t = 3; t >= 0; t--) {
      const s = lstm.step(at(xs, t), state, { reverse: true });
      state = { h: s.h, c: s.c };
      close(s.h, at(full.output, t).slice([[0, 1], [4, 8]]));
    }
    close(state!.h, at(full.h, 1));
  });

  it('names what is wrong with its arguments', () => {
    const lstm = new LSTM(3, 4, { numLayers: 2 });
    expect(() => lstm.step(randn([1, 3]), null, { layer: 2 })).toThrow('LSTM.step: layer must be an integer in [0, 2), got 2');
    expect(() => lstm.step(randn([1, 4]))).toThrow('LSTM.step: x has shape [1, 4]; layer 0 needs [B, 3]');
    expect(() => lstm.step(randn([1, 4]), null, { layer: 1 })).not.toThrow();
    expect(() => lstm.step(randn([1, 3]), { h: randn([2, 4]) })).toThrow('LSTM.step: state.h has shape [2, 4]; need [1, 4]');
    expect(() => lstm.step(randn([1, 3]), null, { reverse: true })).toThrow('reverse: true needs a bidirectional layer');
    expect(() => lstm.step(randn([1, 3]), null, { layers: 1 } as never)).toThrow(/layers/);
  });
});
