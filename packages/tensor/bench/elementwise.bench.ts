/**
 * Memory-bound kernels: is WebAssembly SIMD worth it once the copies into its
 * memory are counted? GB/s of useful traffic (bytes read + written) for
 *   - the reference backend's generic loop (megamorphic: it also serves
 *     float64/int32/bool, as in a real program),
 *   - the js backend's float32-specialized loop,
 *   - the SIMD128 kernel alone (as if tensors lived in wasm memory),
 *   - the wasm backend: the SIMD128 kernel with the copies in and out that
 *     JS-owned tensors need (for im2col, which the wasm backend leaves to
 *     the float32 JS loop, the kernel with its copies).
 *
 * Then the SIMD transcendental functions (GB/s as above, and ns an element),
 * their crossover against the float32 JS loop at small sizes (which sets the
 * wasm backend's threshold), and the fused activation backward passes
 * against the differentiable rules they replace when no graph is recorded.
 *
 *   pnpm --filter @dl/tensor bench:elementwise
 */
import { performance } from 'node:perf_hooks';
import { Tensor, convOutputSize, gelu, jsBackend, noGrad, referenceBackend, sigmoid, tanh, wasmBackend, withBackend } from '@dl/tensor';
import type { UnaryCode } from '../src/kernels/elementwise-loops.generated.js';
import { activationGrad } from '../src/kernels/activation-grad.js';
import { SIMD_UNARY, SIMD_UNARY_MIN } from '../src/kernels/wasm/elementwise-wasm.js';
import { wasmCall, wasmRuntime } from '../src/kernels/wasm/runtime.js';

function gbPerSecond(bytes: number, fn: () => void): number {
  for (let i = 0; i < 5; i++) fn();
  let iters = 0;
  const start = performance.now();
  while (performance.now() - start < 250) {
    fn();
    iters++;
  }
  return (bytes * iters) / ((performance.now() - start) * 1e6);
}

// Make the generic loops megamorphic, as they are in a real program.
for (const T of [Float64Array, Int32Array, Uint8Array, Float32Array]) {
  const x = new T(64);
  const o = new T(64);
  for (let r = 0; r < 200; r++) {
    referenceBackend.binary('add', x, [64], x, [64], o, [64]);
    referenceBackend.unary('relu', x, o);
    referenceBackend.reduce('sum', x, [8, 8], [0], o.subarray(0, 8));
    referenceBackend.axpy(0.5, x, o);
    referenceBackend.softmax(x, 8, 8, 1, true, o);
    referenceBackend.unary('exp', x, o);
    referenceBackend.unary('sigmoid', x, o);
  }
}

const rt = wasmRuntime();
const k = rt.kernels;
// Blocks of kernel memory this benchmark keeps for the whole run.
const region = (bytes: number): number => rt.allocator.alloc(bytes);
const heapF32 = (): Float32Array => new Float32Array(rt.memory.buffer);
const rand = (n: number): Float32Array => Float32Array.from({ length: n }, () => Math.random() - 0.5);

interface Row {
  name: string;
  bytes: number;
  run: (backend: typeof jsBackend) => void;
  /** The SIMD128 kernel alone; absent where there is none (softmax: exp is not a wasm instruction). */
  kernel?: () => void;
  /** The kernel plus the copies a JS-owned tensor needs, when the wasm backend does not run it. */
  withCopies?: () => void;
}

function rows(n: number, cols: number): Row[] {
  const rowsN = n / cols;
  const a = rand(n);
  const b = rand(n);
  const bias = rand(cols);
  const out = new Float32Array(n);
  const colOut = new Float32Array(cols);
  const pa = region(3 * n * 4 + cols * 8);
  const pb = pa + n * 4;
  const po = pb + n * 4;
  const acc = po + n * 4;
  return [
    { name: `a + b [${n}]`, bytes: 12 * n, run: (be) => be.binary('add', a, [n], b, [n], out, [n]), kernel: () => k.binaryF32(0, pa, n, pb, n, po, n) },
    {
      name: `x + bias [${rowsN}, ${cols}] + [${cols}]`,
      bytes: 8 * n + 4 * cols,
      run: (be) => be.binary('add', a, [rowsN, cols], bias, [cols], out, [rowsN, cols]),
      kernel: () => k.binaryF32(0, pa, n, pb, cols, po, n),
    },
    { name: `relu [${n}]`, bytes: 8 * n, run: (be) => be.unary('relu', a, out), kernel: () => k.unaryF32(0, pa, po, n) },
    {
      name: `y += α·x [${n}]`,
      bytes: 12 * n,
      run: (be) => be.axpy(-0.1, a, b),
      kernel: () => k.axpyF32(-0.1, pa, pb, n),
    },
    {
      name: `log-softmax [${rowsN}, ${cols}]`,
      bytes: 8 * n,
      run: (be) => be.softmax(a, rowsN, cols, 1, true, out),
    },
    {
      name: `column sum [${rowsN}, ${cols}] → [${cols}]`,
      bytes: 4 * n + 4 * cols,
      run: (be) => be.reduce('sum', a, [rowsN, cols], [0], colOut),
      kernel: () => k.colSumF32(pa, rowsN, cols, acc, po),
    },
  ];
}

