/**
 * Reader for the IDX format used by the MNIST distribution.
 *
 * Layout: a 4-byte magic (two zero bytes, an element-type code, the number of
 * dimensions), then one big-endian uint32 per dimension, then the elements in
 * row-major order. Only the unsigned-byte element type is supported because
 * it is the only one MNIST uses; other codes are rejected with an explicit
 * error rather than being misread as bytes.
 *
 * This module has no Node.js imports, so the browser playground parses the
 * same bytes with it; reading from disk is in `idx-file.ts`.
 *
 * @packageDocumentation
 */
/** IDX element-type code for unsigned bytes (third byte of the magic). */
export const IDX_TYPE_UBYTE = 0x08;

/** Magic of an IDX file of unsigned bytes with 3 dimensions (MNIST images). */
export const IDX_MAGIC_IMAGES = 0x00000803;

/** Magic of an IDX file of unsigned bytes with 1 dimension (MNIST labels). */
export const IDX_MAGIC_LABELS = 0x00000801;

/** Bytes of the magic number. */
export const MAGIC_BYTES = 4;
/** Bytes of each dimension size in the header. */
export const DIM_BYTES = 4;

const TYPE_NAMES: ReadonlyMap<number, string> = new Map([
  [0x08, 'unsigned byte'],
  [0x09, 'signed byte'],
  [0x0b, 'int16'],
  [0x0c, 'int32'],
  [0x0d, 'float32'],
  [0x0e, 'float64'],
]);

/**
 * Raised when bytes are not a well-formed IDX file, or not the IDX file the
 * caller expected. The message always starts with the file's name so that a
 * failure deep inside a data pipeline still says which file is at fault.
 */
export class IdxFormatError extends Error {
  /** The file name or label passed to the parser. */
  readonly source: string;

  constructor(source: string, message: string) {
    super(`${source}: ${message}`);
    this.name = 'IdxFormatError';
    this.source = source;
  }
}

/** The decoded header of an IDX file. */
export interface IdxHeader {
  /** The magic number as a big-endian uint32, e.g. `0x00000803`. */
  readonly magic: number;
  /** Element-type code; always {@link IDX_TYPE_UBYTE} once validated. */
  readonly type: number;
  /** Size of each dimension, outermost first. */
  readonly dims: readonly number[];
  /** Bytes taken by magic plus dimension sizes: where the data starts. */
  readonly headerBytes: number;
  /** Bytes of element data the dimensions declare. */
  readonly dataBytes: number;
}

/** An IDX array of unsigned bytes. */
export interface IdxArray {
  /** The magic number as a big-endian uint32. */
  readonly magic: number;
  /** Shape of {@link IdxArray.data}, outermost first. */
  readonly dims: readonly number[];
  /** Elements in row-major order; a view, not a copy, when parsed from a buffer. */
  readonly data: Uint8Array;
}

/** An IDX array read from disk, possibly only a prefix of it. */
export interface IdxFileArray extends IdxArray {
  /**
   * Shape declared by the file's header. Differs from `dims` only in the
   * first dimension, when a `limit` cut the read short.
   */
  readonly declaredDims: readonly number[];
}

/** MNIST-style image stack: `count` images of `rows` x `cols` bytes. */
export interface IdxImages {
  readonly count: number;
  readonly rows: number;
  readonly cols: number;
  /** `count * rows * cols` pixel bytes, image after image, row-major. */
  readonly pixels: Uint8Array;
}

/** MNIST-style label vector. */
export interface IdxLabels {
  readonly count: number;
  readonly labels: Uint8Array;
}

/** Formats a magic the way the IDX spec writes it, e.g. `0x00000803`. */
export function formatMagic(magic: number): string {
  return `0x${(magic >>> 0).toString(16).padStart(8, '0')}`;
}

/** Human description of a magic, so errors say what was actually found. */
function describeMagic(magic: number): string {
  if (magic >>> 16 !== 0) {
    // gzip starts with 1f 8b; the MNIST files are often distributed compressed.
    const hint = magic >>> 16 === 0x1f8b ? '; the file looks gzip-compressed' : '';
    return `not an IDX magic: first two bytes must be zero${hint}`;
  }
  const type = (magic >>> 8) & 0xff;
  const ndims = magic & 0xff;
  const typeName = TYPE_NAMES.get(type) ?? `unknown element type 0x${type.toString(16).padStart(2, '0')}`;
  return `${typeName}, ${ndims} dim${ndims === 1 ? '' : 's'}`;
}

