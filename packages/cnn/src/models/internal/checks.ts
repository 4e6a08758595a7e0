import { DTypeError, Generator, ShapeError, type Tensor, ValueError, expectOptions, expectTensor, fmtShape, isFloatDType } from '@dl/tensor';

/** What a model needs of an image batch before it runs a layer. */
export interface ImageInputSpec {
  /** Channels at dim 1. */
  readonly channels: number;
  /** Smallest H and W the layers accept (adaptive pooling takes any size from there on). */
  readonly minSize?: number;
  /** The only (H, W) sizes the model takes, with a note on why (a fixed-size classifier). */
  readonly sizes?: readonly number[];
  readonly sizesWhy?: string;
}

/**
 * Throws an error naming `model` unless `x` is an `[N, C, H, W]` float batch the
 * model can take: a layer deep inside would otherwise fail with its own name
 * and shapes the caller never passed.
 */
export function expectImageBatch(model: string, x: Tensor, spec: ImageInputSpec): void {
  expectTensor(model, x);
  const { channels } = spec;
  if (x.ndim !== 4) {
    const hint = x.ndim === 3 ? ` (a single image? add the batch dimension: x.unsqueeze(0))` : '';
    throw new ShapeError(model, `expected a 4-D [N, ${channels}, H, W] input, got shape ${fmtShape(x.shape)} (rank ${x.ndim})${hint}`);
  }
  if (!isFloatDType(x.dtype)) throw new DTypeError(model, `input has dtype ${x.dtype}; need float32 or float64 images`);
  const [, c, h, w] = x.shape as [number, number, number, number];
  if (c !== channels) {
    throw new ShapeError(model, `input has ${c} channels (shape ${fmtShape(x.shape)}); the model takes [N, ${channels}, H, W]`);
  }
  if (spec.sizes !== undefined && !(spec.sizes.includes(h) && spec.sizes.includes(w))) {
    const list = spec.sizes.map((s) => `${s}×${s}`).join(' or ');
    throw new ShapeError(model, `input is ${h}×${w} (shape ${fmtShape(x.shape)}); the model takes ${list} images${spec.sizesWhy ? ` (${spec.sizesWhy})` : ''}`);
  }
  if (spec.minSize !== undefined && (h < spec.minSize || w < spec.minSize)) {
    throw new ShapeError(model, `input of ${h}×${w} (shape ${fmtShape(x.shape)}) is too small; the model needs H, W ≥ ${spec.minSize}`);
  }
}

/** Checks a builder's options object against its known keys and the common ones. */
export function expectBuilderOptions(op: string, options: object, known: readonly string[]): void {
  expectOptions(op, options, known);
  const o = options as { generator?: unknown; numClasses?: unknown };
  if (o.generator !== undefined && !(o.generator instanceof Generator)) {
    throw new ValueError(op, `generator must be a Generator, got ${typeof o.generator}`);
  }
  if (o.numClasses !== undefined && !(Number.isInteger(o.numClasses) && (o.numClasses as number) >= 1)) {
    throw new ValueError(op, `numClasses must be a positive integer, got ${String(o.numClasses)}`);
  }
}

/** Throws unless `value` is one of `allowed`. */
export function expectChoice<T extends string | number>(op: string, name: string, value: unknown, allowed: readonly T[]): asserts value is T {
  if (!allowed.includes(value as T)) {
    throw new ValueError(op, `${name} must be ${allowed.map((a) => (typeof a === 'string' ? `'${a}'` : String(a))).join(', ')}; got ${typeof value === 'string' ? `'${value}'` : String(value)}`);
  }
}

/** Throws unless `p` is a dropout probability in [0, 1). */
export function expectDropout(op: string, name: string, p: unknown): void {
  if (typeof p !== 'number' || !(p >= 0 && p < 1)) throw new ValueError(op, `${name} must be a probability in [0, 1), got ${String(p)}`);
}
