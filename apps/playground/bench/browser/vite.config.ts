import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { type Plugin, defineConfig } from 'vite';
import { isolationHeaders } from '../../vite-plugins/isolation-headers.js';
import { mnistAssets } from '../../vite-plugins/mnist-assets.js';

// TensorFlow.js's own prebuilt scripts and wasm binaries, package by package.
const TFJS_FILES: Record<string, string[]> = {
  'tfjs-core': ['tf-core.min.js'],
  'tfjs-backend-cpu': ['tf-backend-cpu.min.js'],
  'tfjs-layers': ['tf-layers.min.js'],
  'tfjs-backend-wasm': ['tf-backend-wasm.min.js', 'tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'],
};

/** Copies TensorFlow.js's prebuilt files to `tfjs/`, where the benchmark's tfjs worker loads them from. */
function tfjsAssets(): Plugin {
  const require = createRequire(import.meta.url);
  return {
    name: 'dl-bench-tfjs-files',
    generateBundle() {
      for (const [pkg, files] of Object.entries(TFJS_FILES)) {
        const dir = join(dirname(require.resolve(`@tensorflow/${pkg}/package.json`)), 'dist');
        for (const name of files) this.emitFile({ type: 'asset', fileName: `tfjs/${name}`, source: readFileSync(join(dir, name)) });
      }
    },
  };
}

export default defineConfig({
  root: resolve(import.meta.dirname, 'page'),
  base: './',
  plugins: [mnistAssets(), tfjsAssets()],
  worker: { format: 'es' },
  build: { outDir: resolve(import.meta.dirname, '../../out/bench-browser'), emptyOutDir: true, target: 'es2022' },
  preview: { headers: isolationHeaders },
  logLevel: 'warn',
});
