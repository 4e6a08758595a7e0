import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';

const pkg = fileURLToPath(new URL('../../', import.meta.url));

describe('generated elementwise loops', () => {
  it('match a fresh run of scripts/gen-f32-loops.mjs (the generated file is not stale)', () => {
    // Exits non-zero, failing the test, when the committed file differs from the table.
    execFileSync(process.execPath, ['scripts/gen-f32-loops.mjs', '--check'], { cwd: pkg, stdio: 'pipe' });
  }, 30000);
});
