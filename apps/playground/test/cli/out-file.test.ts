import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkOutPath } from '../../src/cli/out-file.js';

const dir = mkdtempSync(join(tmpdir(), 'dl-out-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('no error');
}

describe('checkOutPath', () => {
  it('accepts a new file in a new folder, creating the folder and leaving no probe behind', () => {
    const path = join(dir, 'new', 'weights.safetensors');
    expect(checkOutPath(path, 1000)).toBe(path);
    expect(readdirSync(join(dir, 'new'))).toEqual([]);
  });

  it('leaves an existing file untouched', () => {
    const path = join(dir, 'old.safetensors');
    writeFileSync(path, 'previous weights');
    checkOutPath(path, 1 << 20);
    expect(readFileSync(path, 'utf8')).toBe('previous weights');
  });

  it('refuses an empty path, a folder, a device and a path under a file, each in one line', () => {
    const file = join(dir, 'plain');
    writeFileSync(file, 'x');
    const cases: Array<[string, RegExp]> = [
      ['', /^--out is empty; give a file path such as out\/mnist-mlp\.safetensors$/],
      [dir, /^--out .* is a folder; give a file path$/],
      ['/dev/full', /^--out \/dev\/full is not a regular file; give a file path$/],
      [join(file, 'weights.safetensors'), /^--out .*plain\/weights\.safetensors: part of that path is a file, not a folder$/],
    ];
    for (const [path, pattern] of cases) expect(message(() => checkOutPath(path, 10)), path).toMatch(pattern);
  });
});
