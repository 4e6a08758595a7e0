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
 *   pnpm --filter @dl/tensor bench:elementwise
 */
import { performance } from 'node:perf_hooks';
import { convOutputSize, jsBackend, referenceBackend, wasmBackend } from '@dl/tensor';
import { wasmRuntime } from '../src/kernels/wasm/runtime.js';

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
process.exit(0);
