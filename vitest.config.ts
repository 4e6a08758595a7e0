import { readdirSync, existsSync } from 'node:fs';
import { configDefaults, defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';
import { sourceConditions } from './vitest.shared.js';

// One vitest process runs every workspace project with the kernels' worker
// threads on (the default), and the packages whose tests run the kernels —
// the core and the engine — a second time on a single thread, so both modes
// of the wasm backend stay correct. The kernel tests run a third time with
// relaxed SIMD switched on (Node 20 keeps it behind a flag), and the
// playground's browser tests run once in Chromium.
const dirs = ['packages', 'apps'].flatMap((group) =>
  readdirSync(group)
    .map((name) => `${group}/${name}`)
    .filter((dir) => existsSync(`${dir}/vitest.config.ts`)),
);
// Packages run again on one thread: the others' tests exercise their own
// logic through small ops, the same whatever the thread count.
const kernelDirs = ['packages/tensor', 'packages/autograd'];
// Tests whose result cannot depend on the thread mode or the SIMD build
// (generated files, a bundle, child processes): run once, in the default pass.
const onceOnly = ['test/generated-files.test.ts', 'test/bundle.test.ts', 'test/garbage-in.test.ts', 'test/kernels/wasm/fallback.test.ts', 'test/io/safetensors-file.test.ts'];

const project = (dir: string, suffix: string, test: TestProjectInlineConfiguration['test']): TestProjectInlineConfiguration => ({
  extends: `./${dir}/vitest.config.ts`,
  root: dir,
  test: { name: `${dir.split('/')[1]}${suffix}`, ...test },
});

export default defineConfig({
  ...sourceConditions,
  test: {
    projects: [
      ...dirs.map((dir) => project(dir, '', {})),
      ...kernelDirs.map((dir) => project(dir, ' · 1 thread', { env: { DL_NUM_THREADS: '1' }, exclude: [...configDefaults.exclude, ...onceOnly] })),
      // Chromium against the built page, once (not per thread mode): the page
      // itself runs the kernels on as many threads as the browser allows.
      {
        ...sourceConditions,
        root: 'apps/playground',
        test: {
          name: 'playground · browser',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/e2e/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 120_000,
        },
      },
      // What would be published, once: packs every package with the release
      // tooling, installs the tarballs with npm into a project outside the
      // workspace and uses them; runs `changeset version` on a scratch copy.
      // The tests spawn processes, so thread modes do not apply.
      {
        root: 'tools',
        test: {
          name: 'publish',
          include: ['test/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
      // Not `extends`: vitest concatenates an extended project's include list.
      {
        ...sourceConditions,
        root: 'packages/tensor',
        test: {
          name: 'tensor · relaxed SIMD',
          include: ['test/kernels/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...onceOnly],
          execArgv: ['--experimental-wasm-relaxed-simd'],
          env: { DL_WASM_SIMD: 'relaxed' },
        },
      },
    ],
  },
});
