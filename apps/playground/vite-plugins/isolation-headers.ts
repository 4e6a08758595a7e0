/**
 * Shared memory (and so the kernels' worker threads) needs a cross-origin
 * isolated page; the dev and preview servers send these headers.
 */
export const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};
