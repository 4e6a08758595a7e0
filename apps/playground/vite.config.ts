import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { isolationHeaders } from './vite-plugins/isolation-headers.js';
import { mnistAssets } from './vite-plugins/mnist-assets.js';
import { coraAssets } from './vite-plugins/cora-assets.js';

export default defineConfig({
  root: resolve(import.meta.dirname, 'web'),
  // Relative asset URLs: the built folder can be hosted under any path.
  base: './',
  plugins: [mnistAssets(), coraAssets()],
  worker: { format: 'es' },
  build: {
    outDir: resolve(import.meta.dirname, 'dist'),
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: {
      input: {
        main: resolve(import.meta.dirname, 'web/index.html'),
        selfcheck: resolve(import.meta.dirname, 'web/selfcheck.html'),
      },
    },
  },
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders },
});
