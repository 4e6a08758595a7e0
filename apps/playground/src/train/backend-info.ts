/**
 * What the training worker computes on, as the card shows it.
 *
 * @packageDocumentation
 */

/** The worker's compute setup, gathered after its thread pool is ready. */
export interface BackendInfo {
  /** `getBackend().name`: `'wasm'`, `'js'` or `'reference'`. */
  backend: string;
  /** Kernel build: plain SIMD128, relaxed SIMD (fused multiply-add), or none. */
  variant: 'plain' | 'relaxed' | 'unavailable';
  /** Whether the browser offers relaxed SIMD, so the build was picked by a start-up timing of both. */
  relaxedAvailable?: boolean;
  /** Threads the kernels run on, the worker's own included. */
  threads: number;
  /** Whether the page is cross-origin isolated (needed for shared memory, hence threads). */
  crossOriginIsolated: boolean;
}

/**
 * One line for the card, e.g. `wasm · SIMD128 · 2 threads (cross-origin isolated)`.
 * Where both SIMD builds exist the kernels time them once at start-up and
 * keep the faster; on a busy machine the winner can change between reloads,
 * so the line says it was picked that way.
 *
 * @example describeBackend({ backend: 'wasm', variant: 'plain', threads: 2, crossOriginIsolated: true })
 */
export function describeBackend(info: BackendInfo): string {
  const parts = [info.backend];
  if (info.backend === 'wasm') {
    const build = info.variant === 'relaxed' ? 'relaxed SIMD' : 'SIMD128';
    const other = info.variant === 'relaxed' ? 'SIMD128' : 'relaxed SIMD';
    parts.push(info.relaxedAvailable ? `${build} (faster than ${other} in a start-up timing; may differ after a reload)` : build);
  }
  parts.push(`${info.threads} thread${info.threads === 1 ? '' : 's'}`);
  const isolation = info.crossOriginIsolated ? 'cross-origin isolated' : 'not cross-origin isolated: no shared memory';
  return `${parts.join(' · ')} (${isolation})`;
}
