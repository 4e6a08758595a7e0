import { ValueError, safeString } from '../errors.js';
import type { TypedArray } from '../dtype.js';
import type { Shape } from '../shape.js';
import { axpyKernel, binaryKernel, permuteKernel, stridedCopyKernel, unaryKernel } from './elementwise.js';
import { gemmBlocked } from './gemm-blocked.js';
import { axpyFast, binaryFast, permuteFast, reduceFast, stridedCopyFast, unaryFast } from './elementwise-f32.js';
import { type ReduceCode, argReduceKernel, reduceKernel } from './reduce.js';
import type { BinaryCode, UnaryCode } from './scalar-fns.js';
import { gemmReference } from './gemm-reference.js';
import { type ConvGeometry, col2imKernel, im2colKernel, indexAddKernel } from './im2col.js';
import { col2imFast, im2colFast, indexAddFast } from './im2col-f32.js';
import { softmaxFast, softmaxKernel } from './softmax.js';
import { axpyWasm, binaryWasm, indexAddWasm, reduceWasm, softmaxWasm, unaryWasm } from './wasm/elementwise-wasm.js';
import { gemmWasm } from './wasm/gemm-wasm.js';
import { wasmFeatures } from './wasm/modules.js';
import { onWasmUnusable } from './wasm/runtime.js';

/** Float storage a GEMM runs on. */
export type FloatArray = Float32Array | Float64Array;

/**
 * `C[m×n] = alpha · op(A) · op(B) + beta · C`, row-major, where `op(X)` is X
 * or its transpose. Offsets and leading dimensions address a sub-matrix of a
 * larger buffer, so batched and strided products need no copies.
 */
export interface GemmArgs {
  readonly transA: boolean;
  readonly transB: boolean;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly alpha: number;
  readonly a: FloatArray;
  readonly aOffset: number;
  /** Row stride of A as stored (k when not transposed, m when transposed, for a dense A). */
  readonly lda: number;
  readonly b: FloatArray;
  readonly bOffset: number;
  readonly ldb: number;
  /** 0 overwrites C, 1 accumulates into it. */
  readonly beta: number;
  readonly c: FloatArray;
  readonly cOffset: number;
  readonly ldc: number;
  /** Products in the batch (default 1); matrix t of each operand starts `t · stride` elements after the first. */
  readonly batch?: number;
  /** Elements between consecutive A matrices (0 broadcasts one A over the batch). */
  readonly strideA?: number;
  /** Elements between consecutive B matrices (0 broadcasts one B). */
  readonly strideB?: number;
  /** Elements between consecutive C matrices. */
  readonly strideC?: number;
}

/**
 * The kernel interface: the few hot loops every op reduces to. The plain
 * TypeScript `reference` backend is the oracle; faster backends (a blocked JS
 * GEMM now, WebAssembly SIMD and threads later) implement the same calls and
 * are tested against it.
 */
