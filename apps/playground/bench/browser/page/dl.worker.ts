// dl's training step (or its matrix products alone), timed inside a module worker.
import { backward } from '@dl/autograd';
import { Generator, Tensor, crossEntropy, noGrad, setNumThreads, wasmInfo, wasmThreadsReady } from '@dl/tensor';
import { mlp } from '../../../src/mnist/model.js';
import { gemmRates } from './gemm-rates.js';
import { BATCH, type BenchRequest, type BenchResult, HIDDEN, LR, batchRows } from './protocol.js';

async function run(request: BenchRequest): Promise<BenchResult> {
  setNumThreads(request.trainer.threads);
  const threads = await wasmThreadsReady();
  if (request.trainer.lib === 'dl-gemm') return { ok: true, samplesPerSecond: 0, detail: `dl wasm ${wasmInfo().variant} SIMD, ${threads} thread(s)`, finalLoss: 0, gemm: gemmRates() };
  const model = mlp([784, HIDDEN, 10], new Generator(0));
  const count = request.labels.length;
  let last = 0;
  const step = (i: number): void => {
    const row = batchRows(count, i);
    const x = new Tensor(request.inputs.slice(row * 784, (row + BATCH) * 784), [BATCH, 784]);
    const y = new Tensor(request.labels.slice(row, row + BATCH), [BATCH]);
    const loss = crossEntropy(model.forward(x), y);
    model.zeroGrad();
    backward(loss);
    noGrad(() => {
      for (const p of model.parameters()) p.addInPlace_(p.grad!, -LR);
    });
    last = loss.item();
  };
  for (let i = 0; i < request.warmup; i++) step(i);
  const start = performance.now();
  for (let i = 0; i < request.timed; i++) step(request.warmup + i);
  const seconds = (performance.now() - start) / 1000;
  return { ok: true, samplesPerSecond: (request.timed * BATCH) / seconds, detail: `dl wasm ${wasmInfo().variant} SIMD, ${threads} thread(s)`, finalLoss: last };
}

self.onmessage = (event: MessageEvent<BenchRequest>) => {
  run(event.data).then(
    (result) => self.postMessage(result),
    (error: unknown) => self.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) } satisfies BenchResult),
  );
};
