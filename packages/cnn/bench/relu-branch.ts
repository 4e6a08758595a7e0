/**
 * Why ReLU's backward shows in the LeNet profile: the core's float32 loop
 * `out[i] = x[i] > 0 ? g[i] : 0` compiles to a branch, and on activations
 * whose signs look random the branch mispredicts. The same loop, branch-free,
 * on LeNet's largest activation (conv 1's output at batch 64: 301,056
 * values), with random signs and with all-positive inputs.
 *
 *   npx tsx bench/relu-branch.ts
 */
import { performance } from 'node:perf_hooks';

const n = 64 * 6 * 28 * 28;
const g = Float32Array.from({ length: n }, () => Math.random());
const random = Float32Array.from({ length: n }, () => Math.random() - 0.5);
const positive = Float32Array.from({ length: n }, () => Math.random() + 0.1);
const out = new Float32Array(n);

function branch(g: Float32Array, x: Float32Array, out: Float32Array): void {
  for (let i = 0; i < out.length; i++) out[i] = x[i]! > 0 ? g[i]! : 0;
}

// Not a drop-in replacement: g = ±Infinity at x ≤ 0 gives NaN here, 0 above.
function branchFree(g: Float32Array, x: Float32Array, out: Float32Array): void {
  for (let i = 0; i < out.length; i++) out[i] = g[i]! * Number(x[i]! > 0);
}

function ms(f: typeof branch, x: Float32Array): number {
  for (let i = 0; i < 20; i++) f(g, x, out);
  const times: number[] = [];
  for (let r = 0; r < 7; r++) {
    const t = performance.now();
    for (let i = 0; i < 50; i++) f(g, x, out);
    times.push((performance.now() - t) / 50);
  }
  return times.sort((a, b) => a - b)[3]!;
}

console.log(`ReLU backward over ${n.toLocaleString('en-US')} float32 values, ms per call (median of 7 × 50):`);
for (const [name, x] of [['random signs', random], ['all positive', positive]] as const) {
  console.log(`  ${name}: branch ${ms(branch, x).toFixed(3)}, branch-free ${ms(branchFree, x).toFixed(3)}`);
}
