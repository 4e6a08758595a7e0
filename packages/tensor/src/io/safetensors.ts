import type { DType } from '../dtype.js';
import { DTypeError, ValueError, fmtShape } from '../errors.js';
import { sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';

/** Element types of the safetensors format, in the order the reference writer sorts by (ascending alignment). */
export type SafetensorsDType =
  | 'BOOL'
  | 'U8'
  | 'I8'
  | 'F8_E5M2'
  | 'F8_E4M3'
  | 'I16'
  | 'U16'
  | 'F16'
  | 'BF16'
  | 'I32'
  | 'U32'
  | 'F32'
  | 'F64'
  | 'I64'
  | 'U64';

/** One tensor's entry in a safetensors header. */
export interface SafetensorsEntry {
  readonly name: string;
  readonly dtype: SafetensorsDType;
  readonly shape: readonly number[];
  /** Byte range `[begin, end)` relative to the start of the data section. */
  readonly dataOffsets: readonly [number, number];
}

/** A parsed and validated safetensors header. */
export interface SafetensorsHeader {
  /** Tensor entries in file (offset) order. */
  readonly entries: readonly SafetensorsEntry[];
  /** The free-form `__metadata__` map (empty when the file has none). */
  readonly metadata: Record<string, string>;
  /** Where the data section starts: 8 + the header length. */
  readonly dataStart: number;
}

/** What `loadSafetensors` returns. */
export interface SafetensorsContents {
  /** Tensors by name, in file order. */
  readonly tensors: Map<string, Tensor>;
  /** The free-form `__metadata__` map (empty when the file has none). */
  readonly metadata: Record<string, string>;
}

/** Largest header the reference implementation accepts (bytes). */
export const SAFETENSORS_MAX_HEADER_SIZE = 100_000_000;

const ORDER: readonly SafetensorsDType[] = [
  'BOOL', 'U8', 'I8', 'F8_E5M2', 'F8_E4M3', 'I16', 'U16', 'F16', 'BF16', 'I32', 'U32', 'F32', 'F64', 'I64', 'U64',
];
const RANK = new Map<string, number>(ORDER.map((d, i) => [d, i]));
const ITEM_SIZE: Record<SafetensorsDType, number> = {
  BOOL: 1, U8: 1, I8: 1, F8_E5M2: 1, F8_E4M3: 1, I16: 2, U16: 2, F16: 2, BF16: 2, I32: 4, U32: 4, F32: 4, F64: 8, I64: 8, U64: 8,
};
/** What each readable file dtype becomes in dl. */
const LOADED_AS: Partial<Record<SafetensorsDType, DType>> = {
  BOOL: 'bool', U8: 'int32', I8: 'int32', I16: 'int32', U16: 'int32', F16: 'float32', BF16: 'float32',
  I32: 'int32', U32: 'int32', F32: 'float32', F64: 'float64', I64: 'int32', U64: 'int32',
};
const SAVED_AS: Record<DType, SafetensorsDType> = { float32: 'F32', float64: 'F64', int32: 'I32', bool: 'BOOL' };

const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;

/**
 * Serializes tensors to the safetensors format: an 8-byte little-endian
 * header length N, N bytes of JSON (padded with spaces to a multiple of 8),
 * then the little-endian data. Tensors are laid out as the reference writer
 * does (by descending dtype alignment, then by name), so files are
 * byte-identical to what `safetensors.torch.save_file` writes for the same
 * tensors and metadata.
 *
 * @example
 * const bytes = saveSafetensors(model.stateDict(), { format: 'pt' });
 */
export function saveSafetensors(
  tensors: ReadonlyMap<string, Tensor> | Readonly<Record<string, Tensor>>,
  metadata?: Readonly<Record<string, string>>,
): Uint8Array {
  const op = 'saveSafetensors';
  if (tensors === null || typeof tensors !== 'object' || Array.isArray(tensors)) {
    throw new ValueError(op, `tensors must be a Map or a plain object of name → Tensor (a state dict), got ${tensors === null || typeof tensors !== 'object' ? String(typeof tensors === 'symbol' ? 'a symbol' : tensors) : 'an array'}`);
  }
  const list = [...(tensors instanceof Map ? tensors : Object.entries(tensors as Readonly<Record<string, Tensor>>))] as Array<[string, Tensor]>;
  const encoder = new TextEncoder();
  const items = list.map(([name, t]) => {
    if (typeof name !== 'string') throw new ValueError(op, `tensor names must be strings, got ${typeof name}`);
    if (name === '__metadata__') throw new ValueError(op, `'__metadata__' is reserved for the metadata map and cannot name a tensor`);
    if (!(t instanceof Tensor)) throw new ValueError(op, `value for "${name}" is not a Tensor`);
    return { name, nameBytes: encoder.encode(name), tensor: t, dtype: SAVED_AS[t.dtype] };
  });
  // The reference writer's order: descending dtype, then names compared as UTF-8 bytes.
  items.sort((a, b) => RANK.get(b.dtype)! - RANK.get(a.dtype)! || compareBytes(a.nameBytes, b.nameBytes));

  const parts: string[] = [];
  if (metadata !== undefined) {
    if (metadata === null || typeof metadata !== 'object') throw new ValueError(op, 'metadata must be an object of string values');
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') throw new ValueError(op, `metadata value for "${k}" is ${typeof v}; the format allows only strings`);
    }
    parts.push(`"__metadata__":${JSON.stringify(metadata)}`);
  }
  let offset = 0;
  for (const it of items) {
    const bytes = it.tensor.size * ITEM_SIZE[it.dtype];
    parts.push(`${JSON.stringify(it.name)}:{"dtype":"${it.dtype}","shape":[${it.tensor.shape.join(',')}],"data_offsets":[${offset},${offset + bytes}]}`);
    offset += bytes;
  }
  const json = encoder.encode(`{${parts.join(',')}}`);
  const n = json.length + ((8 - (json.length % 8)) % 8);
  if (n > SAFETENSORS_MAX_HEADER_SIZE) throw new ValueError(op, `header would be ${n} bytes, over the ${SAFETENSORS_MAX_HEADER_SIZE}-byte limit readers enforce`);

  const out = new Uint8Array(8 + n + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, n, true);
  view.setUint32(4, 0, true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + n);
  let pos = 8 + n;
  for (const it of items) {
    writeData(it.tensor, out, view, pos);
    pos += it.tensor.size * ITEM_SIZE[it.dtype];
  }
  return out;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

function writeData(t: Tensor, out: Uint8Array, view: DataView, pos: number): void {
  const d = t.data;
  if (t.dtype === 'bool') {
    for (let i = 0; i < d.length; i++) out[pos + i] = d[i] ? 1 : 0;
  } else if (HOST_LITTLE_ENDIAN) {
    out.set(new Uint8Array(d.buffer, d.byteOffset, d.byteLength), pos);
  } else if (t.dtype === 'float32') {
    for (let i = 0; i < d.length; i++) view.setFloat32(pos + 4 * i, d[i]!, true);
  } else if (t.dtype === 'float64') {
    for (let i = 0; i < d.length; i++) view.setFloat64(pos + 8 * i, d[i]!, true);
  } else {
    for (let i = 0; i < d.length; i++) view.setInt32(pos + 4 * i, d[i]!, true);
  }
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isSize(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
}

/**
 * Parses and validates a safetensors header without decoding any tensor:
 * header-length bounds, UTF-8, JSON, every entry's dtype/shape/offsets, the
 * offsets contiguous and non-overlapping from 0, each range's size equal to
 * shape × dtype size, and the last range ending at the end of the buffer.
 * Entries may appear in any order in the JSON.
 */
export function readSafetensorsHeader(bytes: Uint8Array): SafetensorsHeader {
  const op = 'loadSafetensors';
  if (!(bytes instanceof Uint8Array)) throw new ValueError(op, 'expected the file contents as a Uint8Array');
  if (bytes.length < 8) {
    throw new ValueError(op, `input is ${bytes.length} bytes; a safetensors file starts with an 8-byte header length`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lo = view.getUint32(0, true);
  const hi = view.getUint32(4, true);
  const n = hi * 0x100000000 + lo;
  if (hi !== 0 || n > SAFETENSORS_MAX_HEADER_SIZE) {
    throw new ValueError(op, `header length ${hi !== 0 ? `≥ 2^32 (high word ${hi})` : n} exceeds the ${SAFETENSORS_MAX_HEADER_SIZE}-byte limit`);
  }
  if (8 + n > bytes.length) {
    throw new ValueError(op, `header length is ${n} bytes but only ${bytes.length - 8} bytes follow the length prefix`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n));
  } catch {
    throw new ValueError(op, 'header is not valid UTF-8');
  }
  if (!text.startsWith('{')) throw new ValueError(op, `header must be a JSON object starting with '{', got ${JSON.stringify(text.slice(0, 16))}`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ValueError(op, `header is not valid JSON: ${(e as Error).message}`);
  }
  if (!isRecord(json)) throw new ValueError(op, 'header must be a JSON object');

  let metadata: Record<string, string> = {};
  const entries: SafetensorsEntry[] = [];
  for (const [name, info] of Object.entries(json)) {
    if (name === '__metadata__') {
      if (!isRecord(info)) throw new ValueError(op, '__metadata__ must be an object of string values');
      for (const [k, v] of Object.entries(info)) {
        if (typeof v !== 'string') throw new ValueError(op, `__metadata__ value for "${k}" is ${JSON.stringify(v)}; the format allows only strings`);
      }
      metadata = { ...(info as Record<string, string>) };
      continue;
    }
    if (!isRecord(info)) throw new ValueError(op, `entry for tensor "${name}" must be an object with dtype, shape and data_offsets`);
    const { dtype, shape, data_offsets: offsets } = info;
    if (typeof dtype !== 'string' || !RANK.has(dtype)) {
      throw new DTypeError(op, `tensor "${name}" has unknown dtype ${JSON.stringify(dtype)}; the format defines ${ORDER.join(', ')}`);
    }
    if (!Array.isArray(shape) || !shape.every(isSize)) {
      throw new ValueError(op, `tensor "${name}" has shape ${JSON.stringify(shape)}; need an array of non-negative integers`);
    }
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isSize)) {
      throw new ValueError(op, `tensor "${name}" has data_offsets ${JSON.stringify(offsets)}; need [begin, end] with non-negative integers`);
    }
    const [begin, end] = offsets as [number, number];
    if (end < begin) throw new ValueError(op, `tensor "${name}" has data_offsets [${begin}, ${end}]: end is before begin`);
    entries.push({ name, dtype: dtype as SafetensorsDType, shape: shape as number[], dataOffsets: [begin, end] });
  }

  entries.sort((a, b) => a.dataOffsets[0] - b.dataOffsets[0] || a.dataOffsets[1] - b.dataOffsets[1]);
  let expected = 0;
  let prev: SafetensorsEntry | null = null;
  for (const e of entries) {
    const [begin, end] = e.dataOffsets;
    if (begin < expected) {
      throw new ValueError(op, `tensor "${e.name}" (bytes [${begin}, ${end})) overlaps tensor "${prev!.name}" (bytes [${prev!.dataOffsets[0]}, ${prev!.dataOffsets[1]}))`);
    }
    if (begin > expected) {
      throw new ValueError(op, `data offsets are not contiguous: bytes [${expected}, ${begin}) before tensor "${e.name}" belong to no tensor`);
    }
    const need = sizeOf(e.shape) * ITEM_SIZE[e.dtype];
    if (end - begin !== need) {
      throw new ValueError(
        op,
        `tensor "${e.name}" has dtype ${e.dtype} and shape ${fmtShape(e.shape)} (${need} bytes) but data_offsets [${begin}, ${end}] span ${end - begin} bytes`,
      );
    }
    expected = end;
    prev = e;
  }
  const dataLength = bytes.length - 8 - n;
  if (expected !== dataLength) {
    throw new ValueError(op, `the tensors' data offsets cover ${expected} bytes but the file has ${dataLength} bytes after the header; need them equal`);
  }
  return { entries, metadata, dataStart: 8 + n };
}

/**
 * Reads a safetensors file (bytes in, tensors out; no file system access).
 * F32, F64, I32 and BOOL load as the same dl dtype; F16 and BF16 are widened
 * to float32; U8, I8, I16, U16 become int32, and I64, U32, U64 too when every
 * value fits (else an error names the tensor and the value).
 *
 * @example
 * const { tensors } = loadSafetensors(new Uint8Array(await file.arrayBuffer()));
 * model.loadStateDict(tensors);
 */
export function loadSafetensors(bytes: Uint8Array): SafetensorsContents {
  const { entries, metadata, dataStart } = readSafetensorsHeader(bytes);
  const tensors = new Map<string, Tensor>();
  for (const e of entries) {
    const start = bytes.byteOffset + dataStart + e.dataOffsets[0];
    const len = e.dataOffsets[1] - e.dataOffsets[0];
    tensors.set(e.name, new Tensor(decode(e, bytes, start, len), e.shape));
  }
  return { tensors, metadata };
}

function decode(e: SafetensorsEntry, bytes: Uint8Array, start: number, len: number): Float32Array | Float64Array | Int32Array | Uint8Array {
  const n = sizeOf(e.shape);
  const view = new DataView(bytes.buffer, start, len);
  // A fresh, aligned copy of the bytes: typed-array views need alignment, and the result must own its storage.
  const own = (): ArrayBuffer => bytes.buffer.slice(start, start + len) as ArrayBuffer;
  switch (e.dtype) {
    case 'F32':
      if (HOST_LITTLE_ENDIAN) return new Float32Array(own());
      return fill(new Float32Array(n), (i) => view.getFloat32(4 * i, true));
    case 'F64':
      if (HOST_LITTLE_ENDIAN) return new Float64Array(own());
      return fill(new Float64Array(n), (i) => view.getFloat64(8 * i, true));
    case 'I32':
      if (HOST_LITTLE_ENDIAN) return new Int32Array(own());
      return fill(new Int32Array(n), (i) => view.getInt32(4 * i, true));
    case 'BOOL':
      return fill(new Uint8Array(n), (i) => (view.getUint8(i) !== 0 ? 1 : 0));
    case 'U8':
      return fill(new Int32Array(n), (i) => view.getUint8(i));
    case 'I8':
      return fill(new Int32Array(n), (i) => view.getInt8(i));
    case 'I16':
      return fill(new Int32Array(n), (i) => view.getInt16(2 * i, true));
    case 'U16':
      return fill(new Int32Array(n), (i) => view.getUint16(2 * i, true));
    case 'F16':
      return fill(new Float32Array(n), (i) => halfToNumber(view.getUint16(2 * i, true)));
    case 'BF16': {
      const out = new Float32Array(n);
      const bits = new Uint32Array(out.buffer);
      // bfloat16 is the top half of a float32.
      for (let i = 0; i < n; i++) bits[i] = view.getUint16(2 * i, true) << 16;
      return out;
    }
    case 'U32':
      return fill(new Int32Array(n), (i) => checkedInt32(e, i, view.getUint32(4 * i, true)));
    case 'I64':
      return fill(new Int32Array(n), (i) => checkedInt32(e, i, view.getInt32(8 * i + 4, true) * 0x100000000 + view.getUint32(8 * i, true), () => view.getBigInt64(8 * i, true)));
    case 'U64':
      return fill(new Int32Array(n), (i) => checkedInt32(e, i, view.getUint32(8 * i + 4, true) * 0x100000000 + view.getUint32(8 * i, true), () => view.getBigUint64(8 * i, true)));
    default:
      throw new DTypeError('loadSafetensors', `tensor "${e.name}" has dtype ${e.dtype}, which dl cannot load (supported: ${Object.keys(LOADED_AS).join(', ')})`);
  }
}

function fill<T extends Float32Array | Float64Array | Int32Array | Uint8Array>(out: T, at: (i: number) => number): T {
  for (let i = 0; i < out.length; i++) out[i] = at(i);
  return out;
}

function checkedInt32(e: SafetensorsEntry, i: number, v: number, exact?: () => bigint): number {
  if (v < INT32_MIN || v > INT32_MAX) {
    const shown = exact ? exact().toString() : String(v);
    throw new ValueError(
      'loadSafetensors',
      `tensor "${e.name}" (${e.dtype}) holds ${shown} at element ${i}, outside the int32 range [${INT32_MIN}, ${INT32_MAX}] dl loads integers into`,
    );
  }
  return v;
}

/** IEEE binary16 bits to a number (exact: every half is a float32). */
function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac === 0 ? sign * Infinity : NaN;
  return sign * (1024 + frac) * 2 ** (exp - 25);
}
