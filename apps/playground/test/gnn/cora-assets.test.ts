// The vite plugin that gives the page Cora: the three files served at
// cora/<file> in development and copied into the build, nothing else.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CORA_FILES, coraAssets } from '../../vite-plugins/cora-assets.js';

const dir = mkdtempSync(join(tmpdir(), 'dl-cora-assets-'));
for (const name of CORA_FILES) writeFileSync(join(dir, name), `${name} bytes\n`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Emitted = { type: string; fileName: string; source: Buffer };

function build(plugin: ReturnType<typeof coraAssets>): { emitted: Emitted[]; warnings: string[] } {
  const emitted: Emitted[] = [];
  const warnings: string[] = [];
  const hook = plugin.generateBundle as unknown as (this: unknown) => void;
  hook.call({ emitFile: (f: Emitted) => void emitted.push(f), warn: (m: string) => void warnings.push(m) });
  return { emitted, warnings };
}

describe('coraAssets', () => {
  it('copies the three files into the build under cora/', () => {
    const { emitted, warnings } = build(coraAssets(dir));
    expect(emitted.map((f) => f.fileName)).toEqual(['cora/cora.content', 'cora/cora.cites', 'cora/planetoid_index_map.tsv']);
    expect(emitted[1]!.source.toString()).toBe('cora.cites bytes\n');
    expect(warnings).toEqual([]);
  });

  it('warns, and copies nothing, when the folder lacks them', () => {
    const { emitted, warnings } = build(coraAssets(join(dir, 'missing')));
    expect(emitted).toEqual([]);
    expect(warnings[0]).toMatch(/no Cora files in .*missing/);
  });

  it('serves only those files in development', async () => {
    let handler: ((req: { url?: string }, res: unknown, next: () => void) => void) | undefined;
    const hook = coraAssets(dir).configureServer as unknown as (server: unknown) => void;
    hook({ middlewares: { use: (h: typeof handler) => void (handler = h) } });
    const { PassThrough } = await import('node:stream');
    const serve = (url: string) =>
      new Promise<{ body: string; headers: Record<string, string> } | 'next'>((resolve) => {
        const res = Object.assign(new PassThrough(), { headers: {} as Record<string, string>, setHeader(k: string, v: string) { this.headers[k] = v; } });
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ body, headers: res.headers }));
        handler!({ url }, res, () => resolve('next'));
      });
    expect(await serve('/cora/cora.cites?import')).toEqual({ body: 'cora.cites bytes\n', headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': '17' } });
    expect(await serve('/cora/README')).toBe('next');
    expect(await serve('/cora/../package.json')).toBe('next');
    expect(await serve('/mnist/cora.cites')).toBe('next');
  });
});
