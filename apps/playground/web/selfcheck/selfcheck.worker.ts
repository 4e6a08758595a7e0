// Runs the fixed computation under every kernel configuration this browser
// supports and posts the fingerprints back to the page.
import { type SimdVariant, setNumThreads, setSimdVariant, wasmFeatures, wasmInfo, wasmThreadsReady, withBackend } from '@dl/tensor';
import { fixedComputation } from '../../src/selfcheck/fixed-computation.js';
import type { SelfCheckMessage, SelfCheckRun } from './protocol.js';

function timed(fn: () => SelfCheckRun['results']): { results: SelfCheckRun['results']; milliseconds: number } {
  const t0 = performance.now();
  const results = fn();
  return { results, milliseconds: performance.now() - t0 };
}

async function run(): Promise<SelfCheckMessage> {
  const features = wasmFeatures();
  const runs: SelfCheckRun[] = [];
  const variants: SimdVariant[] = features.simd ? ['plain', ...(features.relaxedSimd ? (['relaxed'] as const) : [])] : [];
  for (const variant of variants) {
    for (const threads of [1, 2]) {
      setSimdVariant(variant);
      setNumThreads(threads);
      const threadsUsed = await wasmThreadsReady();
      const { results, milliseconds } = timed(() => withBackend('wasm', fixedComputation));
      runs.push({ backend: 'wasm', variant: wasmInfo().variant, threadsRequested: threads, threadsUsed, milliseconds, results });
    }
  }
  for (const backend of ['js', 'reference']) {
    const { results, milliseconds } = timed(() => withBackend(backend, fixedComputation));
    runs.push({ backend, variant: 'unavailable', threadsRequested: 1, threadsUsed: 1, milliseconds, results });
  }
  return { type: 'report', report: { crossOriginIsolated: globalThis.crossOriginIsolated === true, features, runs } };
}

self.onmessage = () => {
  run().then(
    (message) => self.postMessage(message),
    (error: unknown) => self.postMessage({ type: 'error', message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) } satisfies SelfCheckMessage),
  );
};
