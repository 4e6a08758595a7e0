/** The functions the compiled kernels export (see assembly/kernels.ts); pointers are byte offsets. */
export interface KernelExports {
  sgemm(
    transA: number, transB: number, m: number, n: number, k: number, alpha: number,
    a: number, lda: number, b: number, ldb: number, beta: number, c: number, ldc: number, work: number,
  ): void;
  sgemmBand(
    transA: number, transB: number, m: number, n: number, k: number, alpha: number,
    a: number, lda: number, b: number, ldb: number, beta: number, c: number, ldc: number,
    byCols: number, lo: number, hi: number, work: number,
  ): void;
  sgemmWorkBytes(): number;
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
