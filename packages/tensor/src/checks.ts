import { type DType, isFloatDType } from './dtype.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from './errors.js';
import { Tensor } from './tensor.js';

// The argument checks every package uses: one wording, errors that name the
// op, the argument, the value received and what was needed.

/**
 * How a failed value check words its message. `'must'` (default):
 * `Dropout: p must be a probability in [0, 1), got 1`. `'invalid'`, PyTorch's
 * optimizer wording: `SGD: invalid learning rate: -1; need a finite number ≥ 0`.
 */
export type CheckWording = 'must' | 'invalid';

/** Options of the value checks (`expectNonNegative`, `expectInt`, ...). */
export interface CheckOptions {
  /** Message wording (default `'must'`). */
  wording?: CheckWording;
}

/** Options of the interval checks (`expectUnitInterval`, `expectProbability`). */
export interface IntervalCheckOptions extends CheckOptions {
  /** Accept 1 itself: [0, 1] instead of [0, 1) (default `false` for `expectUnitInterval`, `true` for `expectProbability`). */
  includeOne?: boolean;
}

/**
 * Throws a `ValueError` for argument `name` of `op` that got `v` but needs `need` (a phrase: "a finite number ≥ 0").
 *
 * @example if (!(v > 0 && v <= 1)) failValue('StepLR', 'gamma', v, 'a number in (0, 1]');
 */
export function failValue(op: string, name: string, v: unknown, need: string, options: CheckOptions = {}): never {
  const got = shortValue(v);
  if (options?.wording === 'invalid') throw new ValueError(op, `invalid ${name}: ${got}; need ${need}`);
  throw new ValueError(op, `${name} must be ${need}, got ${got}`);
}

/** A value as messages show it: numbers, strings and booleans as themselves, anything else described (`an array of 2 items`). */
function shortValue(v: unknown): string {
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) return String(v);
  if (typeof v === 'string') return `'${v}'`;
  if (typeof v === 'bigint') return `${v}n (a bigint; pass a number)`;
  return describeValue(v);
}

/**
 * Throws a `ValueError` unless `v` is a `Tensor`: the first check of a public
 * function, so that `null`, a nested array or a number passed for a tensor is
 * named instead of failing later as a `TypeError`.
 *
 * @example expectTensor('softmax', x) // softmax: input must be a Tensor, got an array of 2 items; wrap it with tensor(...)
 */
export function expectTensor(op: string, v: unknown, what = 'input'): asserts v is Tensor {
  if (!(v instanceof Tensor)) {
    const hint = Array.isArray(v) || typeof v === 'number' || ArrayBuffer.isView(v) ? '; wrap it with tensor(...)' : '';
    throw new ValueError(op, `${what} must be a Tensor, got ${describeValue(v)}${hint}`);
  }
}

/**
 * Throws a `DTypeError` unless `t` is float32 or float64.
 *
 * @example expectFloat('softmax', x) // softmax: input has dtype int32 (shape [2]); need float32 or float64
 */
export function expectFloat(op: string, t: Tensor, what = 'input'): void {
  expectTensor(op, t, what);
  if (!isFloatDType(t.dtype)) {
    throw new DTypeError(op, `${what} has dtype ${t.dtype} (shape ${fmtShape(t.shape)}); need float32 or float64`);
  }
}

/**
 * Throws a `DTypeError` unless `t` has one of `dtypes`.
 *
 * @example expectDType('embedding', indices, ['int32'], 'indices')
 */
export function expectDType(op: string, t: Tensor, dtypes: readonly DType[], what = 'input'): void {
  if (!Array.isArray(dtypes)) throw new ValueError('expectDType', `dtypes must be an array of dtype names, got ${describeValue(dtypes)}`);
  expectTensor(op, t, what);
  if (!dtypes.includes(t.dtype)) {
    throw new DTypeError(op, `${what} has dtype ${t.dtype} (shape ${fmtShape(t.shape)}); need ${dtypes.join(' or ')}`);
  }
}

/**
 * Throws a `ShapeError` unless `t` has `ndim` dimensions (or one of a list).
 *
 * @example expectRank('BatchNorm2d', x, 4) // BatchNorm2d: input has shape [2, 3] (rank 2); need rank 4
 */
