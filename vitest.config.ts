import { defineConfig } from 'vitest/config';

// One vitest process runs every workspace project; the custom condition makes
// sibling imports resolve to TypeScript sources, so no build is needed first.
export default defineConfig({
  resolve: { conditions: ['@dl/source'] },
  test: {
    projects: ['packages/*', 'apps/*'],
  },
});
