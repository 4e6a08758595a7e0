/**
 * Convolution and pooling kernels: dl's wasm backend (all threads and one)
 * and js backend against TensorFlow.js's wasm and cpu backends, on layer
 * shapes of LeNet-5, VGG-16 and ResNet-18, in the same run with the
 * contestants interleaved round by round; prints the median time of each
 * (with its spread, min–max over rounds) and TF.js's time over dl's.
 *
 *   pnpm --filter @dl/tensor bench:conv            # full table
 *   pnpm --filter @dl/tensor bench:conv -- --quick # fewer rounds
 *   pnpm --filter @dl/tensor bench:conv -- --only LeNet   # cases whose label contains 'LeNet'
 *
 * TF.js runs NHWC (its native layout; its wasm backend refuses NCHW), dl
 * NCHW: each on its own layout, same arithmetic. TF.js's wasm backend has no
 * Conv2DBackpropFilter kernel, so its weight gradient (and full backward)
 * cannot be timed; the table says so. Kernels are timed alone: dl's include
 * copying operands into WebAssembly memory and results out.
 */
import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs-core';
import {
  type Conv2dGeometry,
  type Pool2dGeometry,
  conv2dBackwardInput,
  conv2dBackwardWeight,
  conv2dForward,
  conv2dGeometry,
  conv2dOutputShape,
  getNumThreads,
  maxPool2dBackward,
  maxPool2dForward,
  pool2dGeometry,
  pool2dOutputShape,
  setBackend,
  setNumThreads,
  wasmInfo,
  wasmThreadsReady,
} from '@dl/tensor';
import { initTfjs } from '../../../tools/bench/tfjs.js';

const quick = process.argv.includes('--quick');
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt >= 0 ? (process.argv[onlyAt + 1] ?? '') : '';
const ROUNDS = quick ? 3 : 7;
// Each sample repeats a call until this much time has passed (at least once), and keeps the mean.
const SAMPLE_MS = quick ? 30 : 80;

interface ConvCase {
  label: string;
  g: Conv2dGeometry;
  /** Skip dl's js backend (seconds per call). */
  noJs?: boolean;
}

const CONVS: ConvCase[] = [
  { label: 'LeNet-5 C1: 1→6 5×5 pad 2, 28×28, batch 64', g: conv2dGeometry({ batch: 64, inChannels: 1, height: 28, width: 28, outChannels: 6, kernelH: 5, kernelW: 5, padH: 2, padW: 2 }) },
  { label: 'LeNet-5 C3: 6→16 5×5, 14×14, batch 64', g: conv2dGeometry({ batch: 64, inChannels: 6, height: 14, width: 14, outChannels: 16, kernelH: 5, kernelW: 5 }) },
  {
    label: 'VGG-16 conv1_2: 64→64 3×3 pad 1, 224×224, batch 1',
    g: conv2dGeometry({ batch: 1, inChannels: 64, height: 224, width: 224, outChannels: 64, kernelH: 3, kernelW: 3, padH: 1, padW: 1 }),
    noJs: true,
  },
  { label: 'ResNet-18 layer1: 64→64 3×3 pad 1, 56×56, batch 1', g: conv2dGeometry({ batch: 1, inChannels: 64, height: 56, width: 56, outChannels: 64, kernelH: 3, kernelW: 3, padH: 1, padW: 1 }) },
  {
    label: 'ResNet-18 downsample: 64→128 1×1 stride 2, 56×56, batch 1',
    g: conv2dGeometry({ batch: 1, inChannels: 64, height: 56, width: 56, outChannels: 128, kernelH: 1, kernelW: 1, strideH: 2, strideW: 2 }),
  },
  {
    label: 'ResNet-18 layer2: 128→128 3×3 pad 1, 28×28, batch 8',
    g: conv2dGeometry({ batch: 8, inChannels: 128, height: 28, width: 28, outChannels: 128, kernelH: 3, kernelW: 3, padH: 1, padW: 1 }),
    noJs: true,
  },
];

interface PoolCase {
  label: string;
  g: Pool2dGeometry;
}

const POOLS: PoolCase[] = [
  { label: 'max-pool LeNet-5: 2×2 stride 2, 6×28×28, batch 64', g: pool2dGeometry({ batch: 64, channels: 6, height: 28, width: 28, kernelH: 2, kernelW: 2 }) },
  {
    label: 'max-pool ResNet stem: 3×3 stride 2 pad 1, 64×112×112, batch 1',
    g: pool2dGeometry({ batch: 1, channels: 64, height: 112, width: 112, kernelH: 3, kernelW: 3, strideH: 2, strideW: 2, padH: 1, padW: 1 }),
  },
];

/** One contestant's operation: call it once; or why it is not timed. */
type Run = (() => void) | string;

function random(n: number, seed: number): Float32Array {
  // xorshift: fast, deterministic, uniform in [-1, 1).
  let s = seed >>> 0 || 1;
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    a[i] = (s >>> 0) / 2 ** 31 - 1;
  }
  return a;
}

