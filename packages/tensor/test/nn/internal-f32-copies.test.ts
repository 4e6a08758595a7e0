import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';

const pkg = fileURLToPath(new URL('../../', import.meta.url));

describe('float32 copies of the layers’ loops', () => {
  it('match a fresh run of scripts/gen-f32-copies.mjs (written from the generic bodies, not by hand)', () => {
    // Exits non-zero, failing the test, when a copy differs from its generic function.
    execFileSync(process.execPath, ['scripts/gen-f32-copies.mjs', '--check'], { cwd: pkg, stdio: 'pipe' });
  }, 30_000);
});
