import { expectOptions, expectTensor } from '../checks.js';
import { isFloatDType } from '../dtype.js';
import { DTypeError, ValueError, fmtShape } from '../errors.js';
import { noGrad } from '../grad-mode.js';
import { expectFinite } from '../internal/checks.js';
import { getDefaultGenerator, Generator } from '../random.js';
import type { Tensor } from '../tensor.js';

/** Nonlinearity names of `calculateGain`, spelled as in `torch.nn.init`. */
export type Nonlinearity =
  | 'linear'
  | 'conv1d'
  | 'conv2d'
  | 'conv3d'
  | 'conv_transpose1d'
  | 'conv_transpose2d'
  | 'conv_transpose3d'
  | 'sigmoid'
  | 'tanh'
  | 'relu'
  | 'leaky_relu'
  | 'selu';

/** Options shared by the random initializers. */
export interface InitOptions {
  /** Source of randomness (default: the generator `manualSeed` resets). */
  generator?: Generator;
}

/** Options of `xavierUniform_` / `xavierNormal_`. */
export interface XavierOptions extends InitOptions {
  /** Scaling factor (default 1); see `calculateGain`. */
  gain?: number;
}

/** Options of `kaimingUniform_` / `kaimingNormal_`. */
export interface KaimingOptions extends InitOptions {
  /** Negative slope of the rectifier after this layer (only used with `'leaky_relu'`; default 0). */
  a?: number;
  /** Preserve the variance of the forward pass (`'fanIn'`, default) or of the backward pass (`'fanOut'`). */
  mode?: 'fanIn' | 'fanOut';
  /** The nonlinearity after this layer (default `'leaky_relu'`, as PyTorch). */
  nonlinearity?: Nonlinearity;
}

const LINEAR_LIKE: ReadonlySet<string> = new Set([
  'linear',
  'conv1d',
  'conv2d',
  'conv3d',
  'conv_transpose1d',
  'conv_transpose2d',
  'conv_transpose3d',
  'sigmoid',
]);

/**
 * The recommended gain for a nonlinearity, as `torch.nn.init.calculate_gain`:
 * 1 for linear/conv/sigmoid, 5/3 for tanh, √2 for relu,
 * √(2 / (1 + slope²)) for leaky_relu (slope `param`, default 0.01), 3/4 for selu.
 *
 * @example calculateGain('leaky_relu', 0.2) // ≈ 1.3868
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  if (typeof nonlinearity !== 'string') throw new ValueError('calculateGain', `nonlinearity must be a name such as 'relu', got ${String(typeof nonlinearity === 'symbol' ? 'a symbol' : nonlinearity)}`);
  if (LINEAR_LIKE.has(nonlinearity)) return 1;
  switch (nonlinearity) {
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leaky_relu': {
      const slope = param ?? 0.01;
      expectFinite('calculateGain', 'negative slope', slope);
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case 'selu':
      // SELU's own scale makes 3/4 keep the variance (PyTorch's value).
      return 3 / 4;
    default:
      throw new ValueError('calculateGain', `unsupported nonlinearity '${String(nonlinearity)}'`);
  }
}

/**
 * Fan-in and fan-out of a weight laid out as `[out, in, ...receptive]`, as
 * PyTorch's `_calculate_fan_in_and_fan_out`: `fanIn = in·∏receptive`,
 * `fanOut = out·∏receptive`.
 *
 * @example fanInAndFanOut(zeros([16, 3, 5, 5])) // { fanIn: 75, fanOut: 400 }
 */
export function fanInAndFanOut(t: Tensor): { fanIn: number; fanOut: number } {
  expectTensor('fanInAndFanOut', t);
  if (t.ndim < 2) {
    throw new ValueError('fanInAndFanOut', `fan in and fan out need a tensor with at least 2 dimensions, got shape ${fmtShape(t.shape)}`);
  }
  let receptive = 1;
  for (let i = 2; i < t.ndim; i++) receptive *= t.shape[i]!;
  return { fanIn: t.shape[1]! * receptive, fanOut: t.shape[0]! * receptive };
}

function expectFloatTensor(op: string, t: Tensor): void {
  expectTensor(op, t, 'tensor');
  if (!isFloatDType(t.dtype)) throw new DTypeError(op, `tensor has dtype ${t.dtype} (shape ${fmtShape(t.shape)}); need float32 or float64`);
}

/** Writes `sample()` into every element of `t`, outside the graph. */
function fillWith(t: Tensor, sample: () => number): Tensor {
  const values = new Float64Array(t.size);
  for (let i = 0; i < values.length; i++) values[i] = sample();
  noGrad(() => t.assign_(values));
  return t;
}

/** An initializer's options: known keys and a Generator. */
function checkInitOptions(op: string, options: InitOptions, known: readonly string[]): void {
  expectOptions(op, options, known);
  if (options.generator !== undefined && !(options.generator instanceof Generator)) {
    throw new ValueError(op, `generator must be a Generator, got ${typeof options.generator === 'object' ? 'an object' : String(options.generator)}`);
  }
}

function uniformFill(op: string, t: Tensor, low: number, high: number, g: Generator | undefined): Tensor {
  expectFloatTensor(op, t);
  const gen = g ?? getDefaultGenerator();
  return fillWith(t, () => low + (high - low) * gen.random());
}

function normalFill(op: string, t: Tensor, mean: number, std: number, g: Generator | undefined): Tensor {
  expectFloatTensor(op, t);
  const gen = g ?? getDefaultGenerator();
  return fillWith(t, () => mean + std * gen.normal());
}

