import { Generator, randint, noGrad } from '@dl/tensor';
import { backward } from '@dl/autograd';
import { RecurrentLM, sequenceLoss } from '../src/index.js';
const cell = (process.argv[2] ?? 'lstm') as 'lstm';
const g = new Generator(0);
const lm = new RecurrentLM({ vocabSize: 65, embeddingDim: 64, hiddenSize: 256, cell, generator: g });
const B = 32, T = 64;
const step = () => {
  const x = randint(0, 65, [B, T], { generator: g, dtype: 'int32' });
  const y = randint(0, 65, [B, T], { generator: g, dtype: 'int32' });
  lm.zeroGrad();
  const t0 = performance.now();
  const loss = sequenceLoss(lm.forward(x).logits, y);
  const t1 = performance.now();
  backward(loss);
  const t2 = performance.now();
  noGrad(() => { for (const p of lm.parameters()) p.addInPlace_(p.grad!, -0.01); });
  return [t1 - t0, performance.now() - t1];
};
for (let i = 0; i < 3; i++) step();
const n = 10; const t0 = performance.now(); let f = 0, b = 0;
for (let i = 0; i < n; i++) { const [a, c] = step(); f += a!; b += c!; }
const dt = (performance.now() - t0) / n;
console.log(`${cell}: ${dt.toFixed(1)} ms/step (fwd ${(f / n).toFixed(1)}, bwd+upd ${(b / n).toFixed(1)}), ${(B * T / dt * 1000).toFixed(0)} chars/s`);
