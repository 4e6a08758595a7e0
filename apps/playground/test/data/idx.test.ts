import { describe, expect, it } from 'vitest';
import { imagePixels, rawIdx } from './raw-idx.js';
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
} from '../../src/data/idx.js';


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
