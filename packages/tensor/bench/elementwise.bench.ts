/**
 * Memory-bound kernels: is WebAssembly SIMD worth it once the copies into its
 * memory are counted? GB/s of useful traffic (bytes read + written) for
 *   - the reference backend's generic loop (megamorphic: it also serves
 *     float64/int32/bool, as in a real program),
 *   - the js backend's float32-specialized loop,
 *   - the SIMD128 kernel alone (as if tensors lived in wasm memory),
 *   - the wasm backend: the SIMD128 kernel with the copies in and out that
 *     JS-owned tensors need.
 *
 *   pnpm --filter @dl/tensor bench:elementwise
 */
import { performance } from 'node:perf_hooks';
import { jsBackend, referenceBackend, wasmBackend } from '@dl/tensor';
import { dataStart, heapF32, wasmRuntime } from '../src/kernels/wasm/runtime.js';

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
  }
}

const rt = wasmRuntime();
const k = rt.kernels;
const rand = (n: number): Float32Array => Float32Array.from({ length: n }, () => Math.random() - 0.5);

interface Row {
  name: string;
  bytes: number;
  run: (backend: typeof jsBackend) => void;
  kernel: () => void;
}

function rows(n: number, cols: number): Row[] {
  const rowsN = n / cols;
  const a = rand(n);
  const b = rand(n);
  const bias = rand(cols);
  const out = new Float32Array(n);
  const colOut = new Float32Array(cols);
  const pa = dataStart(rt);
  const pb = pa + n * 4;
  const po = pb + n * 4;
  const acc = po + n * 4;
  heapF32(rt, acc + cols * 8);
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
      name: `column sum [${rowsN}, ${cols}] → [${cols}]`,
      bytes: 4 * n + 4 * cols,
      run: (be) => be.reduce('sum', a, [rowsN, cols], [0], colOut),
      kernel: () => k.colSumF32(pa, rowsN, cols, acc, po),
    },
  ];
}

console.log(`\nfloat32 memory-bound kernels, GB/s of useful traffic (higher is better); Node ${process.version}\n`);
console.log('| kernel | reference (generic JS) | js backend (float32 JS) | SIMD128 kernel only | wasm backend (SIMD128 + copies) | wasm / js |');
console.log('|---|---|---|---|---|---|');
for (const [n, cols] of [[16_384, 256], [262_144, 512], [4_194_304, 1024]] as const) {
  for (const r of rows(n, cols)) {
    const ref = gbPerSecond(r.bytes, () => r.run(referenceBackend));
    const js = gbPerSecond(r.bytes, () => r.run(jsBackend));
    const kernel = gbPerSecond(r.bytes, r.kernel);
    const wasm = gbPerSecond(r.bytes, () => r.run(wasmBackend));
    console.log(`| ${r.name} | ${ref.toFixed(1)} | ${js.toFixed(1)} | ${kernel.toFixed(1)} | ${wasm.toFixed(1)} | ${(wasm / js).toFixed(2)}× |`);
  }
}
process.exit(0);
