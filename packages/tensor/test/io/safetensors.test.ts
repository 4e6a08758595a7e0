import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DTypeError,
  Generator,
  Linear,
  ReLU,
  Sequential,
  type Tensor,
  ValueError,
  loadSafetensors,
  readSafetensorsHeader,
  saveSafetensors,
  tensor,
  zeros,
} from '../../src/index.js';

const fixtureUrl = (name: string): URL => new URL(`../fixtures/${name}`, import.meta.url);
const readFixture = (name: string): Uint8Array => new Uint8Array(readFileSync(fixtureUrl(name)));

/** A file from a header (object or raw JSON text, padded to 8 like the reference) and a data section. */
function rawFile(header: object | string, data: Uint8Array = new Uint8Array(0), pad = true): Uint8Array {
  let json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  if (pad && json.length % 8 !== 0) {
    const padded = new Uint8Array(json.length + 8 - (json.length % 8)).fill(0x20);
    padded.set(json);
    json = padded;
  }
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

function headerText(bytes: Uint8Array): string {
  const n = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
  return new TextDecoder().decode(bytes.subarray(8, 8 + n));
}

/** Storage bytes of a tensor (exact bit patterns: NaN payloads, −0). */
function bitsOf(t: Tensor): number[] {
  return Array.from(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
}

function le(kind: 'u16' | 'i16' | 'u32' | 'i64' | 'u64', values: readonly (number | bigint)[]): Uint8Array {
  const size = kind === 'u16' || kind === 'i16' ? 2 : kind === 'u32' ? 4 : 8;
  const out = new Uint8Array(values.length * size);
  const v = new DataView(out.buffer);
  values.forEach((x, i) => {
    if (kind === 'u16') v.setUint16(2 * i, Number(x), true);
    else if (kind === 'i16') v.setInt16(2 * i, Number(x), true);
    else if (kind === 'u32') v.setUint32(4 * i, Number(x), true);
    else if (kind === 'i64') v.setBigInt64(8 * i, BigInt(x), true);
    else v.setBigUint64(8 * i, BigInt(x), true);
  });
  return out;
}

describe('saveSafetensors writes the reference layout', () => {
  it('matches the reference serializer byte for byte (one F32 tensor, header already a multiple of 8)', () => {
    const out = saveSafetensors({ 'attn.0': tensor([0, 1, 2, 3, 4, 5], { shape: [1, 2, 3] }) });
    const json = '{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}';
    expect(json.length).toBe(64);
    const expected = new Uint8Array(8 + 64 + 24);
    expected[0] = 64;
    expected.set(new TextEncoder().encode(json), 8);
    expected.set(new Uint8Array(new Float32Array([0, 1, 2, 3, 4, 5]).buffer), 72);
    expect(Array.from(out)).toEqual(Array.from(expected));
  });

  it('pads the header with spaces to a multiple of 8', () => {
    const out = saveSafetensors({ attn0: tensor([0, 1, 2, 3, 4, 5], { shape: [1, 1, 2, 3] }) });
    expect(out[0]).toBe(72);
    expect(headerText(out)).toBe('{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}       ');
    expect(out.length).toBe(8 + 72 + 24);
  });

  it('writes empty files and metadata as the reference does', () => {
    expect(Array.from(saveSafetensors({}))).toEqual([8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32]);
    const withMeta = saveSafetensors({}, { framework: 'pt' });
    expect(withMeta[0]).toBe(40);
    expect(headerText(withMeta)).toBe('{"__metadata__":{"framework":"pt"}}     ');
  });

  it('orders tensors by descending dtype, then by name as UTF-8 bytes', () => {
    const out = saveSafetensors(
      new Map<string, Tensor>([
        ['mask', tensor([true])],
        ['b', tensor([1])],
        ['a', tensor([1])],
        ['\u{1F600}', tensor([1])],
        ['\uFF5A', tensor([1])],
        ['é', tensor([1])],
        ['idx', tensor([1], { dtype: 'int32' })],
        ['z64', tensor([1], { dtype: 'float64' })],
      ]),
    );
    const { entries } = readSafetensorsHeader(out);
    // UTF-16 order would put U+1F600 (a surrogate pair) before U+FF5A; UTF-8 byte order puts it after.
    expect(entries.map((e) => e.name)).toEqual(['z64', 'a', 'b', 'é', '\uFF5A', '\u{1F600}', 'idx', 'mask']);
    expect(Object.keys(JSON.parse(headerText(out)) as object)).toEqual(['z64', 'a', 'b', 'é', '\uFF5A', '\u{1F600}', 'idx', 'mask']);
    expect(entries.map((e) => e.dataOffsets)).toEqual([[0, 8], [8, 12], [12, 16], [16, 20], [20, 24], [24, 28], [28, 32], [32, 33]]);
  });

  it('refuses reserved names, non-tensors and non-string metadata', () => {
    expect(() => saveSafetensors({ __metadata__: zeros([1]) })).toThrow(
      "saveSafetensors: '__metadata__' is reserved for the metadata map and cannot name a tensor",
    );
    expect(() => saveSafetensors({ a: [1, 2] as unknown as Tensor })).toThrow('saveSafetensors: value for "a" is not a Tensor');
    expect(() => saveSafetensors({}, { epoch: 3 as unknown as string })).toThrow(
      'saveSafetensors: metadata value for "epoch" is number; the format allows only strings',
    );
  });
});

describe('round trip', () => {
  it('keeps every dtype, shape and bit pattern', () => {
    const tensors = new Map<string, Tensor>([
      ['f32', tensor([0.1, -0, Number.NaN, Infinity, -Infinity, 1.401298464324817e-45], { shape: [2, 3] })],
      ['f64', tensor([0.1, -0, Number.NaN, 5e-324, -1e308], { dtype: 'float64' })],
      ['i32', tensor([-2147483648, 2147483647, 0], { dtype: 'int32' })],
      ['bool', tensor([[true, false], [false, true]])],
      ['scalar', tensor(7, { dtype: 'float64' })],
      ['empty', zeros([0, 3], { dtype: 'int32' })],
    ]);
    const { tensors: back, metadata } = loadSafetensors(saveSafetensors(tensors, { note: 'ünïcode ✓', empty: '' }));
    expect(metadata).toEqual({ note: 'ünïcode ✓', empty: '' });
    expect([...back.keys()].sort()).toEqual([...tensors.keys()].sort());
    for (const [name, t] of tensors) {
      const u = back.get(name)!;
      expect(u.dtype).toBe(t.dtype);
      expect([...u.shape]).toEqual([...t.shape]);
      expect(bitsOf(u)).toEqual(bitsOf(t));
    }
  });

  it('round-trips random tensor collections (property)', () => {
    const dtypes = ['float32', 'float64', 'int32', 'bool'] as const;
    const entry = fc.record({
      dtype: fc.constantFrom(...dtypes),
      shape: fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 }),
      seed: fc.integer(),
    });
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }).filter((s) => s !== '__metadata__'), entry, { maxKeys: 5 }), (spec) => {
        const tensors = new Map<string, Tensor>();
        for (const [name, { dtype, shape, seed }] of Object.entries(spec)) {
          const g = new Generator(seed);
          const n = shape.reduce((a, b) => a * b, 1);
          const values = Array.from({ length: n }, () => (dtype === 'bool' ? g.randint(0, 2) : dtype === 'int32' ? g.randint(-1000, 1000) : g.normal()));
          tensors.set(name, tensor(Float64Array.from(values), { shape, dtype }));
        }
        const bytes = saveSafetensors(tensors);
        expect(readSafetensorsHeader(bytes).dataStart % 8).toBe(0);
        const back = loadSafetensors(bytes).tensors;
        expect(back.size).toBe(tensors.size);
        for (const [name, t] of tensors) {
          expect(back.get(name)!.dtype).toBe(t.dtype);
          expect([...back.get(name)!.shape]).toEqual([...t.shape]);
          expect(bitsOf(back.get(name)!)).toEqual(bitsOf(t));
        }
        // Writing what was read gives the same bytes.
        expect(Array.from(saveSafetensors(back))).toEqual(Array.from(bytes));
      }),
      { numRuns: 60 },
    );
  });

  it('reads from a Uint8Array view at an unaligned offset of a larger buffer', () => {
    const file = saveSafetensors({ w: tensor([1.5, -2.25]), d: tensor([3], { dtype: 'float64' }) });
    const big = new Uint8Array(file.length + 5);
    big.set(file, 3);
    const { tensors } = loadSafetensors(big.subarray(3, 3 + file.length));
    expect(tensors.get('w')!.toFlatArray()).toEqual([1.5, -2.25]);
    expect(tensors.get('d')!.toFlatArray()).toEqual([3]);
  });

  it('loaded tensors own their storage', () => {
    const file = saveSafetensors({ w: tensor([1, 2]) });
    const t = loadSafetensors(file).tensors.get('w')!;
    file.fill(0);
    expect(t.toFlatArray()).toEqual([1, 2]);
  });
});

