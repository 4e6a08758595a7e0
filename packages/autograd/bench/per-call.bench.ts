/**
 * What a call costs when the arithmetic is nothing: the fixed price of an op
 * (argument checks, allocation, graph recording, the engine's walk), which
 * is what small models — an RNN step, a test, a graph layer on a small
 * graph — pay. Times the built packages (dist/, as a user runs them):
 *
 *   - a recorded elementwise op on 4 elements (target ≤ 0.5 µs),
 *   - matmul [1,4]·[4,4] (target ≤ 3 µs),
 *   - forward + backward per op in a chain of 100 (target ≤ 1 µs),
 *   - an LSTM step (batch 32, input and hidden 256: 2 matmuls, 2 adds,
 *     4 slices, 3 sigmoids, 2 tanhs, 3 muls, 1 add — 17 ops), forward and
 *     forward + backward, beside TensorFlow.js (wasm, cpu) and jax-js (wasm)
 *     on the same calls.
 *
 * Rounds of every contender are interleaved; each line is the median and
 * the spread [min–max] over the rounds.
 *
 *   pnpm --filter @dl/autograd build && pnpm --filter @dl/autograd bench:per-call
 *   … bench:per-call -- --rounds 7 --json     # machine-readable (bench/compare-checkouts.ts uses it)
 *   … bench:per-call -- --only dl             # skip the peers
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { grad as jaxGrad, jit, numpy as np, nn as jnn } from '@jax-js/jax';
import { Generator, Parameter, type Tensor, add, getNumThreads, matmul, mul, noGrad, randn, sigmoid, slice, tanh, tensor, wasmThreadsReady } from '@dl/tensor';
import { backward } from '@dl/autograd';
import { initTfjs } from '../../../tools/bench/tfjs.js';
import { initJaxjs } from '../../../tools/bench/jaxjs.js';

const { values: opts } = parseArgs({
  options: { rounds: { type: 'string', default: '5' }, json: { type: 'boolean', default: false }, only: { type: 'string' } },
});
const rounds = Number(opts.rounds);
const onlyDl = opts.only === 'dl';

/** Microseconds per call of `fn`, timed over ~`ms` milliseconds after as long a warm-up (so V8 has optimized what it will). */
function usPerCall(fn: () => void, ms = 300): number {
  for (const until = performance.now() + ms; performance.now() < until; ) for (let i = 0; i < 16; i++) fn();
  let n = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < 16; i++) fn();
    n += 16;
    elapsed = performance.now() - start;
  }
  return (elapsed * 1000) / n;
}

async function usPerCallAsync(fn: () => Promise<void>, ms = 300): Promise<number> {
  for (let i = 0; i < 10; i++) await fn();
  let n = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    await fn();
    n++;
    elapsed = performance.now() - start;
  }
  return (elapsed * 1000) / n;
}

// ---- dl ----

const g = new Generator(0);
const CHAIN = 'chain of 100 muls, forward + backward, per op';
/** Calls timed as a batch of ops and reported per op. */
const PER_OP: Record<string, number> = { [CHAIN]: 100 };
const B = 32;
const H = 256;

function dlCases(): Record<string, () => void> {
  const a = tensor([1, 2, 3, 4]).requiresGrad_();
  const b = tensor([5, 6, 7, 8]);
  const x = tensor([[1, 2, 3, 4]]);
  const w = tensor([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]]);
  const c = tensor([1.0001, 0.9999, 1.0002, 0.9998]);
  const lstm = dlLstm();
  return {
    'recorded add, 4 elements': () => void add(a, b),
    'matmul [1,4]·[4,4]': () => void matmul(x, w),
    // Timed as one call of 100 ops; reported per op (see PER_OP).
    [CHAIN]: () => {
      let y = a;
      for (let i = 0; i < 100; i++) y = mul(y, c);
      backward(y, { grad: c });
      a.grad = null;
    },
    'LSTM step forward (17 ops)': () => void noGrad(() => lstm.step()),
    'LSTM step forward + backward': () => lstm.stepWithBackward(),
  };
}

