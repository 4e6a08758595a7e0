import { DLError } from '../../errors.js';

/** Thrown when a kernel would need more WebAssembly memory than its limit allows; kernels catch it and run in JS. */
export class WasmMemoryFull extends DLError {}
