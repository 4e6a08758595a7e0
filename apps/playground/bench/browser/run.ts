/**
 * Training throughput in Chromium: the MLP 784-256-10 MNIST step of
 * `bench:mlp`, run inside a Web Worker of a cross-origin isolated page, for
 * dl (1 and 2 threads) and TensorFlow.js layers (wasm with 1 and 2 threads,
 * cpu), one page load per trainer, in the same run. Prints a markdown table
 * of samples/s with ratios, then dl's matrix products alone in the browser
 * worker against the same code in this Node.js process, to tell the kernels'
 * share of any difference from the JavaScript around them.
 *
 *   npx -y pnpm@12.4.2 --filter @dl/playground bench:browser            # 400 timed batches each
 *   npx -y pnpm@12.4.2 --filter @dl/playground bench:browser -- --quick # 100
 */
import { resolve } from 'node:path';
import { setNumThreads, wasmThreadsReady } from '@dl/tensor';
import { build, preview } from 'vite';
import { launchChromium } from '../../test/e2e/browser.js';
import { type GemmRate, gemmRates } from './page/gemm-rates.js';
import type { BenchResult } from './page/protocol.js';

const quick = process.argv.includes('--quick');
const config = resolve(import.meta.dirname, 'vite.config.ts');
const trainers: Array<[string, string]> = [
  ['dl, 2 threads', 'lib=dl&threads=2'],
  ['dl, 1 thread', 'lib=dl&threads=1'],
  ['tfjs-layers wasm, 2 threads', 'lib=tfjs&backend=wasm&threads=2'],
  ['tfjs-layers wasm, 1 thread', 'lib=tfjs&backend=wasm&threads=1'],
  ['tfjs-layers cpu', 'lib=tfjs&backend=cpu'],
];

await build({ configFile: config });
const server = await preview({ configFile: config, preview: { port: 0, host: '127.0.0.1' } });
const base = server.resolvedUrls!.local[0]!;
const browser = await launchChromium();
const version = browser.version();
const rows: Array<{ name: string; rate: number; detail: string }> = [];
for (const [name, query] of trainers) {
  const page = await browser.newPage();
  await page.goto(`${base}?${query}&timed=${quick ? 100 : 400}`);
  await page.locator('#result[data-done]').waitFor({ timeout: 600_000 });
  const result = JSON.parse((await page.locator('#result').textContent()) ?? '') as BenchResult;
  await page.close();
  if (!result.ok) throw new Error(`${name}: ${result.error}`);
  rows.push({ name, rate: result.samplesPerSecond, detail: `${result.detail}; final loss ${result.finalLoss.toFixed(3)}` });
  console.log(`${name}: ${Math.round(result.samplesPerSecond).toLocaleString('en-US')} samples/s (${result.detail})`);
}
const browserGemm = new Map<number, GemmRate[]>();
for (const threads of [1, 2]) {
  const page = await browser.newPage();
  await page.goto(`${base}?lib=dl-gemm&threads=${threads}`);
  await page.locator('#result[data-done]').waitFor({ timeout: 600_000 });
  const result = JSON.parse((await page.locator('#result').textContent()) ?? '') as BenchResult;
  await page.close();
  if (!result.ok || !result.gemm) throw new Error(`dl-gemm, ${threads} thread(s): ${result.ok ? 'no rates' : result.error}`);
  browserGemm.set(threads, result.gemm);
}
await browser.close();
await server.close();

const dl = rows[0]!.rate;
console.log(`\nMLP 784-256-10 on real MNIST (10,000 images), batch 64, SGD — Chromium ${version}, cross-origin isolated, each trainer in a Web Worker\n`);
console.log('| trainer | samples/s | dl 2 threads / this | what ran |');
console.log('|---|---|---|---|');
for (const r of rows) console.log(`| ${r.name} | ${Math.round(r.rate).toLocaleString('en-US')} | ${(dl / r.rate).toFixed(2)}× | ${r.detail} |`);

const nodeGemm = new Map<number, GemmRate[]>();
for (const threads of [1, 2]) {
  setNumThreads(threads);
  await wasmThreadsReady();
  nodeGemm.set(threads, gemmRates());
}
console.log(`\ndl's matmul alone, GFLOP/s: Chromium worker against Node.js ${process.version} (this process), same run\n`);
console.log('| product | Chromium 1 thread | Node 1 thread | Chromium / Node | Chromium 2 threads | Node 2 threads | Chromium / Node |');
console.log('|---|---|---|---|---|---|---|');
browserGemm.get(1)!.forEach((b1, i) => {
  const n1 = nodeGemm.get(1)![i]!.gflops;
  const b2 = browserGemm.get(2)![i]!.gflops;
  const n2 = nodeGemm.get(2)![i]!.gflops;
  console.log(`| ${b1.shape} | ${b1.gflops.toFixed(1)} | ${n1.toFixed(1)} | ${(b1.gflops / n1).toFixed(2)} | ${b2.toFixed(1)} | ${n2.toFixed(1)} | ${(b2 / n2).toFixed(2)} |`);
});
process.exit(0);