function dlLstm() {
  const rnd = (shape: number[], req = false) => {
    const t = randn(shape, { generator: g }).mul(0.1);
    return req ? t.requiresGrad_() : t;
  };
  const x = rnd([B, H]);
  const h = rnd([B, H]);
  const c = rnd([B, H]);
  // Parameters, as an LSTM layer holds them (the wasm kernels keep
  // parameters resident in their memory while unchanged).
  const wih = new Parameter(rnd([4 * H, H]));
  const whh = new Parameter(rnd([4 * H, H]));
  const bias = new Parameter(rnd([4 * H]));
  const ones = randn([B, H], { generator: g });
  const gate = (z: Tensor, k: number): Tensor => slice(z, [[0, B], [k * H, (k + 1) * H]]);
  const step = (): [Tensor, Tensor] => {
    const z = add(add(matmul(x, wih, { transposeB: true }), matmul(h, whh, { transposeB: true })), bias);
    const i = sigmoid(gate(z, 0));
    const f = sigmoid(gate(z, 1));
    const gg = tanh(gate(z, 2));
    const o = sigmoid(gate(z, 3));
    const c2 = add(mul(f, c), mul(i, gg));
    return [mul(o, tanh(c2)), c2];
  };
  return {
    step,
    stepWithBackward: () => {
      const [h2, c2] = step();
      backward([h2, c2], { grad: [ones, ones] });
      wih.grad = whh.grad = bias.grad = null;
    },
  };
}

// ---- TensorFlow.js ----

async function tfCases(backend: 'wasm' | 'cpu'): Promise<Record<string, () => void>> {
  await initTfjs(backend);
  const rnd = (shape: number[]) => tf.mul(tf.randomNormal(shape), 0.1) as tf.Tensor2D;
  const x = rnd([B, H]);
  const h = rnd([B, H]);
  const c = rnd([B, H]);
  const wih = rnd([4 * H, H]);
  const whh = rnd([4 * H, H]);
  const bias = tf.mul(tf.randomNormal([4 * H]), 0.1);
  const ones = tf.randomNormal([B, H]);
  const step = (wi: tf.Tensor, wh: tf.Tensor, bb: tf.Tensor): [tf.Tensor, tf.Tensor] => {
    const z = tf.add(tf.add(tf.matMul(x, wi, false, true), tf.matMul(h, wh, false, true)), bb);
    const [zi, zf, zg, zo] = [0, 1, 2, 3].map((k) => tf.slice(z, [0, k * H], [B, H]));
    const c2 = tf.add(tf.mul(tf.sigmoid(zf!), c), tf.mul(tf.sigmoid(zi!), tf.tanh(zg!)));
    return [tf.mul(tf.sigmoid(zo!), tf.tanh(c2)), c2];
  };
  const a = tf.tensor1d([1, 2, 3, 4]);
  const b4 = tf.tensor1d([5, 6, 7, 8]);
  const x14 = tf.tensor2d([[1, 2, 3, 4]]);
  const w44 = tf.tensor2d([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]]);
  const grads = tf.grads((wi: tf.Tensor, wh: tf.Tensor, bb: tf.Tensor) => {
    const [h2, c2] = step(wi, wh, bb);
    return tf.add(tf.sum(tf.mul(h2, ones)), tf.sum(tf.mul(c2, ones)));
  });
  return {
    'recorded add, 4 elements': () => tf.tidy(() => void tf.add(a, b4).dataSync()),
    'matmul [1,4]·[4,4]': () => tf.tidy(() => void tf.matMul(x14, w44).dataSync()),
    'LSTM step forward (17 ops)': () => tf.tidy(() => void step(wih, whh, bias)[0].dataSync()),
    'LSTM step forward + backward': () => tf.tidy(() => void grads([wih, whh, bias])[0]!.dataSync()),
  };
}

// ---- jax-js ----

