/** The functions the compiled kernels export (see assembly/kernels.ts); pointers are byte offsets. */
export interface KernelExports {
  sgemm(
    transA: number, transB: number, m: number, n: number, k: number, alpha: number,
    a: number, lda: number, b: number, ldb: number, beta: number, c: number, ldc: number, work: number,
  ): void;
  sgemmBand(
    transA: number, transB: number, m: number, n: number, k: number, alpha: number,
    a: number, lda: number, b: number, ldb: number, beta: number, c: number, ldc: number,
    mode: number, lo: number, hi: number, batch: number, strideA: number, strideB: number, strideC: number, work: number,
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
