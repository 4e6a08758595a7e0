import { expectFloat, expectInt, expectOptions, expectPositive } from '../checks.js';
import { type FloatDType, allocStorage } from '../dtype.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { noGrad } from '../grad-mode.js';
import { type FloatArray, getBackend } from '../kernels/backend.js';
import { type Op, defineOp } from '../op.js';
import { zeros } from '../ops/creation.js';
import type { Generator } from '../random.js';
import { Tensor } from '../tensor.js';
import { normal_ } from './init.js';
import { embGather, embScatterAdd } from './internal/embedding-kernels.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';

/** Options of `embedding` (as `torch.nn.functional.embedding`). */
export interface EmbeddingOptions {
  /** Row whose gradient is always zero (a padding token); negative counts from the end. */
  paddingIdx?: number | null;
  /** Rows looked up whose `normType`-norm exceeds this are rescaled to it, in place, before the lookup. */
  maxNorm?: number | null;
  /** The p of the p-norm `maxNorm` bounds (default 2). */
  normType?: number;
}

interface LookupAttrs {
  readonly dim: number;
  /** Row index with no gradient, or −1 (indices are ≥ 0, so it never matches). */
  readonly paddingIdx: number;
  /** Leave the padding rows of the output at 0: the adjoint of the scatter below. */
  readonly zeroPadding: boolean;
}

interface ScatterAttrs {
  readonly rows: number;
  readonly dim: number;
  readonly paddingIdx: number;
}

// The lookup and its adjoint (a scatter-add that skips the padding row) are
// each other's VJP, so gradients of any order stay exact and both run as one
// fused loop. Measured against indexSelect + reshape: see the README (nn basics).
const lookupOp: Op<LookupAttrs> = defineOp<LookupAttrs>({
  name: 'embedding',
  forward: ([table, idx], { dim, paddingIdx, zeroPadding }) => {
    const out = allocStorage(table!.dtype, idx!.size * dim) as FloatArray;
    embGather(table!.data as FloatArray, idx!.data as Int32Array, dim, zeroPadding ? paddingIdx : -1, out);
    return new Tensor(out, [...idx!.shape, dim]);
  },
  backward: [(g, { inputs: [table, idx], attrs: { dim, paddingIdx } }) => scatterOp([g, idx!], { rows: table!.shape[0]!, dim, paddingIdx }), null],
});

const scatterOp: Op<ScatterAttrs> = defineOp<ScatterAttrs>({
  name: 'embeddingBackward',
  forward: ([src, idx], { rows, dim, paddingIdx }) => {
    const out = allocStorage(src!.dtype, rows * dim) as FloatArray;
    const index = idx!.data as Int32Array;
    if (rows <= index.length) {
      // Many lookups into a small table: the backend's (SIMD) scatter-add wins.
      getBackend().indexAdd(src!.data, 1, index.length, dim, index, rows, out);
      if (paddingIdx >= 0) out.fill(0, paddingIdx * dim, (paddingIdx + 1) * dim);
    } else {
      // A large table: the wasm kernel copies all of it in and out, the loop touches only the rows looked up.
      embScatterAdd(src!.data as FloatArray, index, dim, paddingIdx, out);
    }
    return new Tensor(out, [rows, dim]);
  },
  backward: [(g, { inputs: [, idx], attrs: { dim, paddingIdx } }) => lookupOp([g, idx!], { dim, paddingIdx, zeroPadding: true }), null],
});

/** `paddingIdx` as a row index ≥ 0, or −1 for none. */
function normalizePaddingIdx(op: string, paddingIdx: number | null | undefined, rows: number): number {
  if (paddingIdx === null || paddingIdx === undefined) return -1;
  if (!Number.isInteger(paddingIdx) || paddingIdx < -rows || paddingIdx >= rows) {
    throw new ValueError(op, `paddingIdx must be an integer in [${-rows}, ${rows}) (within numEmbeddings=${rows}), got ${String(paddingIdx)}`);
  }
  return paddingIdx < 0 ? paddingIdx + rows : paddingIdx;
}

function checkNorms(op: string, maxNorm: number | null | undefined, normType: number): void {
  if (maxNorm !== null && maxNorm !== undefined) expectPositive(op, 'maxNorm', maxNorm);
  expectPositive(op, 'normType', normType);
}

