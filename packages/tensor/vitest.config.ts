import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@dl/source'] },
  test: { include: ['test/**/*.test.ts'] },
});
