import { describe, expect, it } from 'vitest';
import { wasmFeatures } from '../../../src/index.js';
import { wasmBinary } from '../../../src/kernels/wasm/modules.js';

describe('embedded WebAssembly modules', () => {
  // That they match a fresh compile of assembly/: test/generated-files.test.ts.
  it('probe the runtime: Node 20 has SIMD128 and shared memory; relaxed SIMD only behind its flag', () => {
    const f = wasmFeatures();
    expect(f.simd).toBe(true);
    expect(f.sharedMemory).toBe(true);
    const flagged = process.execArgv.includes('--experimental-wasm-relaxed-simd');
    const major = Number(process.versions.node.split('.')[0]);
    if (major === 20) expect(f.relaxedSimd).toBe(flagged);
    // Each variant validates exactly where its features exist.
    expect(WebAssembly.validate(wasmBinary('plain', false))).toBe(true);
    expect(WebAssembly.validate(wasmBinary('relaxed', true))).toBe(f.relaxedSimd);
  });
});
