import { describe, expect, it } from 'vitest';
import { describeBackend } from '../../src/train/backend-info.js';

describe('describeBackend', () => {
  it('names the backend, the SIMD build, the thread count and the isolation', () => {
    expect(describeBackend({ backend: 'wasm', variant: 'plain', threads: 2, crossOriginIsolated: true })).toBe('wasm · SIMD128 · 2 threads (cross-origin isolated)');
    expect(describeBackend({ backend: 'wasm', variant: 'relaxed', threads: 4, crossOriginIsolated: true })).toBe(
      'wasm · relaxed SIMD · 4 threads (cross-origin isolated)',
    );
    expect(describeBackend({ backend: 'wasm', variant: 'plain', threads: 1, crossOriginIsolated: false })).toBe(
      'wasm · SIMD128 · 1 thread (not cross-origin isolated: no shared memory)',
    );
    expect(describeBackend({ backend: 'js', variant: 'unavailable', threads: 1, crossOriginIsolated: false })).toBe(
      'js · 1 thread (not cross-origin isolated: no shared memory)',
    );
  });

  it('says when the SIMD build was picked by timing (it can change between reloads)', () => {
    expect(describeBackend({ backend: 'wasm', variant: 'relaxed', relaxedAvailable: true, threads: 2, crossOriginIsolated: true })).toBe(
      'wasm · relaxed SIMD (faster than SIMD128 in a start-up timing; may differ after a reload) · 2 threads (cross-origin isolated)',
    );
    expect(describeBackend({ backend: 'wasm', variant: 'plain', relaxedAvailable: true, threads: 1, crossOriginIsolated: true })).toBe(
      'wasm · SIMD128 (faster than relaxed SIMD in a start-up timing; may differ after a reload) · 1 thread (cross-origin isolated)',
    );
  });
});
