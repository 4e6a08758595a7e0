import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  IDX_MAGIC_IMAGES,
  IDX_MAGIC_LABELS,
  IdxFormatError,
  encodeIdx,
  formatMagic,
  parseIdx,
  parseIdxHeader,
  parseIdxImages,
  parseIdxLabels,
  readIdxFile,
} from '../../src/data/idx.js';

/** Builds an IDX file byte by byte, independently of encodeIdx, so the encoder is tested too. */
function rawIdx(magic: number, dims: number[], data: number[]): Uint8Array {
  const bytes = [(magic >>> 24) & 0xff, (magic >>> 16) & 0xff, (magic >>> 8) & 0xff, magic & 0xff];
  for (const d of dims) bytes.push((d >>> 24) & 0xff, (d >>> 16) & 0xff, (d >>> 8) & 0xff, d & 0xff);
  return Uint8Array.from([...bytes, ...data]);
}

const imagePixels = Array.from({ length: 2 * 3 * 4 }, (_, i) => i * 10);

describe('parseIdxHeader', () => {
  it('reads magic and big-endian dims', () => {
    const h = parseIdxHeader(rawIdx(0x803, [60000, 28, 28], []), 'x');
    expect(h.magic).toBe(IDX_MAGIC_IMAGES);
    expect(h.type).toBe(0x08);
    expect(h.dims).toEqual([60000, 28, 28]);
    expect(h.headerBytes).toBe(16);
    expect(h.dataBytes).toBe(60000 * 28 * 28);
  });

  it('decodes dims above 2^31 as unsigned', () => {
    expect(parseIdxHeader(rawIdx(0x801, [0x80000001], []), 'x').dims).toEqual([0x80000001]);
  });

  it('honours the byteOffset of a view into a larger buffer', () => {
    const file = rawIdx(0x801, [3], [7, 8, 9]);
    const padded = new Uint8Array(file.length + 5);
    padded.set(file, 5);
    const arr = parseIdx(padded.subarray(5), 'x');
    expect(arr.dims).toEqual([3]);
    expect([...arr.data]).toEqual([7, 8, 9]);
  });
});

describe('parseIdx', () => {
  it('parses a synthetic image file', () => {
    const img = parseIdxImages(rawIdx(0x803, [2, 3, 4], imagePixels), 'imgs');
    expect(img).toMatchObject({ count: 2, rows: 3, cols: 4 });
    expect([...img.pixels]).toEqual(imagePixels);
  });

  it('parses a synthetic label file', () => {
    const lab = parseIdxLabels(rawIdx(0x801, [5], [5, 0, 4, 1, 9]), 'labs');
    expect(lab.count).toBe(5);
    expect([...lab.labels]).toEqual([5, 0, 4, 1, 9]);
  });

  it('parses arrays of any rank and empty arrays', () => {
    expect(parseIdx(rawIdx(0x802, [2, 2], [1, 2, 3, 4]), 'x').dims).toEqual([2, 2]);
    const empty = parseIdxImages(rawIdx(0x803, [0, 28, 28], []), 'x');
    expect(empty.count).toBe(0);
    expect(empty.pixels.length).toBe(0);
  });

  it('round-trips through encodeIdx', () => {
    const data = Uint8Array.from(imagePixels);
    const bytes = encodeIdx([2, 3, 4], data);
    expect([...bytes]).toEqual([...rawIdx(0x803, [2, 3, 4], imagePixels)]);
    expect([...parseIdx(bytes, 'x').data]).toEqual(imagePixels);
  });
});

describe('parseIdx errors', () => {
  it('is an IdxFormatError naming the source', () => {
    const err = (() => {
      try {
        parseIdxLabels(rawIdx(0x803, [1, 1, 1], [0]), 'data/labels.idx');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(IdxFormatError);
    expect((err as IdxFormatError).source).toBe('data/labels.idx');
    expect((err as IdxFormatError).message).toMatch(/^data\/labels\.idx: /);
  });

  it('names the magic found and expected', () => {
    expect(() => parseIdxLabels(rawIdx(0x803, [1, 1, 1], [0]), 'labels.idx')).toThrow(
      'labels.idx: bad magic 0x00000803 (unsigned byte, 3 dims), expected 0x00000801 (unsigned byte, 1 dim)',
    );
    expect(() => parseIdxImages(rawIdx(0x801, [1], [0]), 'images.idx')).toThrow(
      'images.idx: bad magic 0x00000801 (unsigned byte, 1 dim), expected 0x00000803 (unsigned byte, 3 dims)',
    );
  });

  it('rejects non-IDX magics and hints at gzip', () => {
    expect(() => parseIdx(rawIdx(0x12345678, [], []), 'f')).toThrow(/f: bad magic 0x12345678 \(not an IDX magic/);
    expect(() => parseIdx(Uint8Array.from([0x1f, 0x8b, 8, 0, 0, 0]), 'f.gz')).toThrow(/gzip-compressed/);
  });

  it('rejects element types other than unsigned byte', () => {
    expect(() => parseIdx(rawIdx(0xd01, [1], [0, 0, 0, 0]), 'floats')).toThrow(
      /floats: unsupported magic 0x00000d01 \(float32, 1 dim\)/,
    );
  });

  it('rejects zero dimensions', () => {
    expect(() => parseIdx(rawIdx(0x800, [], []), 'f')).toThrow(/declares 0 dimensions/);
  });

  it('rejects a file too short for the magic', () => {
    expect(() => parseIdx(Uint8Array.from([0, 0, 8]), 'tiny')).toThrow('tiny: file is 3 bytes, too short');
  });

  it('rejects a truncated header', () => {
    const bytes = rawIdx(0x803, [2, 3, 4], []).subarray(0, 10);
    expect(() => parseIdx(bytes, 'f')).toThrow('f: truncated header: magic 0x00000803 declares 3 dims, needing 16 header bytes, but the file has 10');
  });

  it('rejects truncated data, naming the declared shape', () => {
    const bytes = rawIdx(0x803, [2, 3, 4], imagePixels.slice(0, 20));
    expect(() => parseIdxImages(bytes, 'imgs')).toThrow(
      'imgs: truncated data: header declares shape [2, 3, 4] = 24 bytes, but only 20 follow the header',
    );
  });

  it('rejects trailing bytes', () => {
    const bytes = rawIdx(0x801, [2], [1, 2, 3]);
    expect(() => parseIdxLabels(bytes, 'labs')).toThrow('labs: 1 unexpected trailing bytes: header declares shape [2] = 2 bytes');
  });

  it('rejects shapes too large to address', () => {
    expect(() => parseIdx(rawIdx(0x803, [0xffffffff, 0xffffffff, 0xffffffff], []), 'f')).toThrow(/too large/);
  });
});

describe('formatMagic', () => {
  it('pads to 8 hex digits', () => {
    expect(formatMagic(IDX_MAGIC_LABELS)).toBe('0x00000801');
    expect(formatMagic(0xffffffff)).toBe('0xffffffff');
  });
});

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
