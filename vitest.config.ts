import { defineConfig } from 'vitest/config';
import { sourceConditions } from './vitest.shared.js';

// One vitest process runs every workspace project.
export default defineConfig({
  ...sourceConditions,
  test: {
    projects: ['packages/*', 'apps/*'],
  },
});