describe('loadSafetensors reads any valid layout and the other dtypes', () => {
  it('accepts entries in any JSON order and data in any order', () => {
    const data = new Uint8Array([...new Uint8Array(new Int32Array([7, 8]).buffer), ...new Uint8Array(new Float32Array([0.5]).buffer)]);
    const file = rawFile(
      '{"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]},"__metadata__":{"k":"v"},"a":{"dtype":"I32","shape":[2],"data_offsets":[0,8]}}',
      data,
    );
    const { tensors, metadata } = loadSafetensors(file);
    expect([...tensors.keys()]).toEqual(['a', 'b']);
    expect(tensors.get('a')!.toFlatArray()).toEqual([7, 8]);
    expect(tensors.get('b')!.toFlatArray()).toEqual([0.5]);
    expect(metadata).toEqual({ k: 'v' });
  });

  it('accepts an unpadded header', () => {
    const file = rawFile('{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]}}', new Uint8Array([3, 250]), false);
    expect(loadSafetensors(file).tensors.get('a')!.toFlatArray()).toEqual([3, 250]);
  });

  it('widens F16 and BF16 to float32 exactly', () => {
    const half = le('u16', [0x3c00, 0xc000, 0x7bff, 0x0001, 0x8000, 0x7c00, 0xfc00, 0x7e00, 0x3555]);
    const bf = le('u16', [0x3f80, 0xc049, 0x7f80, 0x0001]);
    const file = rawFile(
      { h: { dtype: 'F16', shape: [9], data_offsets: [0, 18] }, b: { dtype: 'BF16', shape: [4], data_offsets: [18, 26] } },
      new Uint8Array([...half, ...bf]),
    );
    const { tensors } = loadSafetensors(file);
    const h = tensors.get('h')!;
    expect(h.dtype).toBe('float32');
    const hv = h.toFlatArray();
    expect(hv.slice(0, 4)).toEqual([1, -2, 65504, 2 ** -24]);
    expect(Object.is(hv[4], -0)).toBe(true);
    expect(hv.slice(5, 7)).toEqual([Infinity, -Infinity]);
    expect(Number.isNaN(hv[7])).toBe(true);
    expect(hv[8]).toBe(0.333251953125);
    const b = tensors.get('b')!;
    expect(b.dtype).toBe('float32');
    expect(b.toFlatArray()).toEqual([1, -3.140625, Infinity, 2 ** -133]);
  });

  it('loads small integer dtypes as int32', () => {
    const parts = {
      u8: new Uint8Array([0, 255]),
      i8: new Uint8Array([0x80, 0x7f]),
      i16: le('i16', [-32768, 32767]),
      u16: le('u16', [0, 65535]),
      u32: le('u32', [0, 2147483647]),
      i64: le('i64', [-2147483648n, 2147483647n]),
      u64: le('u64', [0n, 2147483647n]),
    };
    const header: Record<string, object> = {};
    const dtypes: Record<string, string> = { u8: 'U8', i8: 'I8', i16: 'I16', u16: 'U16', u32: 'U32', i64: 'I64', u64: 'U64' };
    let off = 0;
    for (const [k, v] of Object.entries(parts)) {
      header[k] = { dtype: dtypes[k], shape: [2], data_offsets: [off, off + v.length] };
      off += v.length;
    }
    const file = rawFile(header, new Uint8Array(Object.values(parts).flatMap((p) => Array.from(p))));
    const { tensors } = loadSafetensors(file);
    const got = Object.fromEntries([...tensors].map(([k, t]) => [k, [t.dtype, t.toFlatArray()]]));
    expect(got).toEqual({
      u8: ['int32', [0, 255]],
      i8: ['int32', [-128, 127]],
      i16: ['int32', [-32768, 32767]],
      u16: ['int32', [0, 65535]],
      u32: ['int32', [0, 2147483647]],
      i64: ['int32', [-2147483648, 2147483647]],
      u64: ['int32', [0, 2147483647]],
    });
  });

  it('refuses 64-bit and U32 values outside int32, naming tensor, element and value', () => {
    const i64 = rawFile({ ids: { dtype: 'I64', shape: [2], data_offsets: [0, 16] } }, le('i64', [1n, 4294967296n]));
    expect(() => loadSafetensors(i64)).toThrow(ValueError);
    expect(() => loadSafetensors(i64)).toThrow(
      'loadSafetensors: tensor "ids" (I64) holds 4294967296 at element 1, outside the int32 range [-2147483648, 2147483647] dl loads integers into',
    );
    const neg = rawFile({ ids: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }, le('i64', [-9007199254740993n]));
    expect(() => loadSafetensors(neg)).toThrow(/holds -9007199254740993 at element 0/);
    const u64 = rawFile({ n: { dtype: 'U64', shape: [1], data_offsets: [0, 8] } }, le('u64', [18446744073709551615n]));
    expect(() => loadSafetensors(u64)).toThrow(/holds 18446744073709551615/);
    const u32 = rawFile({ n: { dtype: 'U32', shape: [1], data_offsets: [0, 4] } }, le('u32', [2147483648]));
    expect(() => loadSafetensors(u32)).toThrow(/tensor "n" \(U32\) holds 2147483648/);
  });

  it('refuses dtypes it cannot represent', () => {
    const f8 = rawFile({ q: { dtype: 'F8_E4M3', shape: [1], data_offsets: [0, 1] } }, new Uint8Array(1));
    expect(() => loadSafetensors(f8)).toThrow(DTypeError);
    expect(() => loadSafetensors(f8)).toThrow(/tensor "q" has dtype F8_E4M3, which dl cannot load/);
    // The header itself is still valid and can be inspected.
    expect(readSafetensorsHeader(f8).entries[0]!.dtype).toBe('F8_E4M3');
  });
});

