/**
 * Why attention's weights go through the core's fused `maskedSoftmax`: the
 * anchor's score tensor `[32, 4, 64, 64]` (batch, heads, queries, keys) with a
 * causal mask, forward and backward, fused (scale + mask + softmax in one op)
 * against the same computed with separate ops (mul by the scale, add a −∞
 * mask, softmax). Median of 15 after 3 warm-ups.
 *
 *   npx tsx --conditions=@dl/source bench/fused-softmax.ts
 */
import { performance } from 'node:perf_hooks';
import { backward } from '@dl/autograd';
import { Generator, add, getNumThreads, maskedSoftmax, mul, randn, softmax, sum, wasmThreadsReady } from '@dl/tensor';
import { causalMask, toAdditiveMask } from '../src/index.js';

await wasmThreadsReady();
const x = randn([32, 4, 64, 64], { generator: new Generator(0) }).requiresGrad_(true);
const g = randn([32, 4, 64, 64], { generator: new Generator(1) });
const keep = causalMask(64);
const additive = toAdditiveMask(keep);
const scale = 1 / Math.sqrt(32);

const variants: [string, () => unknown][] = [
  ['fused maskedSoftmax (scale, keep mask)', () => maskedSoftmax(x, { scale, keep })],
  ['separate ops: mul, add mask, softmax', () => softmax(add(mul(x, scale), additive), -1)],
];

function time(f: () => unknown, withBackward: boolean): number {
  const t0 = performance.now();
  const y = f() as Parameters<typeof mul>[0] & { data: unknown };
  if (withBackward) backward(sum(mul(y, g)));
  void y.data;
  return performance.now() - t0;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
console.log(`scores [32, 4, 64, 64], causal mask, ${getNumThreads()} threads; ms, median of 15\n`);
console.log('| variant | forward | forward + backward |');
console.log('|---|---|---|');
for (const [name, f] of variants) {
  const fw: number[] = [];
  const fb: number[] = [];
  for (let i = 0; i < 3; i++) (time(f, false), time(f, true));
  for (let i = 0; i < 15; i++) {
    fw.push(time(f, false));
    fb.push(time(f, true));
    x.grad = null;
  }
  console.log(`| ${name} | ${median(fw).toFixed(2)} | ${median(fb).toFixed(2)} |`);
}