async function jaxCases(): Promise<Record<string, () => Promise<void>>> {
  await initJaxjs();
  const rnd = (shape: number[]) => np.array(Float32Array.from({ length: shape.reduce((p, q) => p * q, 1) }, () => (Math.random() - 0.5) * 0.2)).reshape(shape);
  const x = rnd([B, H]);
  const h = rnd([B, H]);
  const c = rnd([B, H]);
  const wih = rnd([4 * H, H]);
  const whh = rnd([4 * H, H]);
  const bias = rnd([4 * H]);
  const step = (wi: np.Array, wh: np.Array, bb: np.Array, xx: np.Array, hh: np.Array, cc: np.Array): [np.Array, np.Array] => {
    const z = np.add(np.add(np.matmul(xx, wi.transpose()), np.matmul(hh, wh.transpose())), bb);
    const part = (k: number) => z.ref.slice([], [k * H, (k + 1) * H]);
    const [zi, zf, zg, zo] = [part(0), part(1), part(2), part(3)];
    z.dispose();
    const c2 = np.add(np.multiply(jnn.sigmoid(zf), cc), np.multiply(jnn.sigmoid(zi), np.tanh(zg)));
    return [np.multiply(jnn.sigmoid(zo), np.tanh(c2.ref)), c2];
  };
  const fwd = jit((wi: np.Array, wh: np.Array, bb: np.Array, xx: np.Array, hh: np.Array, cc: np.Array) => step(wi, wh, bb, xx, hh, cc)[0]);
  const loss = (wi: np.Array, wh: np.Array, bb: np.Array, xx: np.Array, hh: np.Array, cc: np.Array) => {
    const [h2, c2] = step(wi, wh, bb, xx, hh, cc);
    return np.add(np.sum(h2), np.sum(c2));
  };
  const bwd = jit(jaxGrad(loss, { argnums: [0, 1, 2] }));
  return {
    'LSTM step forward (17 ops)': async () => {
      const y = fwd(wih.ref, whh.ref, bias.ref, x.ref, h.ref, c.ref);
      await y.blockUntilReady();
      y.dispose();
    },
    'LSTM step forward + backward': async () => {
      const gs = bwd(wih.ref, whh.ref, bias.ref, x.ref, h.ref, c.ref) as np.Array[];
      for (const t of gs) await t.blockUntilReady();
      for (const t of gs) t.dispose();
    },
  };
}

// ---- run ----

type Samples = Map<string, Map<string, number[]>>;
const samples: Samples = new Map();
const record = (who: string, what: string, us: number): void => {
  if (!samples.has(who)) samples.set(who, new Map());
  const m = samples.get(who)!;
  if (!m.has(what)) m.set(what, []);
  m.get(what)!.push(us);
};

await wasmThreadsReady();
const dl = dlCases();
const tfWasm = onlyDl ? {} : await tfCases('wasm');
const tfCpu = onlyDl ? {} : await tfCases('cpu');
const jax = onlyDl ? {} : await jaxCases();
for (let r = 0; r < rounds; r++) {
  for (const [what, fn] of Object.entries(dl)) record('dl', what, usPerCall(fn) / (PER_OP[what] ?? 1));
  if (onlyDl) continue;
  await initTfjs('wasm');
  for (const [what, fn] of Object.entries(tfWasm)) record('tfjs wasm', what, usPerCall(fn));
  await initTfjs('cpu');
  for (const [what, fn] of Object.entries(tfCpu)) record('tfjs cpu', what, usPerCall(fn));
  for (const [what, fn] of Object.entries(jax)) record('jax-js wasm', what, await usPerCallAsync(fn));
}

const median = (xs: number[]): number => [...xs].sort((p, q) => p - q)[xs.length >> 1]!;
if (opts.json) {
  const out: Record<string, Record<string, number[]>> = {};
  for (const [who, m] of samples) out[who] = Object.fromEntries(m);
  console.log(JSON.stringify(out));
} else {
  const fmt = (xs: number[] | undefined): string =>
    xs ? `${median(xs).toFixed(median(xs) < 10 ? 2 : 0)} [${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}]` : '—';
  const who = [...samples.keys()];
  console.log(`\nµs per call (median [min–max] over ${rounds} interleaved rounds); dl on ${getNumThreads()} threads, Node ${process.version}\n`);
  console.log(`| call | ${who.join(' | ')} |`);
  console.log(`|---|${who.map(() => '---').join('|')}|`);
  for (const what of Object.keys(dl)) console.log(`| ${what} | ${who.map((w) => fmt(samples.get(w)?.get(what))).join(' | ')} |`);
}
process.exit(0);
