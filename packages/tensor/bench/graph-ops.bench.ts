/**
 * Graph aggregation and attention's masked softmax: dl against TensorFlow.js
 * (cpu and wasm backends) and jax-js (wasm device) on the same calls, in the
 * same run.
 *
 * - GCN's aggregation Â·H on Cora (2708 nodes, Â the symmetric-normalised
 *   adjacency with self-loops, 13,264 nonzeros), H [2708, 16] and [2708, 64],
 *   forward and forward + backward (the gradient with respect to H, seeded
 *   with a fixed G), as
 *     dl csrMatmul (wasm on 2 threads and on 1, and the js backend);
 *     dl's pre-existing formulation indexSelect(H, src)·w → indexAdd at dst;
 *     the same gather with segmentSum;
 *     TF.js (cpu and wasm) gather·w → sparse.sparseSegmentSum forward; that
 *       op has no gradient, so forward + backward is the dense product Â·H.
 *       gather·w → unsortedSegmentSum is not timed: the wasm backend has no
 *       UnsortedSegmentSum kernel, and the cpu one is O(N·E·F) (one call took
 *       180 s here at F = 16);
 *     jax-js take·w → segment sum as the transpose of take (what
 *       jax.ops.segment_sum lowers to: a scatter-add), jitted.
 * - Masked softmax on attention scores [32, 4, 64, 64] with a causal mask
 *   and scale 1/8, forward + backward: dl maskedSoftmax, dl's composed
 *   softmax(x·s + additive mask), TF.js and jax-js softmax(x·s + mask).
 * - Each new kernel's wasm form against its float32 JS form (copies into and
 *   out of WebAssembly memory included), at the sizes above and near the
 *   thresholds below which the wasm forms decline a call, on one thread, on
 *   two (the split policy deciding) and on two with every job split: the
 *   measurements behind those thresholds.
 *
 * Every method runs once per round (a timed batch of calls), rounds are
 * interleaved, and each cell is the median over rounds of ms per call with
 * the rounds' min–max; ratios are against dl csrMatmul / maskedSoftmax on 2
 * threads. Run on a quiet machine (`uptime` load < 2):
 *
 *   pnpm --filter @dl/tensor bench:graph            # 7 rounds
 *   pnpm --filter @dl/tensor bench:graph -- --quick # 3 short rounds
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import {
  CsrMatrix,
  Generator,
  type Tensor,
  add,
  csrMatmul,
  indexAdd,
  indexSelect,
  maskedSoftmax,
  mul,
  randn,
  segmentSum,
  setBackend,
  setNumThreads,
  softmax,
  tensor,
  wasmInfo,
  wasmThreadsReady,
  zeros,
} from '@dl/tensor';
// The engine users run for backward (a bench-only import: @dl/tensor cannot depend on it).
import { gradients } from '../../autograd/src/index.js';
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core's Node bundle registers no gradients by itself; loading tfjs-layers does.
import '@tensorflow/tfjs-layers';
import * as jax from '@jax-js/jax';
import { maskedSoftmax as maskedSoftmaxKernel, maskedSoftmaxGrad as maskedSoftmaxGradKernel } from '../src/kernels/masked-softmax.js';
import { segmentArgReduce, segmentSoftmax as segmentSoftmaxKernel, segmentSoftmaxGrad as segmentSoftmaxGradKernel } from '../src/kernels/segment.js';
import { sddmm as sddmmKernel, spmm as spmmKernel } from '../src/kernels/spmm.js';
import { setBandedMinWork } from '../src/kernels/banded.js';
import { initTfjs } from '../../../tools/bench/tfjs.js';
import { initJaxjs } from '../../../tools/bench/jaxjs.js';

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 3 : 7;
const BATCH_MS = quick ? 60 : 200;
const np = jax.numpy;

// ---- Cora: Â = D^-1/2 (A + I) D^-1/2, A the undirected citation graph
const coraDir = process.env.CORA_DIR ?? new URL('../../../../shared/datasets/cora/', import.meta.url).pathname;
function loadCora(): { nodes: number; src: Int32Array; dst: Int32Array; w: Float32Array } {
  const ids = new Map<string, number>();
  for (const line of readFileSync(`${coraDir}/cora.content`, 'utf8').split('\n')) {
    const id = line.split('\t')[0];
    if (id) ids.set(id, ids.size);
  }
  const n = ids.size;
  const edges = new Set<number>();
  for (const line of readFileSync(`${coraDir}/cora.cites`, 'utf8').split('\n')) {
    const [a, b] = line.trim().split(/\s+/);
    if (!a || !b) continue;
    const i = ids.get(a);
    const j = ids.get(b);
    if (i === undefined || j === undefined) throw new Error(`cora.cites: unknown paper in '${line}'`);
    if (i === j) continue;
    edges.add(i * n + j);
    edges.add(j * n + i);
  }
  for (let i = 0; i < n; i++) edges.add(i * n + i);
  const list = [...edges].sort((x, y) => x - y);
  const dst = Int32Array.from(list, (e) => Math.floor(e / n));
  const src = Int32Array.from(list, (e) => e % n);
  const deg = new Float64Array(n);
  for (const d of dst) deg[d]!++;
  const w = Float32Array.from(list, (_, k) => 1 / Math.sqrt(deg[dst[k]!]! * deg[src[k]!]!));
  return { nodes: n, src, dst, w };
}

const cora = loadCora();
const N = cora.nodes;
const E = cora.src.length;

// ---- timing: a batch of calls per round, rounds interleaved across methods
type Body = () => void | Promise<void>;
interface Method {
  name: string;
  /** Per column: the call, or null where the method cannot run it. */
  bodies: (Body | null)[];
  setup?: () => Promise<void> | void;
}