function formatShape(dims: readonly number[]): string {
  return `[${dims.join(', ')}]`;
}

/** Number of elements of an array of shape `dims`. */
export function product(dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) n *= d;
  return n;
}

/**
 * Decodes and validates the header at the start of `bytes`.
 *
 * Only the header needs to be present, so this can run on the first few
 * bytes of a large file before deciding how much more to read.
 *
 * @param bytes - At least the header bytes of an IDX file.
 * @param source - File name (or any label) used in error messages.
 * @param expectedMagic - When given, any other magic is an error.
 * @throws {@link IdxFormatError} on a bad magic, an unsupported element type
 *   or a header cut short.
 */
export function parseIdxHeader(bytes: Uint8Array, source: string, expectedMagic?: number): IdxHeader {
  if (bytes.length < MAGIC_BYTES) {
    throw new IdxFormatError(
      source,
      `file is ${bytes.length} bytes, too short for the ${MAGIC_BYTES}-byte IDX magic`,
    );
  }
  // A DataView honours byteOffset, which matters for Node Buffers carved out of a shared pool.
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  if (expectedMagic !== undefined && magic !== expectedMagic) {
    throw new IdxFormatError(
      source,
      `bad magic ${formatMagic(magic)} (${describeMagic(magic)}), expected ${formatMagic(expectedMagic)} (${describeMagic(expectedMagic)})`,
    );
  }
  if (magic >>> 16 !== 0) {
    throw new IdxFormatError(source, `bad magic ${formatMagic(magic)} (${describeMagic(magic)})`);
  }
  const type = (magic >>> 8) & 0xff;
  const ndims = magic & 0xff;
  if (type !== IDX_TYPE_UBYTE) {
    throw new IdxFormatError(
      source,
      `unsupported magic ${formatMagic(magic)} (${describeMagic(magic)}); only unsigned-byte data (type 0x08) is supported`,
    );
  }
  if (ndims === 0) {
    throw new IdxFormatError(source, `magic ${formatMagic(magic)} declares 0 dimensions; expected at least 1`);
  }
  const headerBytes = MAGIC_BYTES + DIM_BYTES * ndims;
  if (bytes.length < headerBytes) {
    throw new IdxFormatError(
      source,
      `truncated header: magic ${formatMagic(magic)} declares ${ndims} dims, needing ${headerBytes} header bytes, but the file has ${bytes.length}`,
    );
  }
  const dims: number[] = [];
  for (let i = 0; i < ndims; i++) dims.push(view.getUint32(MAGIC_BYTES + DIM_BYTES * i, false));
  const dataBytes = product(dims);
  // Three uint32 dims can multiply past 2^53, where sizes stop being exact.
  if (!Number.isSafeInteger(dataBytes)) {
    throw new IdxFormatError(source, `declared shape ${formatShape(dims)} is too large to address`);
  }
  return { magic, type, dims, headerBytes, dataBytes };
}

/** Rejects a file whose length disagrees with its header, in either direction. */
export function checkDataLength(header: IdxHeader, available: number, source: string): void {
  const { dims, dataBytes } = header;
  if (available < dataBytes) {
    throw new IdxFormatError(
      source,
      `truncated data: header declares shape ${formatShape(dims)} = ${dataBytes} bytes, but only ${available} follow the header`,
    );
  }
  if (available > dataBytes) {
    // Extra bytes usually mean a wrong header (e.g. a hand-edited count), so refuse rather than ignore them.
    throw new IdxFormatError(
      source,
      `${available - dataBytes} unexpected trailing bytes: header declares shape ${formatShape(dims)} = ${dataBytes} bytes, but ${available} follow the header`,
    );
  }
}

