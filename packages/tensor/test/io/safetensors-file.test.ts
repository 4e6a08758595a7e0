// Issue 17, item 2: weight files are written atomically (a temporary file in
// the same folder, then a rename), so a failed write never leaves a previous
// file truncated; Node-only helpers that refuse clearly elsewhere.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DLError, ValueError, readSafetensorsFile, saveSafetensors, tensor, writeSafetensorsFile } from '../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'dl-safetensors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const weights = () => ({ w: tensor([[1, 2], [3, 4]]), b: tensor([0.5, -0.5], { dtype: 'float64' }), n: tensor(7, { dtype: 'int32' }) });

/** Writes a first, good file at `name` and returns its path and bytes. */
function previous(name: string): { path: string; bytes: Buffer } {
  const path = join(dir, name);
  writeSafetensorsFile(path, weights(), { step: '1' });
  return { path, bytes: readFileSync(path) };
}

const leftovers = () => readdirSync(dir).filter((f) => f.endsWith('.tmp'));

describe('writeSafetensorsFile / readSafetensorsFile', () => {
  it('round-trips tensors and metadata, byte for byte what saveSafetensors makes', () => {
    const path = join(dir, 'round.safetensors');
    writeSafetensorsFile(path, weights(), { format: 'pt' });
    expect(readFileSync(path)).toEqual(Buffer.from(saveSafetensors(weights(), { format: 'pt' })));
    const { tensors, metadata } = readSafetensorsFile(path);
    expect(metadata).toEqual({ format: 'pt' });
    expect(tensors.get('w')!.toArray()).toEqual([[1, 2], [3, 4]]);
    expect(tensors.get('b')!.dtype).toBe('float64');
    expect(tensors.get('n')!.item()).toBe(7);
    expect(leftovers()).toEqual([]);
  });

  it('replaces a previous file whole and keeps its permissions', () => {
    const { path } = previous('replace.safetensors');
    chmodSync(path, 0o640);
    writeSafetensorsFile(path, { only: tensor([9]) });
    expect([...readSafetensorsFile(path).tensors.keys()]).toEqual(['only']);
    expect(statSync(path).mode & 0o777).toBe(0o640);
  });

  it('a refused tensor writes nothing: the previous file stays', () => {
    const { path, bytes } = previous('refused.safetensors');
    expect(() => writeSafetensorsFile(path, { w: [1, 2] as never })).toThrow('saveSafetensors: value for "w" is not a Tensor');
    expect(readFileSync(path)).toEqual(bytes);
    expect(leftovers()).toEqual([]);
  });

  it('paths that cannot take the file are refused in one line, naming the path', () => {
    const cases: [string, RegExp][] = [
      ['', /^writeSafetensorsFile: path must be a non-empty string, got string ''$/],
      [dir, /^writeSafetensorsFile: .* is a folder; give a file path$/],
      ['/dev/full', /^writeSafetensorsFile: \/dev\/full is not a regular file \(a device\?\); give a file path$/],
      [join(previous('a-file').path, 'under.safetensors'), /^writeSafetensorsFile: cannot write .*under\.safetensors: part of that path is a file, not a folder$/],
      [join(dir, 'no', 'such', 'folder.safetensors'), /^writeSafetensorsFile: could not write .*folder\.safetensors: ENOENT: .* \(does the folder .* exist\?\); a previous file there is unchanged$/],
    ];
    for (const [path, message] of cases) {
      const write = (): void => writeSafetensorsFile(path, weights());
      expect(write).toThrow(ValueError);
      expect(write).toThrow(message);
    }
    expect(statSync('/dev/full').isCharacterDevice()).toBe(true);
    expect(leftovers()).toEqual([]);
  });

  it('a write cut by a file-size limit fails with a DLError and leaves the previous file whole', () => {
    const { path, bytes } = previous('limited.safetensors');
    const pkg = fileURLToPath(new URL('../../', import.meta.url));
    // ulimit -f counts 1024-byte blocks: 64 KiB, against a 4 MiB file.
    const run = spawnSync('bash', ['-c', `ulimit -f 64 && exec "${process.execPath}" --import tsx test/fixtures/write-under-limit.ts "${path}"`], { cwd: pkg, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout.trim().split('\n').pop()!) as { wrote: boolean; dlError: boolean; message: string };
    expect(out.wrote).toBe(false);
    expect(out.dlError).toBe(true);
    expect(out.message).toMatch(/^writeSafetensorsFile: could not write .*limited\.safetensors: EFBIG: .*; a previous file there is unchanged$/);
    expect(readFileSync(path)).toEqual(bytes);
    expect(leftovers()).toEqual([]);
  }, 60_000);

  it('reading names the path when the file is missing or not safetensors', () => {
    expect(() => readSafetensorsFile(join(dir, 'missing.safetensors'))).toThrow(/^readSafetensorsFile: cannot read .*missing\.safetensors: ENOENT: /);
    const junk = join(dir, 'junk.safetensors');
    writeFileSync(junk, 'not a safetensors file at all');
    expect(() => readSafetensorsFile(junk)).toThrow(DLError);
    expect(() => readSafetensorsFile(junk)).toThrow(/^readSafetensorsFile: .*junk\.safetensors is not a file dl can load: loadSafetensors: /);
  });

  it('where node:fs cannot be reached (a browser) both refuse, saying what to use instead', () => {
    const proc = process as { getBuiltinModule?: unknown };
    const original = proc.getBuiltinModule;
    proc.getBuiltinModule = undefined;
    try {
      expect(() => writeSafetensorsFile(join(dir, 'x.safetensors'), weights())).toThrow(
        'writeSafetensorsFile: needs Node.js ≥ 20.16 (process.getBuiltinModule) to reach the file system; elsewhere (a browser) use saveSafetensors / loadSafetensors on bytes',
      );
      expect(() => readSafetensorsFile(join(dir, 'x.safetensors'))).toThrow(/^readSafetensorsFile: needs Node\.js ≥ 20\.16/);
    } finally {
      proc.getBuiltinModule = original;
    }
  });
});
