import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imagePixels, rawIdx } from './raw-idx.js';
import { IDX_MAGIC_IMAGES } from '../../src/data/idx.js';
import { readIdxFile } from '../../src/data/idx-file.js';


describe('readIdxFile', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'idx-test-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a whole file', async () => {
    const path = join(dir, 'whole');
    await writeFile(path, rawIdx(0x803, [2, 3, 4], imagePixels));
    const arr = await readIdxFile(path, { expectedMagic: IDX_MAGIC_IMAGES });
    expect(arr.dims).toEqual([2, 3, 4]);
    expect(arr.declaredDims).toEqual([2, 3, 4]);
    expect([...arr.data]).toEqual(imagePixels);
  });

  it('reads only a prefix with limit, clamped to the declared count', async () => {
    const path = join(dir, 'prefix');
    await writeFile(path, rawIdx(0x803, [2, 3, 4], imagePixels));
    const one = await readIdxFile(path, { limit: 1 });
    expect(one.dims).toEqual([1, 3, 4]);
    expect(one.declaredDims).toEqual([2, 3, 4]);
    expect([...one.data]).toEqual(imagePixels.slice(0, 12));
    expect((await readIdxFile(path, { limit: 99 })).dims).toEqual([2, 3, 4]);
    expect((await readIdxFile(path, { limit: 0 })).data.length).toBe(0);
  });

  it('checks the file size against the header even with a limit', async () => {
    const path = join(dir, 'truncated');
    await writeFile(path, rawIdx(0x803, [2, 3, 4], imagePixels.slice(0, 23)));
    await expect(readIdxFile(path, { limit: 1 })).rejects.toThrow(`${path}: truncated data: header declares shape [2, 3, 4] = 24 bytes, but only 23 follow`);
  });

  it('names the file on a wrong magic or a short file', async () => {
    const labels = join(dir, 'labels');
    await writeFile(labels, rawIdx(0x801, [1], [3]));
    await expect(readIdxFile(labels, { expectedMagic: IDX_MAGIC_IMAGES })).rejects.toThrow(`${labels}: bad magic 0x00000801`);
    const tiny = join(dir, 'tiny');
    await writeFile(tiny, Uint8Array.from([0, 0]));
    await expect(readIdxFile(tiny)).rejects.toThrow(`${tiny}: file is 2 bytes`);
    const header = join(dir, 'header');
    await writeFile(header, rawIdx(0x803, [2, 3], []));
    await expect(readIdxFile(header)).rejects.toThrow(`${header}: truncated header`);
  });

  it('rejects a bad limit', async () => {
    await expect(readIdxFile(join(dir, 'whole'), { limit: -1 })).rejects.toThrow(RangeError);
    await expect(readIdxFile(join(dir, 'whole'), { limit: 1.5 })).rejects.toThrow(RangeError);
  });
});