/**
 * Parses a complete in-memory IDX file of unsigned bytes.
 *
 * @param bytes - The whole file.
 * @param source - File name (or any label) used in error messages.
 * @param expectedMagic - When given, any other magic is an error.
 * @returns The array; `data` is a view into `bytes`, not a copy.
 * @throws {@link IdxFormatError} when the bytes are malformed, the magic is
 *   not `expectedMagic`, or the length disagrees with the declared shape.
 */
export function parseIdx(bytes: Uint8Array, source: string, expectedMagic?: number): IdxArray {
  const header = parseIdxHeader(bytes, source, expectedMagic);
  checkDataLength(header, bytes.length - header.headerBytes, source);
  return {
    magic: header.magic,
    dims: header.dims,
    data: bytes.subarray(header.headerBytes, header.headerBytes + header.dataBytes),
  };
}

/**
 * Interprets an IDX array with magic {@link IDX_MAGIC_IMAGES} as an image stack.
 *
 * @throws {@link IdxFormatError} if the array is not a 3-dim unsigned-byte array.
 */
export function idxToImages(array: IdxArray, source: string): IdxImages {
  const [count, rows, cols] = array.dims;
  if (array.magic !== IDX_MAGIC_IMAGES || count === undefined || rows === undefined || cols === undefined) {
    throw new IdxFormatError(
      source,
      `expected an image file with magic ${formatMagic(IDX_MAGIC_IMAGES)} (${describeMagic(IDX_MAGIC_IMAGES)}), found ${formatMagic(array.magic)} with shape ${formatShape(array.dims)}`,
    );
  }
  return { count, rows, cols, pixels: array.data };
}

/**
 * Interprets an IDX array with magic {@link IDX_MAGIC_LABELS} as a label vector.
 *
 * @throws {@link IdxFormatError} if the array is not a 1-dim unsigned-byte array.
 */
export function idxToLabels(array: IdxArray, source: string): IdxLabels {
  const [count] = array.dims;
  if (array.magic !== IDX_MAGIC_LABELS || count === undefined || array.dims.length !== 1) {
    throw new IdxFormatError(
      source,
      `expected a label file with magic ${formatMagic(IDX_MAGIC_LABELS)} (${describeMagic(IDX_MAGIC_LABELS)}), found ${formatMagic(array.magic)} with shape ${formatShape(array.dims)}`,
    );
  }
  return { count, labels: array.data };
}

/**
 * Parses an in-memory IDX image file (magic `0x00000803`).
 *
 * @throws {@link IdxFormatError} naming `source`, the magic or shape found and
 *   what was expected.
 */
export function parseIdxImages(bytes: Uint8Array, source: string): IdxImages {
  return idxToImages(parseIdx(bytes, source, IDX_MAGIC_IMAGES), source);
}

/**
 * Parses an in-memory IDX label file (magic `0x00000801`).
 *
 * @throws {@link IdxFormatError} naming `source`, the magic or shape found and
 *   what was expected.
 */
export function parseIdxLabels(bytes: Uint8Array, source: string): IdxLabels {
  return idxToLabels(parseIdx(bytes, source, IDX_MAGIC_LABELS), source);
}

/**
 * Serialises an unsigned-byte array as IDX. Mainly for tests and for writing
 * small derived data sets; the magic is derived from `dims.length`.
 *
 * @throws RangeError if a dim is not a uint32 or `data` has the wrong length.
 */
export function encodeIdx(dims: readonly number[], data: Uint8Array): Uint8Array {
  if (dims.length === 0 || dims.length > 255) {
    throw new RangeError(`IDX needs 1 to 255 dims, got ${dims.length}`);
  }
  for (const d of dims) {
    if (!Number.isInteger(d) || d < 0 || d > 0xffffffff) throw new RangeError(`dim ${d} is not a uint32`);
  }
  if (data.length !== product(dims)) {
    throw new RangeError(`shape ${formatShape(dims)} needs ${product(dims)} bytes, got ${data.length}`);
  }
  const headerBytes = MAGIC_BYTES + DIM_BYTES * dims.length;
  const out = new Uint8Array(headerBytes + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, (IDX_TYPE_UBYTE << 8) | dims.length, false);
  dims.forEach((d, i) => view.setUint32(MAGIC_BYTES + DIM_BYTES * i, d, false));
  out.set(data, headerBytes);
  return out;
}
