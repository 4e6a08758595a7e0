import { performance } from 'node:perf_hooks';
import { Generator, Linear, ReLU, Sequential, crossEntropy, noGrad, rand, randint, wasmThreadsReady, setNumThreads } from '@dl/tensor';
import { backward } from '@dl/autograd';
setNumThreads(Number(process.argv[2] ?? 2));
await wasmThreadsReady();
const g = new Generator(0);
const model = new Sequential(new Linear(784, 256, { generator: g }), new ReLU(), new Linear(256, 10, { generator: g }));
const x = rand([64, 784], { generator: g });
const y = randint(0, 10, [64], { generator: g });
const step = () => {
  const loss = crossEntropy(model.forward(x), y);
  model.zeroGrad();
  backward(loss);
  noGrad(() => { for (const p of model.parameters()) p.addInPlace_(p.grad!, -0.1); });
  loss.item();
};
for (let i = 0; i < 50; i++) step();
let steps = 0; const t0 = performance.now();
while (performance.now() - t0 < 4000) { step(); steps++; }
console.log('samples/s', Math.round(steps * 64 / ((performance.now() - t0) / 1000)), 'ms/step', ((performance.now() - t0) / steps).toFixed(3));
