import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';

// Files written by scripts, committed so nothing needs a build step to run,
// must equal a fresh run of their script. Each script's --check exits
// non-zero (failing the test) when its output differs from the committed file.
const pkg = fileURLToPath(new URL('../', import.meta.url));
const fresh = (script: string): void => void execFileSync(process.execPath, [script, '--check'], { cwd: pkg, stdio: 'pipe' });

describe('generated files are not stale', () => {
  it('the embedded WebAssembly binaries match a fresh compile of assembly/ (scripts/build-wasm.mjs)', () => fresh('scripts/build-wasm.mjs'), 60_000);
  it('the elementwise loops match their table (scripts/gen-f32-loops.mjs)', () => fresh('scripts/gen-f32-loops.mjs'), 30_000);
  it('the layers’ float32 loop copies match their generic bodies (scripts/gen-f32-copies.mjs)', () => fresh('scripts/gen-f32-copies.mjs'), 30_000);
});