async function batchMs(body: Body): Promise<number> {
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < BATCH_MS || calls < 3) {
    await body();
    calls++;
    elapsed = performance.now() - start;
  }
  return elapsed / calls;
}

async function run(methods: Method[], columns: number): Promise<number[][][]> {
  // times[m][c] = ms per call in each round
  const times = methods.map(() => Array.from({ length: columns }, () => [] as number[]));
  for (const m of methods) {
    if (process.env.BENCH_VERBOSE) console.error(`warm-up: ${m.name}`);
    await m.setup?.();
    for (const b of m.bodies) if (b) for (let i = 0; i < 3; i++) await b(); // warm-up: JIT, jit compile, caches
  }
  for (let r = 0; r < ROUNDS; r++) {
    for (let mi = 0; mi < methods.length; mi++) {
      const m = methods[mi]!;
      await m.setup?.();
      for (let c = 0; c < columns; c++) {
        const b = m.bodies[c];
        if (b) times[mi]![c]!.push(await batchMs(b));
      }
    }
  }
  return times;
}

const median = (v: number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const fmt = (ms: number): string => (ms >= 10 ? ms.toFixed(1) : ms >= 1 ? ms.toFixed(2) : ms.toFixed(3));

function table(title: string, headers: string[], methods: Method[], times: number[][][], baseline = 0): void {
  console.log(`\n${title}\n`);
  console.log(`| method | ${headers.join(' | ')} |`);
  console.log(`|---|${headers.map(() => '---').join('|')}|`);
  const base = times[baseline]!.map(median);
  methods.forEach((m, mi) => {
    const cells = times[mi]!.map((t, c) => {
      if (t.length === 0) return '—';
      const med = median(t);
      const ratio = med / base[c]!;
      return `${fmt(med)} (${fmt(Math.min(...t))}–${fmt(Math.max(...t))}) ${mi === baseline ? '1×' : `${ratio.toFixed(ratio >= 10 ? 0 : 1)}×`}`;
    });
    console.log(`| ${m.name} | ${cells.join(' | ')} |`);
  });
}

// ---- dl
const g = new Generator(7);
const widths = [16, 64];
const dlH = widths.map((f) => randn([N, f], { generator: g }).requiresGrad_());
const dlG = widths.map((f) => randn([N, f], { generator: g }));
const srcT = tensor(cora.src, { shape: [E] });
const dstT = tensor(cora.dst, { shape: [E] });
const wT = tensor(cora.w, { shape: [E] });
const w2 = wT.reshape([E, 1]);
const adjacency = CsrMatrix.fromCoo(dstT, srcT, wT, [N, N]);

const dlCsr = (f: number, backward: boolean): Body => () => {
  const y = csrMatmul(adjacency, dlH[f]!);
  if (backward) gradients(y, [dlH[f]!], { gradOutputs: dlG[f]! });
};
const dlGatherIndexAdd = (f: number, backward: boolean): Body => () => {
  const y = indexAdd(zeros([N, widths[f]!]), 0, dstT, mul(indexSelect(dlH[f]!, 0, srcT), w2));
  if (backward) gradients(y, [dlH[f]!], { gradOutputs: dlG[f]! });
};
const dlGatherSegmentSum = (f: number, backward: boolean): Body => () => {
  const y = segmentSum(mul(indexSelect(dlH[f]!, 0, srcT), w2), dstT, N);
  if (backward) gradients(y, [dlH[f]!], { gradOutputs: dlG[f]! });
};
const columns = (make: (f: number, backward: boolean) => Body | null): (Body | null)[] => [make(0, false), make(0, true), make(1, false), make(1, true)];
const dlMethod = (name: string, backend: string, threads: number, make: (f: number, backward: boolean) => Body): Method => ({
  name,
  bodies: columns(make),
  setup: () => {
    setBackend(backend);
    setNumThreads(threads);
  },
});

// ---- TF.js: inputs made on each backend while it is active (no transfers in the timed calls)
interface TfInputs {
  h: tf.Tensor[];
  g: tf.Tensor[];
  src: tf.Tensor1D;
  dst: tf.Tensor1D;
  w: tf.Tensor;
  ids: tf.Tensor1D;
  dense: tf.Tensor;
}
const tfInputs = new Map<string, TfInputs>();
async function tfSetup(backend: 'cpu' | 'wasm'): Promise<TfInputs> {
  await initTfjs(backend);
  let inputs = tfInputs.get(backend);
  if (inputs === undefined) {
    const denseA = new Float32Array(N * N);
    for (let k = 0; k < E; k++) denseA[cora.dst[k]! * N + cora.src[k]!] = cora.w[k]!;
    inputs = {
      h: dlH.map((t) => tf.tensor(t.data as Float32Array, [...t.shape])),
      g: dlG.map((t) => tf.tensor(t.data as Float32Array, [...t.shape])),
      src: tf.tensor1d(cora.src, 'int32'),
      dst: tf.tensor1d(cora.dst, 'int32'),
      w: tf.tensor2d(cora.w, [E, 1]),
      // sparseSegmentSum reads rows `indices` and sums runs of sorted segment ids: the messages in order, by dst.
      ids: tf.tensor1d(Int32Array.from({ length: E }, (_, k) => k), 'int32'),
      dense: tf.tensor2d(denseA, [N, N]),
    };
    tfInputs.set(backend, inputs);
  }
  return inputs;
}
const tfRun = (f: () => tf.Tensor): void => {
  const y = tf.tidy(f);
  y.dataSync();
  y.dispose();
};
const tfCall = (backend: 'cpu' | 'wasm') => (f: number, backward: boolean): Body => () => {
  const t = tfInputs.get(backend)!;
  if (backward) tfRun(() => tf.grad((h: tf.Tensor) => tf.matMul(t.dense, h))(t.h[f]!, t.g[f]!));
  else tfRun(() => tf.sparse.sparseSegmentSum(tf.mul(tf.gather(t.h[f]!, t.src), t.w), t.ids, t.dst));
};

// ---- jax-js: jitted, arrays passed by `.ref` (calls consume their arguments)
let jaxIn: { h: jax.numpy.Array[]; g: jax.numpy.Array[]; src: jax.numpy.Array; dst: jax.numpy.Array; w: jax.numpy.Array } | undefined;
type JaxFn = (...a: jax.numpy.Array[]) => jax.numpy.Array;
const jaxAgg = (h: jax.numpy.Array, src: jax.numpy.Array, dst: jax.numpy.Array, w: jax.numpy.Array): jax.numpy.Array => {
  const msg = np.take(h, src, 0).mul(w);
  // segment_sum(msg, dst) is the transpose of take(·, dst): a scatter-add.
  return jax.grad((z: jax.numpy.Array) => np.take(z, dst, 0).mul(msg).sum())(np.zeros([N, h.shape[1]!]));
};
const jaxFwd = jax.jit(jaxAgg as never) as unknown as JaxFn;
const jaxBwd = jax.jit(((h: jax.numpy.Array, src: jax.numpy.Array, dst: jax.numpy.Array, w: jax.numpy.Array, gy: jax.numpy.Array) =>
  jax.grad((x: jax.numpy.Array) => jaxAgg(x, src, dst, w).mul(gy).sum())(h)) as never) as unknown as JaxFn;
async function jaxSetup(): Promise<void> {
  await initJaxjs();
  jaxIn ??= {
    h: dlH.map((t) => np.array(t.data as Float32Array).reshape([...t.shape])),
    g: dlG.map((t) => np.array(t.data as Float32Array).reshape([...t.shape])),
    src: np.array(cora.src, { dtype: np.int32 } as never),
    dst: np.array(cora.dst, { dtype: np.int32 } as never),
    w: np.array(cora.w).reshape([E, 1]),
  };
}
const jaxCall = (f: number, backward: boolean): Body => async () => {
  const j = jaxIn!;
  const y = backward ? jaxBwd(j.h[f]!.ref, j.src.ref, j.dst.ref, j.w.ref, j.g[f]!.ref) : jaxFwd(j.h[f]!.ref, j.src.ref, j.dst.ref, j.w.ref);
  await y.blockUntilReady();
  y.dispose();
};

// ---- masked softmax: scores [32, 4, 64, 64], causal, scale 1/8, forward + backward
const T = 64;
const scoreShape = [32, 4, T, T];
const scale = 1 / 8;
const scores = randn(scoreShape, { generator: g }).requiresGrad_();
const scoresG = randn(scoreShape, { generator: g });
const causal = tensor(Uint8Array.from({ length: T * T }, (_, i) => (i % T <= Math.floor(i / T) ? 1 : 0)), { shape: [T, T] });
const causalAdd = tensor(Float32Array.from(causal.data, (k) => (k ? 0 : -Infinity)), { shape: [T, T] });
const causalAddTf = Float32Array.from(causal.data, (k) => (k ? 0 : -1e9));
const dlMasked = (composed: boolean): Body => () => {
  const y = composed ? softmax(add(mul(scores, scale), causalAdd)) : maskedSoftmax(scores, { scale, keep: causal });
  gradients(y, [scores], { gradOutputs: scoresG });
};
const tfMasked = new Map<string, { x: tf.Tensor; g: tf.Tensor; mask: tf.Tensor }>();
const tfMaskedCall = (backend: 'cpu' | 'wasm'): Body => () => {
  const t = tfMasked.get(backend)!;
  tfRun(() => tf.grad((x: tf.Tensor) => tf.softmax(tf.add(tf.mul(x, scale), t.mask)))(t.x, t.g));
};
let jaxMasked: { x: jax.numpy.Array; g: jax.numpy.Array; mask: jax.numpy.Array } | undefined;
const jaxMaskedFn = jax.jit(((x: jax.numpy.Array, mask: jax.numpy.Array, gy: jax.numpy.Array) =>
  jax.grad((z: jax.numpy.Array) => jax.nn.softmax(z.mul(scale).add(mask), -1).mul(gy).sum())(x)) as never) as unknown as JaxFn;

// ---- run
await wasmThreadsReady();
console.log(`Node ${process.version}; dl ${JSON.stringify(wasmInfo())}; Cora: ${N} nodes, ${E} nonzeros in Â; ${ROUNDS} rounds of ≥ ${BATCH_MS} ms per cell`);

const gcnMethods: Method[] = [
  dlMethod('dl csrMatmul, wasm, 2 threads', 'wasm', 2, dlCsr),
  dlMethod('dl csrMatmul, wasm, 1 thread', 'wasm', 1, dlCsr),
  dlMethod('dl csrMatmul, js backend', 'js', 1, dlCsr),
  dlMethod('dl indexSelect·w → indexAdd (pre-existing), wasm, 2 threads', 'wasm', 2, dlGatherIndexAdd),
  dlMethod('dl indexSelect·w → segmentSum, wasm, 2 threads', 'wasm', 2, dlGatherSegmentSum),
  ...(['cpu', 'wasm'] as const).map((backend) => ({
    name: `TF.js ${backend}: gather·w → sparseSegmentSum (fwd) / dense Â·H (fwd+bwd)`,
    bodies: columns(tfCall(backend)),
    setup: async () => void (await tfSetup(backend)),
  })),
  { name: 'jax-js wasm, jit: take·w → segment sum (scatter-add)', bodies: columns(jaxCall), setup: jaxSetup },
];
const gcnTimes = await run(gcnMethods, 4);
table('GCN aggregation Â·H on Cora: ms per call, median (min–max over rounds), ratio to dl csrMatmul on 2 threads', ['F = 16 fwd', 'F = 16 fwd+bwd', 'F = 64 fwd', 'F = 64 fwd+bwd'], gcnMethods, gcnTimes);

const maskedMethods: Method[] = [
  { name: 'dl maskedSoftmax, wasm, 2 threads', bodies: [dlMasked(false)], setup: () => { setBackend('wasm'); setNumThreads(2); } },
  { name: 'dl maskedSoftmax, wasm, 1 thread', bodies: [dlMasked(false)], setup: () => { setBackend('wasm'); setNumThreads(1); } },
  { name: 'dl maskedSoftmax, js backend', bodies: [dlMasked(false)], setup: () => { setBackend('js'); setNumThreads(1); } },
  { name: 'dl softmax(x·s + mask) composed, wasm, 2 threads', bodies: [dlMasked(true)], setup: () => { setBackend('wasm'); setNumThreads(2); } },
  ...(['cpu', 'wasm'] as const).map((backend) => ({
    name: `TF.js ${backend}: softmax(x·s + mask)`,
    bodies: [tfMaskedCall(backend)],
    setup: async () => {
      await initTfjs(backend);
      if (!tfMasked.has(backend)) {
        tfMasked.set(backend, {
          x: tf.tensor(scores.data as Float32Array, scoreShape),
          g: tf.tensor(scoresG.data as Float32Array, scoreShape),
          mask: tf.tensor2d(causalAddTf, [T, T]),
        });
      }
    },
  })),
  {
    name: 'jax-js wasm, jit: softmax(x·s + mask)',
    bodies: [
      async () => {
        const j = jaxMasked!;
        const y = jaxMaskedFn(j.x.ref, j.mask.ref, j.g.ref);
        await y.blockUntilReady();
        y.dispose();
      },
    ],
    setup: async () => {
      await initJaxjs();
      jaxMasked ??= {
        x: np.array(scores.data as Float32Array).reshape(scoreShape),
        g: np.array(scoresG.data as Float32Array).reshape(scoreShape),
        mask: np.array(causalAddTf).reshape([T, T]),
      };
    },
  },
];
const maskedTimes = await run(maskedMethods, 1);
table('Masked softmax, scores [32, 4, 64, 64], causal, scale 1/8, forward + backward: ms per call', ['fwd+bwd'], maskedMethods, maskedTimes);

// ---- each kernel's wasm form against its JS form (the kernels called directly, on typed arrays)
const rnd = (n: number): Float32Array => Float32Array.from({ length: n }, () => g.random() - 0.5);
const csrOf = (rows: number, nnzPerRow: number) => {
  const indptr = Int32Array.from({ length: rows + 1 }, (_, r) => r * nnzPerRow);
  const indices = Int32Array.from({ length: rows * nnzPerRow }, () => g.randint(0, rows));
  return { indptr, indices };
};
const coraCsr = { indptr: new Int32Array(N + 1), indices: cora.src };
for (const d of cora.dst) coraCsr.indptr[d + 1]!++;
for (let i = 0; i < N; i++) coraCsr.indptr[i + 1]! += coraCsr.indptr[i]!;
interface KernelCase {
  name: string;
  /** Runs under the active backend: timed on js, then on wasm with 1 and 2 threads. */
  run: () => void;
}
const kernelCases: KernelCase[] = [];
for (const [label, rows, s0, width] of [
  ['Cora Â·H, F = 16', N, coraCsr, 16],
  ['Cora Â·H, F = 64', N, coraCsr, 64],
  ['karate-sized, 204 nnz, F = 24 (4,896 multiply-adds: just above the 4,096 threshold)', 34, csrOf(34, 6), 24],
] as const) {
  const nnz = s0.indptr[rows]!;
  const x = rnd(rows * width);
  const values = rnd(nnz);
  const out = new Float32Array(rows * width);
  kernelCases.push({ name: `spmm ${label}`, run: () => spmmKernel({ rows, indptr: s0.indptr, indices: s0.indices, values, heads: 1, x, width, mean: false, out }) });
  if (rows === N) {
    const dv = new Float32Array(nnz);
    kernelCases.push({ name: `sddmm ${label}`, run: () => sddmmKernel({ rows, indptr: s0.indptr, indices: s0.indices, heads: 1, g: x, x, width, out: dv }) });
  }
}
{
  // Segment sum of messages [E, 16] by destination: ids sorted (entries in place) or shuffled (read through the grouping's permutation).
  const width = 16;
  const x = rnd(E * width);
  const out = new Float32Array(N * width);
  const shuffled = Int32Array.from({ length: E }, (_, k) => k);
  for (let k = E - 1; k > 0; k--) {
    const j = g.randint(0, k + 1);
    [shuffled[k], shuffled[j]] = [shuffled[j]!, shuffled[k]!];
  }
  kernelCases.push({ name: 'segmentSum [13,264, 16] → [2,708, 16], sorted ids', run: () => spmmKernel({ rows: N, indptr: coraCsr.indptr, indices: null, values: null, heads: 1, x, width, mean: false, out }) });
  kernelCases.push({ name: 'segmentSum [13,264, 16] → [2,708, 16], unsorted ids', run: () => spmmKernel({ rows: N, indptr: coraCsr.indptr, indices: shuffled, values: null, heads: 1, x, width, mean: false, out }) });
  const arg = new Int32Array(N * width);
  kernelCases.push({
    name: 'segmentMax [13,264, 16] → [2,708, 16], unsorted ids',
    run: () => segmentArgReduce({ segments: N, offsets: coraCsr.indptr, order: shuffled, width, mode: 'max', x, out, arg }),
  });
}
for (const [label, segments, offsets, width] of [
  ['GAT scores [13,264, 8] by node', N, coraCsr.indptr, 8],
  ['[256, 8] (2,048 elements: the threshold)', 64, Int32Array.from({ length: 65 }, (_, i) => i * 4), 8],
] as const) {
  const n = offsets[segments]! * width;
  const x = rnd(n);
  const y = new Float32Array(n);
  const gy = rnd(n);
  const dx = new Float32Array(n);
  const layout = { segments, offsets, order: null, width };
  kernelCases.push({ name: `segmentSoftmax ${label}`, run: () => segmentSoftmaxKernel({ ...layout, x, out: y }) });
  kernelCases.push({ name: `segmentSoftmax backward ${label}`, run: () => segmentSoftmaxGradKernel({ ...layout, y, g: gy, out: dx }) });
}
for (const [label, rows, len] of [
  ['[32, 4, 64, 64] causal', 32 * 4 * 64, 64],
  ['[16, 64] (1,024 elements: the threshold)', 16, 64],
] as const) {
  const n = rows * len;
  const x = rnd(n);
  const y = new Float32Array(n);
  const gy = rnd(n);
  const dx = new Float32Array(n);
  const keep = Uint8Array.from({ length: len * len }, (_, i) => (i % len <= Math.floor(i / len) ? 1 : 0));
  const keepOffsets = Int32Array.from({ length: rows }, (_, r) => (r % len) * len);
  const args = { x, outer: rows, len, inner: 1, scale, keep, keepOffsets, keepStep: 1, additive: null, addOffsets: null, addStep: 0, out: y };
  kernelCases.push({ name: `maskedSoftmax ${label}`, run: () => maskedSoftmaxKernel(args) });
  kernelCases.push({ name: `maskedSoftmax backward ${label}`, run: () => maskedSoftmaxGradKernel({ y, g: gy, outer: rows, len, inner: 1, scale, dz: null, dx }) });
}
const kernelMethods: Method[] = kernelCases.map((k) => ({
  name: k.name,
  bodies: [
    () => {
      setBackend('js');
      k.run();
    },
    () => {
      setBackend('wasm');
      setNumThreads(1);
      k.run();
    },
    () => {
      setBackend('wasm');
      setNumThreads(2);
      k.run();
    },
    () => {
      setBackend('wasm');
      setNumThreads(2);
      setBandedMinWork(1);
      try {
        k.run();
      } finally {
        setBandedMinWork();
      }
    },
  ],
}));
const kernelTimes = await run(kernelMethods, 4);
console.log('\nEach kernel: float32 JS form against the wasm form (copies included), µs per call, median (min–max over rounds)\n');
console.log('| kernel, size | js | wasm, 1 thread | wasm, 2 threads | wasm, 2 threads, every job split | js / wasm (1 thread) | split speedup |');
console.log('|---|---|---|---|---|---|---|');
const us = (ms: number): string => (ms * 1000 >= 100 ? (ms * 1000).toFixed(0) : (ms * 1000).toFixed(1));
kernelMethods.forEach((m, mi) => {
  const t = kernelTimes[mi]!;
  const cells = t.map((v) => `${us(median(v))} (${us(Math.min(...v))}–${us(Math.max(...v))})`);
  console.log(`| ${m.name} | ${cells.join(' | ')} | ${(median(t[0]!) / median(t[1]!)).toFixed(1)}× | ${(median(t[1]!) / median(t[3]!)).toFixed(2)}× |`);
});
process.exit(0);