export interface Backend {
  readonly name: string;
  /** Single-precision or double-precision matrix product, see `GemmArgs`. */
  gemm(args: GemmArgs): void;
  /** `out[i] = f(x[i])`; `p0`, `p1` parametrize (slope, bounds). */
  unary(code: UnaryCode, x: TypedArray, out: TypedArray, p0?: number, p1?: number): void;
  /** `out = a ⊙ b` with NumPy broadcasting to `outShape`. */
  binary(code: BinaryCode, a: TypedArray, aShape: Shape, b: TypedArray, bShape: Shape, out: TypedArray, outShape: Shape): void;
  /** Reduction over sorted, unique `axes` into `out` (the kept dimensions, row-major). */
  reduce(code: ReduceCode, x: TypedArray, shape: Shape, axes: readonly number[], out: TypedArray): void;
  /** Index of the max/min along `axis`. */
  argReduce(mode: 'max' | 'min', x: TypedArray, shape: Shape, axis: number, out: Int32Array): void;
  /** Copy with dimensions reordered: `out` has shape `perm.map(p => shape[p])`. */
  permute(x: TypedArray, shape: Shape, perm: readonly number[], out: TypedArray): void;
  /** `y[i] += alpha · x[i]` in place (same length): an optimizer's update. */
  axpy(alpha: number, x: TypedArray, y: TypedArray): void;
  /** Softmax (or log-softmax) of each lane of `x` seen as `[outer, len, inner]`, along the middle axis. */
  softmax(x: TypedArray, outer: number, len: number, inner: number, log: boolean, out: TypedArray): void;
  /** Patch columns `[C·kH·kW, outH·outW]` of one `[C, H, W]` image: a convolution as a GEMM. */
  im2col(x: TypedArray, xOffset: number, geometry: ConvGeometry, out: TypedArray, outOffset: number): void;
  /** The adjoint of `im2col`, accumulated into the image (a convolution's input gradient). */
  col2im(cols: TypedArray, colsOffset: number, geometry: ConvGeometry, out: TypedArray, outOffset: number): void;
  /** `out[o, index[j], i] += src[o, j, i]` over `[outer, k, inner]` into `[outer, size, inner]`: scatter-sum. */
  indexAdd(src: TypedArray, outer: number, k: number, inner: number, index: Int32Array, size: number, out: TypedArray): void;
  /** `out[i…] = x[offset + Σ i_d · strides[d]]`: expand, strided slices and views made contiguous. */
  stridedCopy(x: TypedArray, offset: number, outShape: Shape, strides: readonly number[], out: TypedArray): void;
  /**
   * Optional implementations of kernels declared with `defineKernel`
   * (convolution lowering, pooling, segment reductions...), by kernel name.
   * A kernel this map lacks runs its plain-TypeScript form, so a backend
   * written before a kernel existed keeps working.
   */
  readonly kernels?: Readonly<Record<string, (args: never) => void>>;
}

// Each backend is spelled out field by field: an object spread at module
// level counts as a side effect to bundlers, which would then keep every
// kernel (and the embedded WebAssembly) in a bundle that runs no op.

/** Plain loops, written for obviousness: the oracle the fast kernels are tested against. */
export const referenceBackend: Backend = {
  name: 'reference',
  gemm: gemmReference,
  axpy: axpyKernel,
  softmax: softmaxKernel,
  im2col: im2colKernel,
  col2im: col2imKernel,
  indexAdd: indexAddKernel,
  unary: unaryKernel,
  binary: binaryKernel,
  reduce: reduceKernel,
  argReduce: argReduceKernel,
  permute: permuteKernel,
  stridedCopy: stridedCopyKernel,
};

/** Packed, cache-blocked GEMM and float32-specialized loops in plain TypeScript: the fallback where WebAssembly SIMD is missing. */
export const jsBackend: Backend = {
  name: 'js',
  gemm: gemmBlocked,
  axpy: axpyFast,
  softmax: softmaxFast,
  im2col: im2colFast,
  col2im: col2imFast,
  indexAdd: indexAddFast,
  unary: unaryFast,
  binary: binaryFast,
  reduce: reduceFast,
  argReduce: argReduceKernel,
  permute: permuteFast,
  stridedCopy: stridedCopyFast,
};

/**
 * WebAssembly SIMD128 kernels (GEMM split over worker threads where shared
 * memory exists; elementwise ops, bias-gradient sums, softmax and scatter):
 * the default wherever SIMD128 exists. What has no SIMD form runs the
 * float32-specialized loops.
 */
export const wasmBackend: Backend = {
  name: 'wasm',
  gemm: gemmWasm,
  axpy: axpyWasm,
  softmax: softmaxWasm,
  im2col: im2colFast,
  col2im: col2imFast,
  indexAdd: indexAddWasm,
  unary: unaryWasm,
  binary: binaryWasm,
  reduce: reduceWasm,
  argReduce: argReduceKernel,
  permute: permuteFast,
  stridedCopy: stridedCopyFast,
};

