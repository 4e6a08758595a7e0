import { defaultClientConditions, defaultServerConditions } from 'vite';
import { defineProject } from 'vitest/config';

// Sibling packages resolve to their TypeScript sources through the custom
// `@dl/source` export condition, so tests run without building first. Vite
// replaces (not extends) its default conditions when given a list, hence the spread.
export const sourceConditions = {
  resolve: { conditions: ['@dl/source', ...defaultClientConditions] },
  ssr: { resolve: { conditions: ['@dl/source', ...defaultServerConditions] } },
};

/** The vitest project config every workspace package uses. */
export function dlProject() {
  return defineProject({
    ...sourceConditions,
    test: { include: ['test/**/*.test.ts'] },
  });
}
