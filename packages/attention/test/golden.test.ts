import { backward } from '@dl/autograd';
import { type Module, type Tensor, mul, sum } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { MultiheadAttention, RnnPositionalEncoding, TransformerDecoderLayer, TransformerEncoderLayer } from '../src/index.js';
import { type TorchCase, expectClose, f64, maskOf, torchCases } from './helpers.js';

function build(c: TorchCase): Module<never[], unknown> {
  const [e, h = 1] = c.args as [number, number?];
  const options = { ...c.options, dtype: 'float64' as const };
  if (c.module === 'MultiheadAttention') return new MultiheadAttention(e, h, options) as unknown as Module<never[], unknown>;
  if (c.module === 'RnnPositionalEncoding') return new RnnPositionalEncoding(e, options) as unknown as Module<never[], unknown>;
  if (c.module === 'TransformerEncoderLayer') return new TransformerEncoderLayer(e, h, options) as unknown as Module<never[], unknown>;
  return new TransformerDecoderLayer(e, h, options) as unknown as Module<never[], unknown>;
}

/** Runs the case's forward on dl's layer: the output and (MHA) the weights. */
function run(c: TorchCase, m: Module<never[], unknown>, inputs: Record<string, Tensor>): { output: Tensor; weights: Tensor | null } {
  const fwd: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c.forward)) {
    if (k === 'self') continue;
    fwd[k] = typeof v === 'string' ? maskOf(c.masks[v]!) : v;
  }
  if (m instanceof MultiheadAttention) {
    const q = inputs.query!;
    const r = c.forward.self === true ? m.forward(q, q, q, fwd) : m.forward(q, inputs.key!, inputs.value!, fwd);
    return r;
  }
  if (m instanceof RnnPositionalEncoding) return { output: m.forward(inputs.x!), weights: null };
  if (m instanceof TransformerEncoderLayer) return { output: m.forward(inputs.src!, fwd), weights: null };
  return { output: (m as TransformerDecoderLayer).forward(inputs.tgt!, inputs.memory!, fwd), weights: null };
}

describe('golden fixtures from PyTorch (tools/golden_attention.py, float64)', () => {
  for (const c of torchCases()) {
    it(`${c.id}: state-dict keys, output${c.weights ? ', weights' : ''} and every gradient equal torch's`, () => {
      const m = build(c);
      m.eval();
      const ours = [...m.stateDict()].map(([k, v]) => [k, v.shape]);
      const theirs = Object.entries(c.stateDict).map(([k, v]) => [k, v.shape]);
      expect(ours).toEqual(theirs);
      expect(m.loadStateDict(new Map(Object.entries(c.stateDict).map(([k, v]) => [k, f64(v)])), { strict: true })).toEqual({ missingKeys: [], unexpectedKeys: [] });
      const inputs = Object.fromEntries(Object.entries(c.inputs).map(([k, v]) => [k, f64(v, true)]));
      const { output, weights } = run(c, m, inputs);
      expectClose(`${c.id} output`, output, c.output);
      if (c.weights) expectClose(`${c.id} weights`, weights!, c.weights);
      backward(sum(mul(output, f64(c.gradOutput))));
      const params = new Map(m.namedParameters());
      for (const [k, g] of Object.entries(c.grads)) expectClose(`${c.id} grad ${k}`, params.get(k)!.grad!, g, 1e-9);
      for (const [k, g] of Object.entries(c.inputGrads)) expectClose(`${c.id} grad of ${k}`, inputs[k]!.grad!, g, 1e-9);
    });
  }
});
