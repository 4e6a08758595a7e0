// The real entry point in its own process: exit codes and stderr as a shell sees them.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const app = resolve(import.meta.dirname, '..');
const tsx = resolve(app, '../../node_modules/.bin/tsx');
const dir = mkdtempSync(join(tmpdir(), 'dl-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[], shellPrefix = ''): { status: number | null; stderr: string; stdout: string } {
  const command = `${shellPrefix}${JSON.stringify(tsx)} --conditions=@dl/source src/cli.ts ${args.map((a) => JSON.stringify(a)).join(' ')}`;
  const r = spawnSync('bash', ['-c', command], { cwd: app, encoding: 'utf8', env: { ...process.env, DL_NUM_THREADS: '1' } });
  return { status: r.status, stderr: r.stderr, stdout: r.stdout };
}

describe('the dl-playground command', () => {
  it('prints one line and exits 1 on a bad seed (no stack)', { timeout: 120_000 }, () => {
    const r = cli(['mnist', '--seed', 'abc']);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual(["error: option '--seed <n>' argument 'abc' is invalid. expected a whole number from 0 to 2147483647, got 'abc'"]);
  });

  it('refuses an --out that a file-size limit would cut, before training, and keeps the previous file whole', { timeout: 120_000 }, () => {
    const out = join(dir, 'weights.safetensors');
    writeFileSync(out, 'previous weights');
    // ulimit -f counts 1024-byte blocks here: 64 KB, while 784-256-10 weighs 0.8 MB.
    const r = cli(['mnist', '--out', out, '--epochs', '1', '--train-limit', '100'], 'ulimit -f 64; ');
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^error: --out ${out} cannot be written: EFBIG: file too large`))]);
    expect(r.stdout).not.toContain('epoch');
    expect(readFileSync(out, 'utf8')).toBe('previous weights');
  });
});