describe('loadSafetensors validation', () => {
  const ok = { a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } };
  const eight = new Uint8Array(8);

  it('header length bounds', () => {
    expect(() => loadSafetensors(new Uint8Array(5))).toThrow('loadSafetensors: input is 5 bytes; a safetensors file starts with an 8-byte header length');
    const huge = new Uint8Array(16);
    new DataView(huge.buffer).setUint32(0, 100_000_001, true);
    expect(() => loadSafetensors(huge)).toThrow('loadSafetensors: header length 100000001 exceeds the 100000000-byte limit');
    const highWord = new Uint8Array(16);
    highWord[4] = 1;
    expect(() => loadSafetensors(highWord)).toThrow(/header length ≥ 2\^32/);
    const short = new Uint8Array(16);
    short[0] = 9;
    expect(() => loadSafetensors(short)).toThrow('loadSafetensors: header length is 9 bytes but only 8 bytes follow the length prefix');
  });

  it('header encoding and JSON', () => {
    const badUtf8 = new Uint8Array([2, 0, 0, 0, 0, 0, 0, 0, 0x7b, 0xff]);
    expect(() => loadSafetensors(badUtf8)).toThrow('loadSafetensors: header is not valid UTF-8');
    expect(() => loadSafetensors(rawFile(' {}'))).toThrow("loadSafetensors: header must be a JSON object starting with '{'");
    expect(() => loadSafetensors(rawFile('[1,2]'))).toThrow(/starting with '\{'/);
    expect(() => loadSafetensors(rawFile('{"a":'))).toThrow(/^loadSafetensors: header is not valid JSON: /);
    expect(() => loadSafetensors(rawFile({ __metadata__: { epoch: 3 } }))).toThrow(
      'loadSafetensors: __metadata__ value for "epoch" is 3; the format allows only strings',
    );
  });

  it('entries: dtype, shape, offsets', () => {
    expect(() => loadSafetensors(rawFile({ a: { dtype: 'Q4', shape: [1], data_offsets: [0, 1] } }, new Uint8Array(1)))).toThrow(
      /^loadSafetensors: tensor "a" has unknown dtype "Q4"; the format defines BOOL, U8/,
    );
    expect(() => loadSafetensors(rawFile({ a: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, eight.subarray(4)))).toThrow(
      'loadSafetensors: tensor "a" has shape [-1]; need an array of non-negative integers',
    );
    expect(() => loadSafetensors(rawFile({ a: { dtype: 'F32', shape: [1.5], data_offsets: [0, 4] } }, eight.subarray(4)))).toThrow(/has shape \[1.5\]/);
    expect(() => loadSafetensors(rawFile({ a: { dtype: 'F32', shape: [1], data_offsets: [0] } }, eight.subarray(4)))).toThrow(
      'loadSafetensors: tensor "a" has data_offsets [0]; need [begin, end] with non-negative integers',
    );
    expect(() => loadSafetensors(rawFile({ a: { dtype: 'F32', shape: [0], data_offsets: [4, 0] } }))).toThrow(
      'loadSafetensors: tensor "a" has data_offsets [4, 0]: end is before begin',
    );
    expect(() => loadSafetensors(rawFile({ a: 5 }))).toThrow(/entry for tensor "a" must be an object/);
  });

  it('offsets must be contiguous, non-overlapping and match shape × dtype size', () => {
    const overlap = rawFile(
      { a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } },
      eight,
    );
    expect(() => loadSafetensors(overlap)).toThrow('loadSafetensors: tensor "b" (bytes [4, 8)) overlaps tensor "a" (bytes [0, 8))');
    const gap = rawFile(
      { a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] }, b: { dtype: 'F32', shape: [1], data_offsets: [8, 12] } },
      new Uint8Array(12),
    );
    expect(() => loadSafetensors(gap)).toThrow('loadSafetensors: data offsets are not contiguous: bytes [4, 8) before tensor "b" belong to no tensor');
    const startsLate = rawFile({ a: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, eight);
    expect(() => loadSafetensors(startsLate)).toThrow(/bytes \[0, 4\) before tensor "a" belong to no tensor/);
    const size = rawFile({ a: { dtype: 'F64', shape: [2], data_offsets: [0, 8] } }, eight);
    expect(() => loadSafetensors(size)).toThrow(
      'loadSafetensors: tensor "a" has dtype F64 and shape [2] (16 bytes) but data_offsets [0, 8] span 8 bytes',
    );
  });

  it('the offsets must cover the data section exactly', () => {
    expect(loadSafetensors(rawFile(ok, eight)).tensors.size).toBe(1);
    expect(() => loadSafetensors(rawFile(ok, new Uint8Array(12)))).toThrow(
      "loadSafetensors: the tensors' data offsets cover 8 bytes but the file has 12 bytes after the header; need them equal",
    );
    expect(() => loadSafetensors(rawFile(ok, new Uint8Array(4)))).toThrow(/cover 8 bytes but the file has 4 bytes/);
  });
});