// Made on first use, not at import: module-level calls would keep the
// WebAssembly binaries in a bundle that never runs an op (one importing
// only `Generator`, say).
let registry: Map<string, Backend> | undefined;
let active: Backend | undefined;

function backends(): Map<string, Backend> {
  if (registry !== undefined) return registry;
  const r = new Map<string, Backend>([
    [referenceBackend.name, referenceBackend],
    [jsBackend.name, jsBackend],
  ]);
  if (wasmFeatures().simd) r.set(wasmBackend.name, wasmBackend);
  registry = r;
  // Where the WebAssembly kernels cannot start (see wasmRuntime), later ops run on js.
  onWasmUnusable(() => {
    r.delete(wasmBackend.name);
    if (active === wasmBackend) active = jsBackend;
  });
  return r;
}

// `DL_BACKEND` picks the starting backend (e.g. to run a whole test suite on the oracle).
function initialBackend(): Backend {
  const r = backends();
  const fromEnv = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.DL_BACKEND;
  if (fromEnv) {
    const b = r.get(fromEnv);
    if (!b) throw new ValueError('DL_BACKEND', `unknown backend '${fromEnv}'; registered: ${[...r.keys()].join(', ')}`);
    return b;
  }
  return r.get('wasm') ?? jsBackend;
}

const BACKEND_METHODS = ['gemm', 'unary', 'binary', 'reduce', 'argReduce', 'permute', 'axpy', 'softmax', 'im2col', 'col2im', 'indexAdd', 'stridedCopy'] as const;

/** A backend must implement the whole interface: a missing method would fail deep inside the first op that needs it. */
function checkBackend(backend: unknown): asserts backend is Backend {
  if (backend === null || typeof backend !== 'object') throw new ValueError('registerBackend', `backend must be an object implementing Backend, got ${safeString(backend)}`);
  const b = backend as Record<string, unknown>;
  if (typeof b.name !== 'string' || b.name === '') throw new ValueError('registerBackend', `backend.name must be a non-empty string, got ${safeString(b.name)}`);
  const missing = BACKEND_METHODS.filter((m) => typeof b[m] !== 'function');
  if (missing.length > 0) throw new ValueError('registerBackend', `backend '${b.name}' lacks ${missing.join(', ')}; a backend implements every method of Backend (spread jsBackend to inherit them)`);
  if (b.kernels !== undefined && (b.kernels === null || typeof b.kernels !== 'object')) throw new ValueError('registerBackend', `backend '${b.name}': kernels must be an object of functions by kernel name`);
}

/** Makes a backend selectable by name with `setBackend`. */
export function registerBackend(backend: Backend): void {
  checkBackend(backend);
  backends().set(backend.name, backend);
}

/** Selects the kernels every op uses from now on (`'wasm'` by default where SIMD128 exists, else `'js'`; `'reference'` is the oracle). */
export function setBackend(name: string): void {
  const r = backends();
  const b = typeof name === 'string' ? r.get(name) : undefined;
  if (!b) throw new ValueError('setBackend', `unknown backend '${safeString(name)}'; registered: ${[...r.keys()].join(', ')}`);
  active = b;
}

/** The kernels ops are using. */
export function getBackend(): Backend {
  return active ?? (active = initialBackend());
}

/** Names of the registered backends. */
export function listBackends(): string[] {
  return [...backends().keys()];
}

/** Runs `fn` with backend `name` active, restoring the previous one after. */
export function withBackend<T>(name: string, fn: () => T): T {
  if (typeof fn !== 'function') throw new ValueError('withBackend', `needs a function to run, got ${safeString(fn)}`);
  const prev = getBackend();
  setBackend(name);
  try {
    return fn();
  } finally {
    active = prev;
  }
}
