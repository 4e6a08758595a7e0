/**
 * Reading IDX files from disk (Node.js only); the format itself is parsed by
 * `idx.ts`, which the browser shares.
 *
 * @packageDocumentation
 */
import { open } from 'node:fs/promises';
import { DIM_BYTES, IdxFormatError, type IdxFileArray, MAGIC_BYTES, checkDataLength, parseIdxHeader, product } from './idx.js';

/** Options for {@link readIdxFile}. */
export interface ReadIdxFileOptions {
  /** When given, any other magic is an error. */
  expectedMagic?: number;
  /** Read at most this many items along the first dimension. */
  limit?: number;
}

/**
 * Reads an IDX file of unsigned bytes from disk.
 *
 * The file's total size is still checked against its header, but with a
 * `limit` only the needed prefix is read, so loading a few MNIST images does
 * not pull all 47 MB of the training set into memory.
 *
 * @param path - Path of the (uncompressed) IDX file; also used in errors.
 * @throws {@link IdxFormatError} on malformed content, RangeError on a bad
 *   `limit`, and the usual fs errors when the file cannot be read.
 */
export async function readIdxFile(path: string, options: ReadIdxFileOptions = {}): Promise<IdxFileArray> {
  const { expectedMagic, limit } = options;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) {
    throw new RangeError(`limit must be a non-negative integer, got ${limit}`);
  }
  const file = await open(path, 'r');
  try {
    const size = (await file.stat()).size;
    const magicBytes = await readAt(file, path, 0, Math.min(MAGIC_BYTES, size));
    // Parse the magic alone first: it tells how long the rest of the header is.
    const ndims = magicBytes.length === MAGIC_BYTES ? (magicBytes[3] ?? 0) : 0;
    const headerBytes = await readAt(file, path, 0, Math.min(MAGIC_BYTES + DIM_BYTES * ndims, size));
    const header = parseIdxHeader(headerBytes, path, expectedMagic);
    checkDataLength(header, size - header.headerBytes, path);

    const declaredCount = header.dims[0] ?? 0;
    const count = limit === undefined ? declaredCount : Math.min(limit, declaredCount);
    const itemBytes = product(header.dims.slice(1));
    const data = await readAt(file, path, header.headerBytes, count * itemBytes);
    return { magic: header.magic, dims: [count, ...header.dims.slice(1)], declaredDims: header.dims, data };
  } finally {
    await file.close();
  }
}

type FileHandle = Awaited<ReturnType<typeof open>>;

/** Reads exactly `length` bytes; `read` may legally return fewer per call. */
async function readAt(file: FileHandle, path: string, position: number, length: number): Promise<Uint8Array> {
  const out = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await file.read(out, done, length - done, position + done);
    if (bytesRead === 0) throw new IdxFormatError(path, `unexpected end of file after ${position + done} bytes; did it change while being read?`);
    done += bytesRead;
  }
  return out;
}