function checkIndices(op: string, indices: Tensor, rows: number): void {
  if (!(indices instanceof Tensor)) throw new DTypeError(op, `indices must be an int32 Tensor, got ${typeof indices}`);
  if (indices.dtype !== 'int32') {
    throw new DTypeError(op, `indices have dtype ${indices.dtype} (shape ${fmtShape(indices.shape)}); need int32 row numbers (e.g. tensor(ids, { dtype: 'int32' }))`);
  }
  const d = indices.data;
  for (let i = 0; i < d.length; i++) {
    const v = d[i]!;
    if (v < 0 || v >= rows) {
      throw new ValueError(op, `index ${v} at position ${i} of indices ${fmtShape(indices.shape)} is out of range for numEmbeddings=${rows} (need 0 ≤ index < ${rows})`);
    }
  }
}

function checkTable(op: string, weight: Tensor): void {
  expectFloat(op, weight, 'weight');
  if (weight.ndim !== 2) throw new ShapeError(op, `weight has shape ${fmtShape(weight.shape)}; need [numEmbeddings, embeddingDim]`);
}

/**
 * PyTorch's `embedding_renorm_`: every distinct row of `weight` that `idx`
 * names and whose p-norm exceeds `maxNorm` is scaled to maxNorm/(norm + 1e-7)
 * of itself, in place and outside the graph. The storage's version is bumped
 * only when a row changed, so a recorded graph that read the old values
 * refuses to backward instead of computing a wrong gradient.
 */
function renormRows(weight: Tensor, idx: Int32Array, maxNorm: number, normType: number): void {
  const [rows, dim] = weight.shape as [number, number];
  const w = weight.data;
  const seen = new Uint8Array(rows);
  let changed = false;
  for (let i = 0; i < idx.length; i++) {
    const r = idx[i]!;
    if (seen[r] === 1) continue;
    seen[r] = 1;
    const base = r * dim;
    let norm = 0;
    if (normType === 2) {
      for (let j = 0; j < dim; j++) norm += w[base + j]! * w[base + j]!;
      norm = Math.sqrt(norm);
    } else if (normType === 1) {
      for (let j = 0; j < dim; j++) norm += Math.abs(w[base + j]!);
    } else if (normType === Infinity) {
      for (let j = 0; j < dim; j++) norm = Math.max(norm, Math.abs(w[base + j]!));
    } else {
      for (let j = 0; j < dim; j++) norm += Math.abs(w[base + j]!) ** normType;
      norm **= 1 / normType;
    }
    if (norm > maxNorm) {
      const scale = maxNorm / (norm + 1e-7);
      for (let j = 0; j < dim; j++) w[base + j] = w[base + j]! * scale;
      changed = true;
    }
  }
  if (changed) noGrad(() => weight.markModified_());
}

function embeddingImpl(op: string, indices: Tensor, weight: Tensor, paddingIdx: number, options: EmbeddingOptions): Tensor {
  const [rows, dim] = weight.shape as [number, number];
  checkIndices(op, indices, rows);
  const normType = options.normType ?? 2;
  if (options.maxNorm !== null && options.maxNorm !== undefined) renormRows(weight, indices.data as Int32Array, options.maxNorm, normType);
  return lookupOp([weight, indices], { dim, paddingIdx, zeroPadding: false });
}

/**
 * Rows of `weight` `[numEmbeddings, embeddingDim]` picked by int32 `indices`
 * of any shape: output `[...indices.shape, embeddingDim]` (as
 * `torch.nn.functional.embedding`). The `paddingIdx` row gets no gradient;
 * with `maxNorm`, looked-up rows are renormalized in place first.
 *
 * @example
 * const vectors = embedding(tokenIds, table); // tokenIds [B, T] int32, table [V, D] → [B, T, D]
 */
export function embedding(indices: Tensor, weight: Tensor, options: EmbeddingOptions = {}): Tensor {
  const op = 'embedding';
  expectOptions(op, options, ['paddingIdx', 'maxNorm', 'normType']);
  checkTable(op, weight);
  checkNorms(op, options.maxNorm, options.normType ?? 2);
  return embeddingImpl(op, indices, weight, normalizePaddingIdx(op, options.paddingIdx, weight.shape[0]!), options);
}

/** Options of `Embedding` (PyTorch's, camel-cased). */
export interface EmbeddingLayerOptions extends EmbeddingOptions {
  /** Source of randomness for the N(0, 1) initial weights. */
  generator?: Generator;
  /** Parameter dtype (default `float32`). */
  dtype?: FloatDType;
  /** A `[numEmbeddings, embeddingDim]` table to use as the weight, sharing its storage and not re-initialised (PyTorch's `_weight`). */
  weight?: Tensor;
}

/** Options of `Embedding.fromPretrained`. */
export interface FromPretrainedOptions extends EmbeddingOptions {
  /** Keep the table fixed: the weight does not require grad (default `true`). */
  freeze?: boolean;
}

