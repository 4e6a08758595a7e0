/** The functions the compiled kernels export (assembly/*.ts); pointers are byte offsets. A kernel file may call any other export through `kernelFn`. */
export interface KernelExports {
  sgemm(
    transA: number, transB: number, m: number, n: number, k: number, alpha: number,
    a: number, lda: number, b: number, ldb: number, beta: number, c: number, ldc: number, work: number,
  ): void;
  sgemmBand(
    transA: number, transB: number, m: number, n: number, k: number, alpha: number,
    a: number, lda: number, b: number, ldb: number, beta: number, c: number, ldc: number,
    mode: number, batch: number, strideA: number, strideB: number, strideC: number, lo: number, hi: number, work: number,
  ): void;
  sgemmWorkBytes(): number;
  binaryF32(op: number, a: number, aLen: number, b: number, bLen: number, out: number, n: number): void;
  unaryF32(op: number, x: number, out: number, n: number): void;
  colSumF32(x: number, rows: number, cols: number, acc: number, out: number): void;
  axpyF32(alpha: number, x: number, y: number, n: number): void;
  softmaxRowsF32(x: number, rows: number, len: number, log: number, out: number): void;
  indexAddF32(src: number, outer: number, k: number, inner: number, index: number, size: number, out: number): void;
  im2colF32(
    x: number, c: number, h: number, w: number, kh: number, kw: number,
    sh: number, sw: number, ph: number, pw: number, dh: number, dw: number, out: number,
  ): void;
}

/** Instantiates kernels over `memory`, which every thread shares. */
export function instantiateKernels(bytes: Uint8Array<ArrayBuffer>, memory: WebAssembly.Memory): KernelExports {
  const module = new WebAssembly.Module(bytes);
  const instance = new WebAssembly.Instance(module, {
    env: {
      memory,
      abort: () => {
        throw new Error('wasm kernel aborted');
      },
    },
  });
  return instance.exports as unknown as KernelExports;
}

/**
 * Export `name` of the compiled kernels, typed as the caller declares it
 * (the kernel file that wraps an export states its signature once, next to
 * the AssemblyScript it calls).
 */
export function kernelFn<F extends (...args: number[]) => unknown>(exports: KernelExports, name: string): F {
  const fn = (exports as unknown as Record<string, F | undefined>)[name];
  if (typeof fn !== 'function') throw new Error(`wasm kernels have no export '${name}' (is assembly/ rebuilt? node scripts/build-wasm.mjs)`);
  return fn;
}
