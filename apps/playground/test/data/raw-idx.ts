// Hand-built IDX bytes shared by the IDX parser and file-reader tests.
/** Builds an IDX file byte by byte, independently of encodeIdx, so the encoder is tested too. */
export function rawIdx(magic: number, dims: number[], data: number[]): Uint8Array {
  const bytes = [(magic >>> 24) & 0xff, (magic >>> 16) & 0xff, (magic >>> 8) & 0xff, magic & 0xff];
  for (const d of dims) bytes.push((d >>> 24) & 0xff, (d >>> 16) & 0xff, (d >>> 8) & 0xff, d & 0xff);
  return Uint8Array.from([...bytes, ...data]);
}

/** 24 distinct pixel bytes: a [2, 3, 4] image array. */
export const imagePixels = Array.from({ length: 2 * 3 * 4 }, (_, i) => i * 10);
