import { type Shape, broadcastStrides } from '../shape.js';

/** Where each row of a broadcast binary op reads its operands (see `broadcastRows`). */
export interface BroadcastRows {
  /** Length of the output's last dimension: one row. */
  readonly inner: number;
  /** Step of each operand along a row (1, or 0 where it broadcasts). */
  readonly aStep: number;
  readonly bStep: number;
  /** Offset of each row's first element in each operand, one entry per output row. */
  readonly aRows: Int32Array;
  readonly bRows: Int32Array;
}

/**
 * The row structure of `a ⊙ b` broadcast to `outShape`: per output row (the
 * last dimension), the offsets where each operand's values start and their
 * steps along the row. Computed once per call, so the generated loops walk
 * rows without an odometer of their own.
 */
export function broadcastRows(aShape: Shape, bShape: Shape, outShape: Shape): BroadcastRows {
  const nd = outShape.length;
  const as = broadcastStrides(aShape, outShape);
  const bs = broadcastStrides(bShape, outShape);
  const inner = nd === 0 ? 1 : outShape[nd - 1]!;
  let rows = 1;
  for (let d = 0; d < nd - 1; d++) rows *= outShape[d]!;
  if (inner === 0) rows = 0;
  const aRows = new Int32Array(rows);
  const bRows = new Int32Array(rows);
  const idx = new Array<number>(Math.max(nd - 1, 0)).fill(0);
  let ao = 0;
  let bo = 0;
  for (let r = 0; r < rows; r++) {
    aRows[r] = ao;
    bRows[r] = bo;
    for (let d = nd - 2; d >= 0; d--) {
      idx[d]!++;
      ao += as[d]!;
      bo += bs[d]!;
      if (idx[d]! < outShape[d]!) break;
      ao -= as[d]! * outShape[d]!;
      bo -= bs[d]! * outShape[d]!;
      idx[d] = 0;
    }
  }
  return { inner, aStep: nd === 0 ? 0 : as[nd - 1]!, bStep: nd === 0 ? 0 : bs[nd - 1]!, aRows, bRows };
}
