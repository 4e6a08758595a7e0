import { readdirSync, existsSync } from 'node:fs';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';
import { sourceConditions } from './vitest.shared.js';

// One vitest process runs every workspace project twice: once with the
// kernels' worker threads on (the default) and once on a single thread, so
// both modes of the wasm backend stay correct. The kernel tests run a third
// time with relaxed SIMD switched on (Node 20 keeps it behind a flag), and the
// playground's browser tests run once in Chromium.
const dirs = ['packages', 'apps'].flatMap((group) =>
  readdirSync(group)
    .map((name) => `${group}/${name}`)
    .filter((dir) => existsSync(`${dir}/vitest.config.ts`)),
);

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
      ...dirs.map((dir) => project(dir, ' · 1 thread', { env: { DL_NUM_THREADS: '1' } })),
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
          execArgv: ['--experimental-wasm-relaxed-simd'],
          env: { DL_WASM_SIMD: 'relaxed' },
        },
      },
    ],
  },
});
