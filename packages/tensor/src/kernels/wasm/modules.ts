import { wasmBinaries } from './modules.generated.js';

/** Which build of the kernels runs: plain SIMD128 (multiply + add) or relaxed-SIMD fused multiply-add. */
export type SimdVariant = 'plain' | 'relaxed';

/** What this runtime's WebAssembly can do, probed once. */
export interface WasmFeatures {
  /** SIMD128: without it the `wasm` backend is unavailable. */
  readonly simd: boolean;
  /** Relaxed SIMD (`f32x4.relaxed_madd`): on by default in newer runtimes, behind a flag in Node 20. */
  readonly relaxedSimd: boolean;
  /** Shared WebAssembly memory (needs cross-origin isolation in browsers). */
  readonly sharedMemory: boolean;
}

const decoded = new Map<string, Uint8Array<ArrayBuffer>>();

/** The binary of one compiled variant, decoded from the bundle once. */
export function wasmBinary(variant: SimdVariant, shared: boolean): Uint8Array<ArrayBuffer> {
  const key = (variant === 'plain' ? 'plain' : 'relaxed') + (shared ? 'Shared' : '');
  return decode(key as keyof typeof wasmBinaries);
}

function decode(key: keyof typeof wasmBinaries): Uint8Array<ArrayBuffer> {
  let bytes = decoded.get(key);
  if (!bytes) {
    const text = atob(wasmBinaries[key]);
    bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    decoded.set(key, bytes);
  }
  return bytes;
}

let features: WasmFeatures | undefined;

/** Probes SIMD, relaxed SIMD and shared memory by validating tiny modules (cached). */
export function wasmFeatures(): WasmFeatures {
  if (features) return features;
  const hasWasm = typeof WebAssembly === 'object' && typeof WebAssembly.validate === 'function';
  const simd = hasWasm && WebAssembly.validate(decode('plain'));
  const relaxedSimd = simd && WebAssembly.validate(decode('relaxedProbe'));
  let sharedMemory = false;
  if (simd && typeof SharedArrayBuffer === 'function') {
    try {
      sharedMemory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer instanceof SharedArrayBuffer;
    } catch {
      sharedMemory = false;
    }
  }
  features = { simd, relaxedSimd, sharedMemory };
  return features;
}