export function expectRank(op: string, t: Tensor, ndim: number | readonly number[], what = 'input'): void {
  if (typeof ndim !== 'number' && !Array.isArray(ndim)) throw new ValueError('expectRank', `ndim must be a number or an array of numbers, got ${describeValue(ndim)}`);
  expectTensor(op, t, what);
  const ok = typeof ndim === 'number' ? t.ndim === ndim : ndim.includes(t.ndim);
  if (!ok) {
    const need = typeof ndim === 'number' ? `${ndim}` : ndim.join(' or ');
    throw new ShapeError(op, `${what} has shape ${fmtShape(t.shape)} (rank ${t.ndim}); need rank ${need}`);
  }
}

/**
 * Throws unless `v` is a finite number.
 *
 * @example expectFinite('LeakyReLU', 'negativeSlope', slope)
 */
export function expectFinite(op: string, name: string, v: number, options?: CheckOptions): void {
  if (typeof v !== 'number' || !Number.isFinite(v)) failValue(op, name, v, 'a finite number', options);
}

/**
 * Throws unless `v` is an integer ≥ `min` (default 0).
 *
 * @example expectInt('Linear', 'inFeatures', n) // Linear: inFeatures must be an integer ≥ 0, got 2.5
 */
export function expectInt(op: string, name: string, v: number, min = 0, options?: CheckOptions): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) failValue(op, name, v, `an integer ≥ ${min}`, options);
}

/**
 * Throws unless `v` is a finite number ≥ 0 (learning rates, eps, standard deviations).
 *
 * @example expectNonNegative('batchNorm', 'eps', eps)
 */
export function expectNonNegative(op: string, name: string, v: number, options?: CheckOptions): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) failValue(op, name, v, 'a finite number ≥ 0', options);
}

/**
 * Throws unless `v` is a finite number > 0.
 *
 * @example expectPositive('LayerNorm', 'eps', eps)
 */
export function expectPositive(op: string, name: string, v: number, options?: CheckOptions): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) failValue(op, name, v, 'a finite number > 0', options);
}

/**
 * Throws unless `v` is a number in [0, 1) (or [0, 1] with `includeOne`): decay rates, betas, momenta.
 *
 * @example expectUnitInterval('RMSprop', 'alpha value', alpha, { includeOne: true, wording: 'invalid' })
 */
export function expectUnitInterval(op: string, name: string, v: number, options: IntervalCheckOptions = {}): void {
  const includeOne = options.includeOne ?? false;
  const ok = typeof v === 'number' && v >= 0 && (includeOne ? v <= 1 : v < 1);
  if (!ok) failValue(op, name, v, `a number in [0, 1${includeOne ? ']' : ')'}`, options);
}

/**
 * Throws unless `v` is a probability in [0, 1] (or [0, 1) with `includeOne: false`, as a drop rate needs: 1/(1 − p) scaling).
 *
 * @example expectProbability('Dropout', 'p', p, { includeOne: false }) // Dropout: p must be a probability in [0, 1), got 1
 */
export function expectProbability(op: string, name: string, v: number, options: IntervalCheckOptions = {}): void {
  const includeOne = options.includeOne ?? true;
  const ok = typeof v === 'number' && v >= 0 && (includeOne ? v <= 1 : v < 1);
  if (!ok) failValue(op, name, v, `a probability in [0, 1${includeOne ? ']' : ')'}`, options);
}

/**
 * Throws unless `v` is `true` or `false`.
 *
 * @example expectBoolean('SGD', 'nesterov', nesterov)
 */
export function expectBoolean(op: string, name: string, v: unknown, options?: CheckOptions): void {
  if (typeof v !== 'boolean') failValue(op, name, v, 'true or false', options);
}

/**
 * Throws unless `range` is `[low, high]` with finite low ≤ high (and low ≥ `min`).
 *
 * @example expectRange('RandomScale', 'range', [0.9, 1.1], 0)
 */
export function expectRange(op: string, name: string, range: readonly [number, number], min = -Infinity, options?: CheckOptions): void {
  const ok = Array.isArray(range) && range.length === 2;
  const [lo, hi] = ok ? range : [Number.NaN, Number.NaN];
  if (!ok || !Number.isFinite(lo) || !Number.isFinite(hi) || lo > hi || lo < min) {
    const got = ok ? `[${String(lo)}, ${String(hi)}]` : String(range);
    const need = `[low, high] with finite low ≤ high${min > -Infinity ? ` and low ≥ ${min}` : ''}`;
    if (options?.wording === 'invalid') throw new ValueError(op, `invalid ${name}: ${got}; need ${need}`);
    throw new ValueError(op, `${name} must be ${need}, got ${got}`);
  }
}

