import { Generator, randn, sum, mul } from '@dl/tensor';
import { backward } from '@dl/autograd';
import { LSTM, GRU } from '../src/index.js';
for (const Cls of [LSTM, GRU] as const) for (const bidirectional of [false, true]) {
  const m = new Cls(5, 4, { numLayers: 2, bidirectional, dtype: 'float64', generator: new Generator(1) });
  const x = randn([6, 3, 5], { dtype: 'float64', generator: new Generator(2), requiresGrad: true });
  const w = randn([6, 3, bidirectional ? 8 : 4], { dtype: 'float64', generator: new Generator(3) });
  const run = (opts: object) => { m.zeroGrad(); x.grad = null; const r = m.forward(x, null, opts); backward(sum(mul(r.output, w)).add(sum(r.h))); return [r.output, x.grad!, ...m.parameters().map(p => p.grad!)]; };
  const a = run({}); const b = run({ lengths: [6, 6, 6] });
  let maxd = 0; a.forEach((t, i) => { const u = b[i]!; for (let k = 0; k < t.size; k++) maxd = Math.max(maxd, Math.abs((t.data[k] as number) - (u.data[k] as number))); });
  console.log(Cls.name, bidirectional, 'max diff fused vs per-step', maxd);
}
