// Entry point of the WebAssembly kernels: everything exported here is callable
// from the `wasm` backend (and from its worker threads).
export { sgemm, sgemmBand, sgemmWorkBytes } from './gemm';
export { binaryF32, unaryF32, colSumF32, axpyF32, indexAddF32 } from './elementwise';
export { im2colF32 } from './im2col';
export { softmaxRowsF32 } from './softmax';
