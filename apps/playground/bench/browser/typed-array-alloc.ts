/**
 * How long fresh (zero-filled) Float32Arrays of a training step's sizes take
 * to allocate in Node.js and in Chromium: dl allocates every op's output, so
 * this is a floor under the per-step cost that differs between the two.
 *
 *   npx -y pnpm@12.4.2 --filter @dl/playground exec tsx bench/browser/typed-array-alloc.ts
 */
import { launchChromium } from '../../test/e2e/browser.js';

// One MLP 784-256-10 step's array sizes at batch 64: inputs, W1 (and its
// gradient), hidden activations, a bias, logits.
function allocate(): number {
  const sizes = [64 * 784, 784 * 256, 64 * 256, 256, 64 * 10];
  let sink = 0;
  const t0 = performance.now();
  for (let i = 0; i < 2000; i++) {
    for (const n of sizes) {
      const a = new Float32Array(n);
      a[0] = i;
      sink += a[n - 1]!;
    }
  }
  if (sink !== 0) throw new Error('unreachable: fresh arrays are zero');
  return performance.now() - t0;
}

const best = (runs: number[]): number => Math.min(...runs);
const node = best([allocate(), allocate(), allocate()]);
const browser = await launchChromium();
const page = await browser.newPage();
await page.goto('about:blank');
const chromium = best([await page.evaluate(allocate), await page.evaluate(allocate), await page.evaluate(allocate)]);
await browser.close();
const bytes = 2000 * (64 * 784 + 784 * 256 + 64 * 256 + 256 + 64 * 10) * 4;
console.log(`10,000 Float32Array allocations (${(bytes / 1e9).toFixed(2)} GB in all), best of 3:`);
console.log(`| runtime | ms | GB/s |\n|---|---|---|`);
console.log(`| Node ${process.version} | ${node.toFixed(0)} | ${(bytes / 1e6 / node).toFixed(1)} |`);
console.log(`| Chromium ${browser.version()} | ${chromium.toFixed(0)} | ${(bytes / 1e6 / chromium).toFixed(1)} |`);
console.log(`Chromium / Node time: ${(chromium / node).toFixed(2)}×`);
