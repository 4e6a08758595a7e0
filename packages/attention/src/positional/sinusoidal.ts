import { type FloatDType, Module, ShapeError, Tensor, add, expectInt, expectOptions, fmtShape, narrow } from '@dl/tensor';

/**
 * The sinusoidal table `[length, dModel]` of "Attention is all you need":
 * PE(pos, 2i) = sin(pos / 10000^(2i/d)), PE(pos, 2i+1) = cos(pos / 10000^(2i/d)).
 * Computed in float64, then rounded to `dtype`.
 *
 * @example
 * sinusoidalTable(50, 16); // [50, 16]
 */
export function sinusoidalTable(length: number, dModel: number, dtype: FloatDType = 'float32', base = 10000): Tensor {
  expectInt('sinusoidalTable', 'length', length, 0);
  expectInt('sinusoidalTable', 'dModel', dModel, 1);
  const data = dtype === 'float64' ? new Float64Array(length * dModel) : new Float32Array(length * dModel);
  for (let pos = 0; pos < length; pos++) {
    for (let j = 0; j < dModel; j++) {
      const i2 = j - (j % 2);
      const angle = pos / base ** (i2 / dModel);
      data[pos * dModel + j] = j % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
    }
  }
  return new Tensor(data, [length, dModel]);
}

/** Options of {@link SinusoidalPositionalEncoding}. */
export interface SinusoidalOptions {
  /** Longest sequence (default 5000). */
  maxLen?: number;
  dtype?: FloatDType;
}

/**
 * Adds the fixed sinusoidal encoding to `[*, L, dModel]` inputs (positions
 * `offset`…`offset+L−1`, so a decoder with a key/value cache passes the
 * number of tokens already seen). The table is a non-persistent buffer `pe`.
 *
 * @example
 * const pe = new SinusoidalPositionalEncoding(16);
 * pe.forward(randn([2, 10, 16])); // x + PE[0:10]
 */
export class SinusoidalPositionalEncoding extends Module<[Tensor, number?]> {
  readonly dModel: number;
  readonly maxLen: number;
  readonly pe: Tensor;

  constructor(dModel: number, options: SinusoidalOptions = {}) {
    super();
    expectOptions('SinusoidalPositionalEncoding', options, ['maxLen', 'dtype']);
    expectInt('SinusoidalPositionalEncoding', 'dModel', dModel, 1);
    this.dModel = dModel;
    this.maxLen = options.maxLen ?? 5000;
    expectInt('SinusoidalPositionalEncoding', 'maxLen', this.maxLen, 1);
    this.pe = this.buffer('pe', sinusoidalTable(this.maxLen, dModel, options.dtype ?? 'float32'), { persistent: false });
  }

  forward(x: Tensor, offset = 0): Tensor {
    const l = checkPositions('SinusoidalPositionalEncoding', x, this.dModel, this.maxLen, offset);
    return add(x, narrow(this.pe, 0, offset, l));
  }
}

/** The length L of `[*, L, d]` input, after checking d and that offset + L fits the table. */
export function checkPositions(op: string, x: Tensor, dModel: number, maxLen: number, offset: number): number {
  if (x.ndim < 2 || x.shape[x.ndim - 1] !== dModel) {
    throw new ShapeError(op, `input has shape ${fmtShape(x.shape)}; need [*, L, ${dModel}] (last dimension dModel=${dModel})`);
  }
  const l = x.shape[x.ndim - 2]!;
  if (!Number.isInteger(offset) || offset < 0) throw new ShapeError(op, `offset must be an integer ≥ 0, got ${offset}`);
  if (offset + l > maxLen) {
    throw new ShapeError(op, `sequence of length ${l}${offset > 0 ? ` at offset ${offset}` : ''} (input ${fmtShape(x.shape)}) is longer than the table's ${maxLen} positions; need offset + L ≤ maxLen=${maxLen} (build it with a larger maxLen)`);
  }
  return l;
}
