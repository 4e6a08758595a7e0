import { type FloatArray, getBackend } from '@dl/tensor';

// Gate nonlinearities over whole typed arrays. float32 goes through the core's
// kernels (SIMD128 sigmoid/tanh in WebAssembly from a few hundred elements:
// 2.5–5 ns an element against 12–60 for Math.exp in a JS loop), float64 through
// its plain loops, which are exact to the last bits the tests compare.

/** `out[i] = σ(x[i])`; `out` may be `x`. */
export function sigmoidArray(x: FloatArray, out: FloatArray): void {
  getBackend().unary('sigmoid', x, out);
}

/** `out[i] = tanh(x[i])`; `out` may be `x`. */
export function tanhArray(x: FloatArray, out: FloatArray): void {
  getBackend().unary('tanh', x, out);
}
