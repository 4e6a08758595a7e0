import { backward } from '@dl/autograd';
import { type Tensor, mul, sum } from '@dl/tensor';
import { describe, it } from 'vitest';
import { GRU, GRUCell, LSTM, LSTMCell, RNN, RNNCell } from '../../src/index.js';
import { expectClose, fromArr, loadFixtures, tolerance } from '../helpers.js';

const fx = loadFixtures();

function build(c: { module: string; args: [number, number]; options: Record<string, unknown>; dtype: 'float32' | 'float64' }) {
  const opts = { ...c.options, dtype: c.dtype };
  switch (c.module) {
    case 'RNN':
      return new RNN(c.args[0], c.args[1], opts);
    case 'GRU':
      return new GRU(c.args[0], c.args[1], opts);
    case 'LSTM':
      return new LSTM(c.args[0], c.args[1], opts);
    case 'RNNCell':
      return new RNNCell(c.args[0], c.args[1], opts);
    case 'GRUCell':
      return new GRUCell(c.args[0], c.args[1], opts);
    default:
      return new LSTMCell(c.args[0], c.args[1], opts);
  }
}

describe(`sequence layers against PyTorch ${fx.torch} (outputs, final states, every gradient)`, () => {
  for (const c of fx.layers) {
    it(`${c.id} (${c.dtype})`, { timeout: 60_000 }, () => {
      const m = build(c) as RNN | GRU | LSTM;
      const state = new Map(Object.entries(c.stateDict).map(([k, v]) => [k, fromArr(v, c.dtype)]));
      m.loadStateDict(state);
      const x = fromArr(c.x, c.dtype, true);
      const h0 = fromArr(c.h0, c.dtype, true);
      const c0 = c.c0 === null ? null : fromArr(c.c0, c.dtype, true);
      const opts = c.lengths === null ? {} : { lengths: c.lengths };
      let output: Tensor;
      let h: Tensor;
      let cn: Tensor | null = null;
      if (m instanceof LSTM) ({ output, h, c: cn } = m.forward(x, { h: h0, c: c0! }, opts));
      else ({ output, h } = m.forward(x, h0, opts));
      const tol = tolerance(c.dtype);
      expectClose(output, c.output, tol, 'output');
      expectClose(h, c.h, tol, 'h');
      if (cn !== null) expectClose(cn, c.c!, tol, 'c');
      let loss = sum(mul(output, fromArr(c.gradOutput, c.dtype))).add(sum(mul(h, fromArr(c.gradH, c.dtype))));
      if (cn !== null) loss = loss.add(sum(mul(cn, fromArr(c.gradC!, c.dtype))));
      backward(loss);
      expectClose(x.grad!, c.grads['x']!, tol, 'grad x');
      expectClose(h0.grad!, c.grads['h0']!, tol, 'grad h0');
      if (c0 !== null) expectClose(c0.grad!, c.grads['c0']!, tol, 'grad c0');
      for (const [k, p] of m.namedParameters()) expectClose(p.grad!, c.grads[k]!, tol, `grad ${k}`);
    });
  }
});

describe(`cells against PyTorch ${fx.torch}`, () => {
  for (const c of fx.cells) {
    it(`${c.id} (${c.dtype})`, { timeout: 60_000 }, () => {
      const m = build(c) as RNNCell | GRUCell | LSTMCell;
      m.loadStateDict(new Map(Object.entries(c.stateDict).map(([k, v]) => [k, fromArr(v, c.dtype)])));
      const x = fromArr(c.x, c.dtype, true);
      const h0 = fromArr(c.h0, c.dtype, true);
      const c0 = c.c0 === null ? null : fromArr(c.c0, c.dtype, true);
      const tol = tolerance(c.dtype);
      let loss: Tensor;
      if (m instanceof LSTMCell) {
        const r = m.forward(x, { h: h0, c: c0! });
        expectClose(r.h, c.h, tol, 'h');
        expectClose(r.c, c.c!, tol, 'c');
        loss = sum(mul(r.h, fromArr(c.gradH, c.dtype))).add(sum(mul(r.c, fromArr(c.gradC!, c.dtype))));
      } else {
        const h = m.forward(x, h0);
        expectClose(h, c.h, tol, 'h');
        loss = sum(mul(h, fromArr(c.gradH, c.dtype)));
      }
      backward(loss);
      expectClose(x.grad!, c.grads['x']!, tol, 'grad x');
      expectClose(h0.grad!, c.grads['h0']!, tol, 'grad h0');
      if (c0 !== null) expectClose(c0.grad!, c.grads['c0']!, tol, 'grad c0');
      for (const [k, p] of m.namedParameters()) expectClose(p.grad!, c.grads[k]!, tol, `grad ${k}`);
    });
  }
});