/** Fills `t` in place with U(a, b) samples; returns `t`. @example uniform_(w, -0.1, 0.1, { generator }) */
export function uniform_(t: Tensor, a = 0, b = 1, options: InitOptions = {}): Tensor {
  expectFloatTensor('uniform_', t);
  checkInitOptions('uniform_', options, ['generator']);
  expectFinite('uniform_', 'a', a);
  expectFinite('uniform_', 'b', b);
  if (a > b) throw new ValueError('uniform_', `need a ≤ b, got a=${a}, b=${b}`);
  return uniformFill('uniform_', t, a, b, options.generator);
}

/** Fills `t` in place with N(mean, std²) samples; returns `t`. @example normal_(w, 0, 0.02) */
export function normal_(t: Tensor, mean = 0, std = 1, options: InitOptions = {}): Tensor {
  expectFloatTensor('normal_', t);
  checkInitOptions('normal_', options, ['generator']);
  expectFinite('normal_', 'mean', mean);
  expectFinite('normal_', 'std', std);
  if (std < 0) throw new ValueError('normal_', `std must be ≥ 0, got ${std}`);
  return normalFill('normal_', t, mean, std, options.generator);
}

/** Fills `t` in place with `value`; returns `t`. @example constant_(bias, 0.1) */
export function constant_(t: Tensor, value: number): Tensor {
  expectTensor('constant_', t, 'tensor');
  if (typeof value !== 'number' || Number.isNaN(value)) throw new ValueError('constant_', `value must be a number, got ${String(value)}`);
  noGrad(() => t.fill_(value));
  return t;
}

/** Fills `t` in place with zeros; returns `t`. */
export function zeros_(t: Tensor): Tensor {
  return constant_(t, 0);
}

/** Fills `t` in place with ones; returns `t`. */
export function ones_(t: Tensor): Tensor {
  return constant_(t, 1);
}

function xavierStd(op: string, t: Tensor, gain: number): number {
  expectFinite(op, 'gain', gain);
  const { fanIn, fanOut } = fanInAndFanOut(t);
  return fanIn + fanOut > 0 ? gain * Math.sqrt(2 / (fanIn + fanOut)) : 0;
}

/**
 * Glorot/Xavier uniform: U(−a, a) with a = gain·√(6 / (fanIn + fanOut)),
 * keeping activation variance roughly constant through linear layers.
 *
 * @example xavierUniform_(fc.weight, { gain: calculateGain('tanh') })
 */
export function xavierUniform_(t: Tensor, options: XavierOptions = {}): Tensor {
  expectFloatTensor('xavierUniform_', t);
  checkInitOptions('xavierUniform_', options, ['gain', 'generator']);
  const bound = Math.sqrt(3) * xavierStd('xavierUniform_', t, options.gain ?? 1);
  return uniformFill('xavierUniform_', t, -bound, bound, options.generator);
}

/** Glorot/Xavier normal: N(0, std²) with std = gain·√(2 / (fanIn + fanOut)). @example xavierNormal_(w) */
export function xavierNormal_(t: Tensor, options: XavierOptions = {}): Tensor {
  expectFloatTensor('xavierNormal_', t);
  checkInitOptions('xavierNormal_', options, ['gain', 'generator']);
  return normalFill('xavierNormal_', t, 0, xavierStd('xavierNormal_', t, options.gain ?? 1), options.generator);
}

function kaimingStd(op: string, t: Tensor, options: KaimingOptions): number | null {
  const a = options.a ?? 0;
  expectFinite(op, 'a', a);
  const mode = options.mode ?? 'fanIn';
  if (mode !== 'fanIn' && mode !== 'fanOut') throw new ValueError(op, `mode must be 'fanIn' or 'fanOut', got '${String(mode)}'`);
  const { fanIn, fanOut } = fanInAndFanOut(t);
  // A zero-element tensor has nothing to fill (PyTorch warns and returns).
  if (t.size === 0) return null;
  const fan = mode === 'fanIn' ? fanIn : fanOut;
  return calculateGain(options.nonlinearity ?? 'leaky_relu', a) / Math.sqrt(fan);
}

/**
 * He/Kaiming uniform: U(−b, b) with b = gain·√(3 / fan), gain from
 * `calculateGain(nonlinearity, a)` and fan chosen by `mode`.
 *
 * @example kaimingUniform_(conv.weight, { nonlinearity: 'relu' })
 */
export function kaimingUniform_(t: Tensor, options: KaimingOptions = {}): Tensor {
  expectFloatTensor('kaimingUniform_', t);
  checkInitOptions('kaimingUniform_', options, ['a', 'mode', 'nonlinearity', 'generator']);
  const std = kaimingStd('kaimingUniform_', t, options);
  if (std === null) return t;
  const bound = Math.sqrt(3) * std;
  return uniformFill('kaimingUniform_', t, -bound, bound, options.generator);
}

/** He/Kaiming normal: N(0, std²) with std = gain / √fan. @example kaimingNormal_(w, { mode: 'fanOut', nonlinearity: 'relu' }) */
export function kaimingNormal_(t: Tensor, options: KaimingOptions = {}): Tensor {
  expectFloatTensor('kaimingNormal_', t);
  checkInitOptions('kaimingNormal_', options, ['a', 'mode', 'nonlinearity', 'generator']);
  const std = kaimingStd('kaimingNormal_', t, options);
  if (std === null) return t;
  return normalFill('kaimingNormal_', t, 0, std, options.generator);
}
