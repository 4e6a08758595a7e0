import { type DType, DTypeError, type FloatDType, type Generator, type Parameter, ShapeError, type Tensor, ValueError, describeValue, fanInAndFanOut, fmtShape, kaimingUniform_, uniform_ } from '@dl/tensor';

/** A layer's dtype option: float32 (default) or float64. */
export function layerDType(op: string, dtype: unknown): FloatDType {
  if (dtype === undefined) return 'float32';
  if (dtype !== 'float32' && dtype !== 'float64') throw new DTypeError(op, `dtype must be 'float32' or 'float64', got ${describeValue(dtype)}`);
  return dtype;
}

/** A layer's bias option (default true). */
export function layerBias(op: string, bias: unknown): boolean {
  if (bias === undefined) return true;
  if (typeof bias !== 'boolean') throw new ValueError(op, `bias must be true or false, got ${describeValue(bias)}`);
  return bias;
}

/**
 * PyTorch's `_ConvNd.reset_parameters`: the weight from kaiming_uniform with
 * a = √5 (U(−1/√fanIn, 1/√fanIn)), then the bias from U(−1/√fanIn, 1/√fanIn),
 * one generator stream, weight first.
 */
export function resetConvParameters(weight: Parameter, bias: Parameter | null, generator: Generator | undefined): void {
  kaimingUniform_(weight, { a: Math.sqrt(5), generator });
  if (bias !== null) {
    const { fanIn } = fanInAndFanOut(weight);
    const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
    uniform_(bias, -bound, bound, { generator });
  }
}

/** A layer's input: rank `rank`, `channels` at dim 1, the layer's dtype; errors name the layer. */
export function expectLayerInput(op: string, x: Tensor, rank: number, layout: string, channels: number | null, dtype: DType | null): void {
  if (x === null || typeof x !== 'object' || !('shape' in x)) throw new ValueError(op, `input must be a Tensor, got ${describeValue(x)}`);
  if (x.ndim !== rank) {
    const hint = x.ndim === rank - 1 ? `; for a single sample add the batch dimension: unsqueeze(x, 0)` : '';
    throw new ShapeError(op, `expected a ${rank}-D input ${layout}, got shape ${fmtShape(x.shape)} (rank ${x.ndim})${hint}`);
  }
  if (channels !== null && x.shape[1] !== channels) {
    const shown = layout.replace('C', String(x.shape[1]));
    throw new ShapeError(op, `got input with ${x.shape[1]} channels ${shown} (shape ${fmtShape(x.shape)}); the layer takes ${channels}`);
  }
  if (dtype !== null && x.dtype !== dtype) throw new DTypeError(op, `input has dtype ${x.dtype} but the layer's parameters are ${dtype}; convert one with .to()`);
}

/** The option names of `Conv2d` and `Conv1d`. */
export const CONV_LAYER_KEYS = ['stride', 'padding', 'dilation', 'groups', 'bias', 'paddingMode', 'generator', 'dtype'] as const;

/** `paddingMode` of a conv layer: only zeros. */
export function expectPaddingMode(op: string, mode: unknown): void {
  if (mode !== undefined && mode !== 'zeros') {
    throw new ValueError(op, `paddingMode ${describeValue(mode)} is not supported; only 'zeros' (pad the input yourself with pad() for other modes)`);
  }
}
