import { getNumThreads, wasmFeatures } from '@dl/tensor';

/**
 * What this browser gives the kernels, read on the main thread: SIMD builds,
 * shared memory, cross-origin isolation and the thread count the workers will
 * use. Each card also reports what its own worker actually runs on.
 */
export function mountRuntimeInfo(root: HTMLElement): void {
  const f = wasmFeatures();
  const isolated = globalThis.crossOriginIsolated === true;
  const threads = f.sharedMemory ? getNumThreads() : 1;
  const plural = threads === 1 ? '' : 's';
  const items: Array<[string, boolean, string]> = [
    ['WebAssembly SIMD128', f.simd, f.simd ? 'kernels run in WebAssembly' : 'falling back to JavaScript kernels'],
    ['relaxed SIMD', f.relaxedSimd, f.relaxedSimd ? 'fused multiply-add build available; the faster of the two builds is picked by timing at start-up' : 'plain SIMD build'],
    // The thread count is what a visitor most wants to know: on the pill, not only in its tooltip.
    [
      isolated ? `cross-origin isolated · ${threads} thread${plural}` : 'not cross-origin isolated · 1 thread',
      isolated,
      isolated ? `shared memory: the kernels use up to ${threads} thread${plural}` : 'no shared memory: 1 thread (serve with COOP/COEP headers for more)',
    ],
  ];
  root.replaceChildren(
    ...items.map(([name, ok, detail]) => {
      const row = document.createElement('div');
      row.className = `runtime-item ${ok ? 'ok' : 'off'}`;
      row.title = detail;
      row.textContent = `${ok ? '✓' : '✗'} ${name}`;
      return row;
    }),
  );
  root.dataset['backend'] = f.simd ? 'wasm' : 'js';
  root.dataset['threads'] = String(threads);
}
