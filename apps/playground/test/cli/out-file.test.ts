import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkOutPath, writeFileAtomic } from '../../src/cli/out-file.js';

const dir = mkdtempSync(join(tmpdir(), 'dl-out-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const temporaries = (folder: string) => readdirSync(folder).filter((n) => n.endsWith('.tmp'));

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

describe('writeFileAtomic', () => {
  it('replaces a file with all of the new bytes and leaves no temporary file', () => {
    const path = join(dir, 'atomic.bin');
    writeFileSync(path, 'old');
    writeFileAtomic(path, new Uint8Array([1, 2, 3]));
    expect([...readFileSync(path)]).toEqual([1, 2, 3]);
    expect(temporaries(dir)).toEqual([]);
  });

  it('when the final rename fails, removes its temporary file and leaves what was there', () => {
    // A non-empty folder cannot be replaced by a file: the bytes are written, the rename fails.
    const target = join(dir, 'occupied');
    mkdirSync(target, { recursive: true });
    writeFileSync(join(target, 'inside'), 'kept');
    expect(message(() => writeFileAtomic(target, new Uint8Array(100)))).toMatch(/^could not write .*occupied: E[A-Z]+: .*; any previous file there is unchanged$/);
    expect(readFileSync(join(target, 'inside'), 'utf8')).toBe('kept');
    expect(temporaries(dir)).toEqual([]);
  });
});