// Scatter-sum of messages onto nodes: a Cora-sized graph (10,556 edges into
// 2,708 nodes) with 16 and 64 features.
function indexAddRows(): Row[] {
  return [16, 64].map((features) => {
    const edges = 10_556;
    const nodes = 2_708;
    const src = rand(edges * features);
    const index = Int32Array.from({ length: edges }, () => Math.floor(Math.random() * nodes));
    const out = new Float32Array(nodes * features);
    const ps = region(4 * (src.length + edges + out.length));
    const pi = ps + src.length * 4;
    const po = pi + edges * 4;
    new Int32Array(rt.memory.buffer, pi, edges).set(index);
    return {
      name: `indexAdd [${edges}, ${features}] → [${nodes}, ${features}]`,
      bytes: 4 * (2 * edges * features + edges),
      run: (be: typeof jsBackend) => be.indexAdd(src, 1, edges, features, index, nodes, out),
      kernel: () => k.indexAddF32(ps, 1, edges, features, pi, nodes, po),
    };
  });
}

// im2col for a LeNet-5-sized conv (6×14×14 in, 5×5 kernel) and a wider one.
function im2colRows(): Row[] {
  return [
    { channels: 6, height: 14, width: 14, kernel: 5, pad: 0 },
    { channels: 32, height: 32, width: 32, kernel: 3, pad: 1 },
  ].map(({ channels, height, width, kernel, pad }) => {
    const g = { channels, height, width, kernelH: kernel, kernelW: kernel, strideH: 1, strideW: 1, padH: pad, padW: pad, dilationH: 1, dilationW: 1 };
    const { outH, outW } = convOutputSize(g);
    const image = channels * height * width;
    const cols = channels * kernel * kernel * outH * outW;
    const x = rand(image);
    const out = new Float32Array(cols);
    const px = region(4 * (image + cols));
    const po = px + image * 4;
    const kernelOnly = (): void => k.im2colF32(px, channels, height, width, kernel, kernel, 1, 1, pad, pad, 1, 1, po);
    return {
      name: `im2col [${channels}, ${height}, ${width}] k${kernel}`,
      bytes: 4 * (image + cols),
      run: (be: typeof jsBackend) => be.im2col(x, 0, g, out, 0),
      kernel: kernelOnly,
      withCopies: () => {
        const heap = heapF32();
        heap.set(x, px >> 2);
        kernelOnly();
        out.set(heap.subarray(po >> 2, (po >> 2) + cols));
      },
    };
  });
}

console.log(`\nfloat32 memory-bound kernels, GB/s of useful traffic (higher is better); Node ${process.version}\n`);
console.log('| kernel | reference (generic JS) | js backend (float32 JS) | SIMD128 kernel only | wasm backend (SIMD128 + copies) | wasm / js |');
console.log('|---|---|---|---|---|---|');
for (const group of [...([[16_384, 256], [262_144, 512], [4_194_304, 1024]] as const).map(([n, cols]) => () => rows(n, cols)), indexAddRows, im2colRows]) {
  for (const r of group()) {
    const ref = gbPerSecond(r.bytes, () => r.run(referenceBackend));
    const js = gbPerSecond(r.bytes, () => r.run(jsBackend));
    const kernel = r.kernel ? gbPerSecond(r.bytes, r.kernel).toFixed(1) : '—';
    const wasm = gbPerSecond(r.bytes, r.withCopies ?? (() => r.run(wasmBackend)));
    console.log(`| ${r.name} | ${ref.toFixed(1)} | ${js.toFixed(1)} | ${kernel} | ${wasm.toFixed(1)} | ${(wasm / js).toFixed(2)}× |`);
  }
}
// ---- SIMD transcendental functions ----

const TRANSCENDENTAL: UnaryCode[] = ['exp', 'log', 'sigmoid', 'tanh', 'gelu', 'geluTanh', 'erf'];
const N_T = 262_144;
// Inputs where each function varies (log: positive), as activations see them.
const tIn = Float32Array.from({ length: N_T }, () => (Math.random() - 0.5) * 12);
const tPos = Float32Array.from({ length: N_T }, () => Math.exp((Math.random() - 0.5) * 20));
const tOut = new Float32Array(N_T);
const tpx = region(4 * N_T);
const tpo = region(4 * N_T);
console.log(`\nSIMD128 transcendental functions on [${N_T}] float32: GB/s (8 bytes an element), and ns an element in brackets\n`);
console.log('| function | reference (generic JS) | js backend (float32 JS) | SIMD128 kernel only | wasm backend (SIMD128 + copies) | wasm / js |');
console.log('|---|---|---|---|---|---|');
const nsPer = (gbs: number): string => `${gbs.toFixed(2)} (${(8 / gbs).toFixed(1)} ns)`;
for (const code of TRANSCENDENTAL) {
  const x = code === 'log' ? tPos : tIn;
  heapF32().set(x, tpx >> 2);
  const op = SIMD_UNARY[code]!;
  const ref = gbPerSecond(8 * N_T, () => referenceBackend.unary(code, x, tOut));
  const js = gbPerSecond(8 * N_T, () => jsBackend.unary(code, x, tOut));
  const kernel = gbPerSecond(8 * N_T, () => k.unaryF32(op, tpx, tpo, N_T));
  const wasm = gbPerSecond(8 * N_T, () => wasmBackend.unary(code, x, tOut));
  console.log(`| ${code} | ${nsPer(ref)} | ${nsPer(js)} | ${nsPer(kernel)} | ${nsPer(wasm)} | ${(wasm / js).toFixed(1)}× |`);
}