interface TorchFixture {
  metadata: Record<string, string>;
  order: string[];
  tensors: Record<string, { dtype: string; shape: number[]; data: Array<number | boolean> }>;
  forward: { input: number[][]; output: number[][] };
}

describe('interop with PyTorch (tools/safetensors_fixture.py)', () => {
  const expected = JSON.parse(readFileSync(fixtureUrl('torch-written.json'), 'utf8')) as TorchFixture;
  const file = readFixture('torch-written.safetensors');
  const DL_DTYPE: Record<string, string> = {
    F32: 'float32', F64: 'float64', F16: 'float32', BF16: 'float32', I32: 'int32', I64: 'int32', I16: 'int32', I8: 'int32', U8: 'int32', BOOL: 'bool',
  };

  it('reads every tensor of a torch-written file with identical values (bitwise for F32/F64)', () => {
    const { tensors, metadata } = loadSafetensors(file);
    expect(metadata).toEqual(expected.metadata);
    expect([...tensors.keys()]).toEqual(expected.order);
    expect(new Set(Object.values(expected.tensors).map((t) => t.dtype))).toEqual(new Set(Object.keys(DL_DTYPE)));
    for (const [name, want] of Object.entries(expected.tensors)) {
      const t = tensors.get(name)!;
      expect(t.dtype, name).toBe(DL_DTYPE[want.dtype]);
      expect([...t.shape], name).toEqual(want.shape);
      const values = want.data.map((v) => (typeof v === 'boolean' ? Number(v) : v));
      const ref =
        t.dtype === 'float64' ? Float64Array.from(values) : t.dtype === 'float32' ? Float32Array.from(values) : t.dtype === 'int32' ? Int32Array.from(values) : Uint8Array.from(values);
      expect(bitsOf(t), name).toEqual(Array.from(new Uint8Array(ref.buffer)));
    }
  });

  it("loads torch's Sequential state_dict into ours and reproduces its forward", () => {
    const { tensors } = loadSafetensors(file);
    const model = new Sequential(new Linear(4, 3), new ReLU(), new Linear(3, 2));
    const res = model.loadStateDict(tensors, { strict: false });
    expect(res.missingKeys).toEqual([]);
    expect(res.unexpectedKeys.sort()).toEqual(Object.keys(expected.tensors).filter((k) => k.startsWith('extra.')).sort());
    expect(() => model.loadStateDict(tensors)).toThrow(/unexpected keys: "extra\.i64", "extra\.f64"/);
    const weightsOnly = new Map([...tensors].filter(([k]) => !k.startsWith('extra.')));
    model.loadStateDict(weightsOnly);
    expect(model.at(0).stateDict().get('weight')!.toFlatArray()).toEqual(expected.tensors['0.weight']!.data);
    const y = model.forward(tensor(expected.forward.input));
    const want = expected.forward.output.flat();
    y.toFlatArray().forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThan(1e-6));
  });

  it('the committed dl-written file holds what tools/write-dl-safetensors.ts writes', () => {
    const bytes = readFixture('dl-written.safetensors');
    const { tensors, metadata } = loadSafetensors(bytes);
    expect(metadata.producer).toBe('dl');
    // Writing what was read reproduces the file byte for byte (the Python --check verifies the same layout).
    expect(Array.from(saveSafetensors(tensors, metadata))).toEqual(Array.from(bytes));
    expect(tensors.get('f64')!.toFlatArray()).toEqual([0.1, -0.2, 1 / 3, 1e-300, -1e300, Math.PI]);
    expect(tensors.get('i32')!.toFlatArray()).toEqual([-2147483648, -1, 0, 1, 2147483647]);
    expect(tensors.get('mask')!.toArray()).toEqual([[true, false, true], [false, false, true]]);
    expect(tensors.get('scalar')!.shape).toEqual([]);
    expect(tensors.get('empty')!.shape).toEqual([0, 3]);
    const model = new Sequential(new Linear(4, 3), new ReLU(), new Linear(3, 2));
    model.loadStateDict(new Map([...tensors].filter(([k]) => /^\d/.test(k))));
    const y = model.forward(tensor(JSON.parse(metadata.forward_input!) as number[][]));
    // Within float32 rounding, not bitwise: the GEMM kernel in use may sum in another order than when the file was written.
    const want = (JSON.parse(metadata.forward_output!) as number[][]).flat();
    y.toFlatArray().forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThan(1e-6));
  });
});
