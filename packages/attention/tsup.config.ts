import { defineConfig } from 'tsup';

// ESM only: the CommonJS entry (dist/index.cjs) is written after this build by
// tools/write-cjs-entry.mjs and loads this ESM build with require(esm), so an
// app that imports and requires the package still gets one copy of it.
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
});