// Small arrays: the wasm call and its copies against the float32 JS loop
// (ns per call, best of the timing windows). Sets SIMD_UNARY_MIN.
function nsPerCall(fn: () => void): number {
  for (let i = 0; i < 200; i++) fn();
  let best = Infinity;
  for (let rep = 0; rep < 5; rep++) {
    let iters = 0;
    const start = performance.now();
    while (performance.now() - start < 40) {
      fn();
      iters++;
    }
    best = Math.min(best, ((performance.now() - start) * 1e6) / iters);
  }
  return best;
}
const SMALL = [16, 32, 64, 128, 256];
console.log(`\nsmall arrays: ns per call, float32 JS loop / SIMD128 with copies (the wasm backend switches at ${TRANSCENDENTAL.map((c) => `${c} ${SIMD_UNARY_MIN[c]}`).join(', ')})\n`);
console.log(`| function | ${SMALL.map((n) => `n = ${n}`).join(' | ')} |`);
console.log(`|---|${SMALL.map(() => '---').join('|')}|`);
for (const code of TRANSCENDENTAL) {
  const cells = SMALL.map((n) => {
    const x = (code === 'log' ? tPos : tIn).subarray(0, n);
    const out = tOut.subarray(0, n);
    const op = SIMD_UNARY[code]!;
    const js = nsPerCall(() => jsBackend.unary(code, x, out));
    const simd = nsPerCall(() => {
      const call = wasmCall();
      const px = call.input(x);
      const po = call.scratch(n * 4);
      call.exports.unaryF32(op, px, po, n);
      call.read(po, out);
    });
    return `${js.toFixed(0)} / ${simd.toFixed(0)}`;
  });
  console.log(`| ${code} | ${cells.join(' | ')} |`);
}

// ---- fused activation backward ----
//
// One recorded op's backward without createGraph: the differentiable rule's
// ops (unrecorded) against the fused fastBackward pass, µs per call; and the
// fused kernel's forms alone.
console.log('\nactivation backward, µs per call: rule (composed ops) / fused; float32\n');
const BACK_N = [4096, 262_144];
console.log(`| activation | ${BACK_N.flatMap((n) => [`js [${n}]`, `wasm [${n}]`]).join(' | ')} |`);
console.log(`|---|${BACK_N.flatMap(() => ['---', '---']).join('|')}|`);
const acts: [string, (t: Tensor) => Tensor][] = [
  ['sigmoid', sigmoid],
  ['tanh', tanh],
  ['gelu', (t) => gelu(t)],
  ['gelu tanh', (t) => gelu(t, 'tanh')],
];
for (const [name, f] of acts) {
  const cells: string[] = [];
  for (const n of BACK_N) {
    const xt = new Tensor(tIn.slice(0, n), [n], { requiresGrad: true });
    const g = new Tensor(Float32Array.from({ length: n }, () => Math.random()), [n]);
    for (const backend of ['js', 'wasm']) {
      withBackend(backend, () => {
        const node = f(xt).gradNode!;
        const rule = nsPerCall(() => noGrad(() => node.backward([g], true))) / 1e3;
        const fused = nsPerCall(() => node.backward([g], false)) / 1e3;
        cells.push(`${rule.toFixed(1)} / ${fused.toFixed(1)} (${(rule / fused).toFixed(1)}×)`);
      });
    }
  }
  console.log(`| ${name} | ${cells.join(' | ')} |`);
}
console.log('\nfused backward kernel alone, GB/s of useful traffic (12 bytes an element), [262144]\n');
console.log('| kernel | reference | js (float32) | wasm (SIMD128 + copies) |');
console.log('|---|---|---|---|');
for (const code of ['sigmoid', 'tanh', 'gelu', 'geluTanh'] as const) {
  const v = code === 'sigmoid' ? Float32Array.from(tIn, (t) => 1 / (1 + Math.exp(-t))) : code === 'tanh' ? Float32Array.from(tIn, Math.tanh) : tIn;
  const g = Float32Array.from({ length: N_T }, () => Math.random());
  const args = { code, v, g, out: tOut };
  const cells = ['reference', 'js', 'wasm'].map((be) => gbPerSecond(12 * N_T, () => withBackend(be, () => activationGrad(args))).toFixed(2));
  console.log(`| ${code} | ${cells.join(' | ')} |`);
}
process.exit(0);