function sample(run: () => void): number {
  const t0 = performance.now();
  run();
  // A call slower than a few samples' time is its own sample (TF.js's cpu weight gradient takes seconds).
  const first = performance.now() - t0;
  if (first > 4 * SAMPLE_MS) return first;
  let n = 0;
  const start = performance.now();
  let t = 0;
  do {
    run();
    n++;
    t = performance.now() - start;
  } while (t < SAMPLE_MS);
  return t / n;
}

const threads = getNumThreads();

interface Contestant {
  name: string;
  /** Makes the contestant's runtime current (backend, thread count). */
  enter: () => Promise<void> | void;
}

const CONTESTANTS: Contestant[] = [
  { name: `dl wasm ${threads}T`, enter: () => { setBackend('wasm'); setNumThreads(threads); } },
  { name: 'dl wasm 1T', enter: () => { setBackend('wasm'); setNumThreads(1); } },
  { name: 'dl js', enter: () => setBackend('js') },
  { name: 'tfjs wasm', enter: async () => { await tf.setBackend('wasm'); } },
  { name: 'tfjs cpu', enter: async () => { await tf.setBackend('cpu'); } },
];

// A contestant-op whose sample takes longer than this is timed in the first round only.
const SLOW_MS = 1500;

/** Times `ops[c][op]` for every contestant c, interleaved: each round runs every contestant once per op. */
async function timeRounds(opNames: readonly string[], ops: Run[][]): Promise<number[][][]> {
  const samples = ops.map((byOp) => byOp.map(() => [] as number[]));
  for (let r = 0; r < ROUNDS; r++) {
    for (let c = 0; c < CONTESTANTS.length; c++) {
      await CONTESTANTS[c]!.enter();
      for (let o = 0; o < opNames.length; o++) {
        const run = ops[c]![o];
        const got = samples[c]![o]!;
        if (typeof run === 'function' && (r === 0 || got[0]! <= SLOW_MS)) got.push(sample(run));
      }
    }
  }
  return samples;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

function ms(x: number): string {
  return Number.isNaN(x) ? '—' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x >= 1 ? x.toFixed(2) : x.toFixed(3);
}

function cell(xs: number[], why: Run | undefined): string {
  if (xs.length === 0) return typeof why === 'string' ? why : 'n/a';
  if (xs.length === 1) return `${ms(xs[0]!)} (1 run)`;
  return `${ms(median(xs))} (${ms(Math.min(...xs))}–${ms(Math.max(...xs))})`;
}

function ratio(a: number[], b: number[]): string {
  if (a.length === 0 || b.length === 0) return 'n/a';
  return `${(median(a) / median(b)).toFixed(2)}×`;
}

function printTable(title: string, opNames: readonly string[], samples: number[][][], ops: Run[][]): void {
  console.log(`\n${title}`);
  const header = ['op', ...CONTESTANTS.map((c) => `${c.name} ms`), 'tfjs wasm / dl', 'tfjs cpu / dl'];
  const rows = opNames.map((op, o) => [
    op,
    ...CONTESTANTS.map((_, c) => cell(samples[c]![o]!, ops[c]![o])),
    ratio(samples[3]![o]!, samples[0]![o]!),
    ratio(samples[4]![o]!, samples[0]![o]!),
  ]);
  console.log(`| ${header.join(' | ')} |`);
  console.log(`|${header.map(() => '---').join('|')}|`);
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
}

function tfKernel(name: string): boolean {
  return tf.getKernel(name, tf.getBackend()) !== undefined;
}

async function convCase({ label, g, noJs }: ConvCase): Promise<void> {
  const [n, o, oh, ow] = conv2dOutputShape(g);
  const { inChannels: c, height: h, width: w, kernelH: kh, kernelW: kw } = g;
  const x = random(n * c * h * w, 1);
  const weight = random(o * (c / g.groups) * kh * kw, 2);
  const bias = random(o, 3);
  const dy = random(n * o * oh * ow, 4);
  const y = new Float32Array(dy.length);
  const dx = new Float32Array(x.length);
  const dw = new Float32Array(weight.length);
  const db = new Float32Array(o);
  const dlOps = (skip: boolean): Run[] => {
    if (skip) return ['not run', 'not run', 'not run', 'not run'];
    const fwd = () => conv2dForward({ geometry: g, x, weight, bias, out: y });
    const bwdIn = () => conv2dBackwardInput({ geometry: g, gradOut: dy, weight, gradIn: dx });
    const bwdW = () => conv2dBackwardWeight({ geometry: g, x, gradOut: dy, gradWeight: dw, gradBias: db });
    return [fwd, bwdIn, bwdW, () => (fwd(), bwdIn(), bwdW())];
  };
  // TF.js: NHWC tensors made on each backend (a tensor used on another backend would be copied over).
  const tfOps = async (backend: 'wasm' | 'cpu'): Promise<Run[]> => {
    await tf.setBackend(backend);
    const tx = tf.tensor4d(x, [n, h, w, c]);
    const tw = tf.tensor4d(weight, [kh, kw, c / g.groups, o]);
    const tb = tf.tensor1d(bias);
    const tdy = tf.tensor4d(dy, [n, oh, ow, o]);
    const strides: [number, number] = [g.strideH, g.strideW];
    // Every shape here pads both dimensions alike: one number is TF.js's symmetric padding.
    const pad = g.padH;
    const sync = (t: tf.Tensor): void => {
      t.dataSync();
      t.dispose();
    };
    const fwd = () => sync(tf.fused.conv2d({ x: tx, filter: tw, strides, pad, dataFormat: 'NHWC', bias: tb }));
    const bwdIn = () => sync(tf.conv2dTranspose(tdy, tw, [n, h, w, c], strides, pad));
    const hasFilter = tfKernel('Conv2DBackpropFilter');
    const bwdW = hasFilter
      ? () => {
          const gw = tf.engine().runKernel('Conv2DBackpropFilter', { x: tx, dy: tdy }, { strides, pad, dataFormat: 'NHWC', filterShape: [kh, kw, c, o] }) as tf.Tensor;
          sync(gw);
          sync(tf.sum(tdy, [0, 1, 2]));
        }
      : 'no kernel';
    return [fwd, bwdIn, bwdW, typeof bwdW === 'function' ? () => (fwd(), bwdIn(), bwdW()) : bwdW];
  };
  const macs = g.batch * o * (c / g.groups) * kh * kw * oh * ow;
  const tfCpu = await tfOps('cpu');
  // TF.js's cpu weight gradient runs at ~2.5 M multiply-adds/s here: minutes for the larger layers.
  if (macs > 50e6) tfCpu[2] = tfCpu[3] = 'not run';
  const ops: Run[][] = [dlOps(false), dlOps(false), dlOps(noJs === true), await tfOps('wasm'), tfCpu];
  const names = ['forward (+ bias)', 'input gradient', 'weight + bias gradient', 'forward + full backward'];
  printTable(`${label}: ${(macs / 1e6).toFixed(1)} M multiply-adds per pass`, names, await timeRounds(names, ops), ops);
}

async function poolCase({ label, g }: PoolCase): Promise<void> {
  const [n, c, oh, ow] = pool2dOutputShape(g);
  const { height: h, width: w } = g;
  const x = random(n * c * h * w, 5);
  const dy = random(n * c * oh * ow, 6);
  const out = new Float32Array(dy.length);
  const indices = new Int32Array(dy.length);
  const dx = new Float32Array(x.length);
  const dl: Run[] = [
    () => maxPool2dForward({ geometry: g, x, out, indices }),
    () => maxPool2dForward({ geometry: g, x, out, indices: null }),
    () => maxPool2dBackward({ geometry: g, gradOut: dy, indices, gradIn: dx }),
  ];
  const tfOps = async (backend: 'wasm' | 'cpu'): Promise<Run[]> => {
    await tf.setBackend(backend);
    const tx = tf.tensor4d(x, [n, h, w, c]);
    const tdy = tf.tensor4d(dy, [n, oh, ow, c]);
    const filterSize: [number, number] = [g.kernelH, g.kernelW];
    const strides: [number, number] = [g.strideH, g.strideW];
    const ty = tf.maxPool(tx, filterSize, strides, g.padH);
    const sync = (t: tf.Tensor): void => {
      t.dataSync();
      t.dispose();
    };
    const forward = () => sync(tf.maxPool(tx, filterSize, strides, g.padH));
    return [
      forward,
      forward,
      tfKernel('MaxPoolGrad')
        ? () => sync(tf.engine().runKernel('MaxPoolGrad', { dy: tdy, input: tx, output: ty }, { filterSize, strides, pad: g.padH }) as tf.Tensor)
        : 'no kernel',
    ];
  };
  const ops: Run[][] = [dl, dl, dl, await tfOps('wasm'), await tfOps('cpu')];
  const names = ['forward (dl: with argmax)', 'forward (dl: values only)', 'backward'];
  printTable(label, names, await timeRounds(names, ops), ops);
}

async function main(): Promise<void> {
  await wasmThreadsReady();
  const tfWasm = await initTfjs('wasm');
  await initTfjs('cpu');
  const os = await import('node:os');
  console.log(
    `conv.bench: ${os.cpus()[0]?.model ?? 'cpu'} ×${os.cpus().length}, Node ${process.versions.node}, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}; ` +
      `dl ${JSON.stringify(wasmInfo())}; tfjs ${tfWasm.version} wasm simd ${String(tfWasm.wasmSimd)} threads ${String(tfWasm.wasmThreads)}; ` +
      `${ROUNDS} interleaved rounds, samples ≥ ${SAMPLE_MS} ms; cells: median (min–max) ms`,
  );
  for (const c of CONVS) if (c.label.includes(only)) await convCase(c);
  for (const p of POOLS) if (p.label.includes(only)) await poolCase(p);
  await tf.setBackend('wasm');
  console.log(
    `\ntfjs wasm has Conv2DBackpropFilter: ${String(tfKernel('Conv2DBackpropFilter'))} ('no kernel': the backend lacks it; ` +
      "'not run': tfjs cpu weight gradients over 50 M multiply-adds and dl js on the two largest layers take minutes per call)",
  );
  console.log(`load at the end: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
}

await main();
