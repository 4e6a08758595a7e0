import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const pkg = fileURLToPath(new URL('../../../', import.meta.url));

describe('where the WebAssembly kernels cannot start', () => {
  it('ops run on the js backend after one warning (a process limited to 4 GB of address space)', () => {
    // The built package: the test command builds before it tests.
    expect(existsSync(`${pkg}dist/index.js`), 'build @dl/tensor first (the README test command does)').toBe(true);
    const run = spawnSync('bash', ['-c', `ulimit -v 4000000 && exec "${process.execPath}" test/fixtures/wasm-unusable.mjs`], { cwd: pkg, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout.trim())).toEqual({ backend: 'js', ok: true, shape: [64, 64], variant: 'unavailable' });
    const warnings = run.stderr.split('\n').filter((l) => l.includes('@dl/tensor:'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/the WebAssembly kernels could not start \(.*\); running on the js backend/);
  }, 60_000);
});