/**
 * Throws a `ValueError` naming the first key of `options` that is not in
 * `known` (a snake_case PyTorch name passed by habit, a typo), which would
 * otherwise be ignored silently, and the known key it most likely meant
 * (`weight_decay` → `weightDecay`, `beta1` → `betas`). `options` must be
 * `undefined` or a plain object (`{ ... }`): an array, a tensor, a boolean
 * passed where an options object belongs is refused too.
 *
 * @example expectOptions('LayerNorm', options, ['eps', 'elementwiseAffine', 'bias', 'dtype'])
 * // LayerNorm: unknown option 'elementwise_affine'; the options are eps, elementwiseAffine, bias, dtype — did you mean 'elementwiseAffine'?
 */
export function expectOptions(op: string, options: object | undefined, known: readonly string[]): void {
  if (!Array.isArray(known)) throw new ValueError('expectOptions', `known must be an array of option names, got ${describeValue(known)}`);
  if (options === undefined) return;
  if (!isPlainObject(options)) throw new ValueError(op, `options must be a plain object ({ ... }), got ${describeValue(options)}`);
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const list = known.length > 0 ? `the options are ${known.join(', ')}` : 'it takes no options';
    const guess = nearestKey(key, known);
    throw new ValueError(op, `unknown option '${key}'; ${list}${guess === undefined ? '' : ` — did you mean '${guess}'?`}`);
  }
}

function isPlainObject(v: unknown): v is object {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * The known key `key` most likely stands for: the same letters ignoring case,
 * `_` and `-` (`weight_decay`, `WEIGHTDECAY`), else the closest by edit
 * distance (a swap of two neighbouring letters counts as one edit) when it
 * is close enough to be a typo (at most a third of the key's length, and at
 * least 1). `undefined` when nothing is close.
 *
 * @example nearestKey('weight_decay', ['lr', 'weightDecay']) // 'weightDecay'
 */
export function nearestKey(key: string, known: readonly string[]): string | undefined {
  if (typeof key !== 'string' || !Array.isArray(known)) return undefined;
  const norm = (s: string): string => s.toLowerCase().replace(/[_-]/g, '');
  const k = norm(key);
  const names = known.filter((c): c is string => typeof c === 'string');
  const same = names.find((c) => norm(c) === k);
  if (same !== undefined) return same;
  let best: string | undefined;
  let bestDist = Math.max(1, Math.floor(k.length / 3)) + 1;
  for (const c of names) {
    const d = editDistance(k, norm(c));
    if (d < bestDist) {
      best = c;
      bestDist = d;
    }
  }
  return best;
}

/** Edit distance counting insertions, deletions, substitutions and swaps of neighbours (optimal string alignment). */
function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row[j] = j;
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      row[j] = d;
    }
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}

/**
 * A short description of a value for error messages: `an array of 2 items`, `a Tensor`, `number 3`, `undefined`.
 *
 * @example `got ${describeValue(x)}`
 */
export function describeValue(v: unknown): string {
  if (Array.isArray(v)) return `an array of ${v.length} item${v.length === 1 ? '' : 's'}`;
  if (v === null || v === undefined) return String(v);
  if (v instanceof Tensor) return `a Tensor (${v.dtype}, shape ${fmtShape(v.shape)})`;
  if (typeof v === 'object' || typeof v === 'function') {
    if (typeof v === 'function') return 'a function';
    let name: unknown;
    try {
      name = (v as object).constructor?.name;
    } catch {
      name = undefined;
    }
    if (typeof name !== 'string' || name === '' || name === 'Object') return 'a plain object';
    return `${/^[aeiou]/i.test(name) ? 'an' : 'a'} ${name}`;
  }
  if (typeof v === 'string') return `string '${v.length > 40 ? `${v.slice(0, 40)}…` : v}'`;
  if (typeof v === 'bigint') return `bigint ${String(v)}n`;
  return `${typeof v} ${String(v)}`;
}