/**
 * A lookup table (`torch.nn.Embedding`): int32 indices of any shape to
 * `[...indices.shape, embeddingDim]` rows of `weight`
 * `[numEmbeddings, embeddingDim]`, initialised N(0, 1) with the `paddingIdx`
 * row zeroed; that row never gets a gradient. With `maxNorm`, rows looked up
 * are renormalized in place (outside the graph) as PyTorch does.
 *
 * @example
 * const emb = new Embedding(1000, 64, { paddingIdx: 0, generator: new Generator(0) });
 * emb.forward(tensor([[5, 7, 0]], { dtype: 'int32' })); // [1, 3, 64]
 */
export class Embedding extends Module {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  /** The padding row (normalized to ≥ 0), or `null`. */
  readonly paddingIdx: number | null;
  readonly maxNorm: number | null;
  readonly normType: number;
  /** `[numEmbeddings, embeddingDim]`. */
  readonly weight: Parameter;

  constructor(numEmbeddings: number, embeddingDim: number, options: EmbeddingLayerOptions = {}) {
    super();
    const op = new.target.name;
    expectOptions(op, options, ['paddingIdx', 'maxNorm', 'normType', 'generator', 'dtype', 'weight']);
    expectInt(op, 'numEmbeddings', numEmbeddings, 1);
    expectInt(op, 'embeddingDim', embeddingDim, 0);
    const { maxNorm = null, normType = 2, dtype = 'float32' } = options;
    checkNorms(op, maxNorm, normType);
    if (dtype !== 'float32' && dtype !== 'float64') throw new DTypeError(op, `dtype must be float32 or float64, got ${String(dtype)}`);
    const pad = normalizePaddingIdx(op, options.paddingIdx, numEmbeddings);
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    this.paddingIdx = pad < 0 ? null : pad;
    this.maxNorm = maxNorm;
    this.normType = normType;
    if (options.weight !== undefined) {
      const w = options.weight;
      checkTable(op, w);
      if (w.shape[0] !== numEmbeddings || w.shape[1] !== embeddingDim) {
        throw new ShapeError(op, `weight has shape ${fmtShape(w.shape)}; need [numEmbeddings, embeddingDim] = [${numEmbeddings}, ${embeddingDim}]`);
      }
      this.weight = this.param('weight', w);
    } else {
      this.weight = this.param('weight', zeros([numEmbeddings, embeddingDim], { dtype }));
      this.resetParameters(options.generator);
    }
  }

  /**
   * An embedding whose table is `embeddings` `[numEmbeddings, embeddingDim]`
   * (shared, not copied), frozen unless `freeze: false`; the padding row is
   * kept as given (as `torch.nn.Embedding.from_pretrained`).
   *
   * @example const emb = Embedding.fromPretrained(gloveVectors, { freeze: true });
   */
  static fromPretrained(embeddings: Tensor, options: FromPretrainedOptions = {}): Embedding {
    const op = 'Embedding.fromPretrained';
    expectOptions(op, options, ['freeze', 'paddingIdx', 'maxNorm', 'normType']);
    checkTable(op, embeddings);
    const { freeze = true, ...rest } = options;
    const [rows, dim] = embeddings.shape as [number, number];
    const weight = new Parameter(embeddings, { requiresGrad: !freeze });
    return new Embedding(rows, dim, { ...rest, weight });
  }

  /** N(0, 1) weights with the padding row zeroed (PyTorch's `reset_parameters`). */
  resetParameters(generator?: Generator): void {
    normal_(this.weight, 0, 1, { generator });
    const pad = this.paddingIdx;
    if (pad !== null) {
      noGrad(() => {
        this.weight.data.fill(0, pad * this.embeddingDim, (pad + 1) * this.embeddingDim);
        this.weight.markModified_();
      });
    }
  }

  forward(indices: Tensor): Tensor {
    const op = this.constructor.name;
    const options: EmbeddingOptions = { maxNorm: this.maxNorm, normType: this.normType };
    return embeddingImpl(op, indices, this.weight, this.paddingIdx ?? -1, options);
  }

  override extraRepr(): string {
    const extra = [
      this.paddingIdx !== null ? `paddingIdx=${this.paddingIdx}` : '',
      this.maxNorm !== null ? `maxNorm=${this.maxNorm}` : '',
      this.normType !== 2 ? `normType=${this.normType}` : '',
    ].filter((s) => s !== '');
    return [`${this.numEmbeddings}, ${this.embeddingDim}`, ...extra].join(', ');
  }
}
