// Builds the page as static files (what a user would host) and serves the
// folder twice: with the cross-origin isolation headers, as `vite preview`
// does for users, and without them, as a plain static host would.
import { resolve } from 'node:path';
import { build, preview, type PreviewServer } from 'vite';
import type { TestProject } from 'vitest/node';

const app = resolve(import.meta.dirname, '../..');
const outDir = resolve(app, 'dist');

declare module 'vitest' {
  export interface ProvidedContext {
    isolatedUrl: string;
    plainUrl: string;
  }
}

function urlOf(server: PreviewServer): string {
  const url = server.resolvedUrls?.local[0];
  if (url === undefined) throw new Error('e2e setup: vite preview reported no local URL');
  return url;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await build({ configFile: resolve(app, 'vite.config.ts'), logLevel: 'warn' });
  const isolated = await preview({ configFile: resolve(app, 'vite.config.ts'), logLevel: 'warn', preview: { port: 0, host: '127.0.0.1' } });
  const plain = await preview({
    configFile: false,
    root: resolve(app, 'web'),
    build: { outDir },
    logLevel: 'warn',
    preview: { port: 0, host: '127.0.0.1' },
  });
  project.provide('isolatedUrl', urlOf(isolated));
  project.provide('plainUrl', urlOf(plain));
  return async () => {
    await Promise.all([isolated.close(), plain.close()]);
  };
}
