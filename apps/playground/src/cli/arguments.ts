/**
 * Strict parsers for the CLI's option values: every one refuses what it does
 * not fully understand ("12abc", "0x10", "1e400") instead of reading a prefix.
 *
 * @packageDocumentation
 */
import { InvalidArgumentError } from 'commander';

const WHOLE = /^\d+$/;
// A plain decimal, optionally with an exponent: 0.1, .5, 3, 1e-3 (no hex, no "Infinity", no commas).
const DECIMAL = /^[+]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** `--epochs 3`: a whole number ≥ 1 (a safe integer). */
export function positiveInt(value: string): number {
  const n = WHOLE.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`expected a whole number ≥ 1, got '${value}'`);
  return n;
}

/** `--seed 12`: a whole number from 0 to 2³¹ − 1 (a fractional or partly numeric seed would silently become another one). */
export function seed(value: string): number {
  const n = WHOLE.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n > 2 ** 31 - 1) throw new InvalidArgumentError(`expected a whole number from 0 to 2147483647, got '${value}'`);
  return n;
}

/** `--lr 0.05`: a finite decimal number > 0. */
export function positiveNumber(value: string): number {
  const n = DECIMAL.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`expected a number > 0 such as 0.1 or 1e-3, got '${value}'`);
  return n;
}

/** `--weight-decay 5e-4`, `--momentum 0`: a finite decimal number ≥ 0. */
export function nonNegativeNumber(value: string): number {
  const n = DECIMAL.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`expected a number ≥ 0 such as 0.9 or 5e-4, got '${value}'`);
  return n;
}

/** `--momentum 0.9`: a decimal number in [0, 1). */
export function momentum(value: string): number {
  const n = DECIMAL.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isFinite(n) || n < 0 || n >= 1) throw new InvalidArgumentError(`expected a momentum from 0 up to (not including) 1 such as 0.9, got '${value}'`);
  return n;
}

/** `--sizes 784-256-10`: layer widths, 784 in and 10 out. */
export function layerSizes(value: string): number[] {
  const parts = value.split('-');
  const sizes = parts.map((p) => (WHOLE.test(p) ? Number(p) : Number.NaN));
  if (sizes.length < 2 || sizes.some((s) => !Number.isSafeInteger(s) || s <= 0) || sizes[0] !== 784 || sizes[sizes.length - 1] !== 10) {
    throw new InvalidArgumentError(`expected widths like 784-256-10 (784 in, 10 out), got '${value}'`);
  }
  return sizes;
}

/**
 * Checks `DL_NUM_THREADS` (the kernels' thread count), which the library reads
 * at start-up and ignores when it is not a whole number ≥ 1: a typo would
 * otherwise change the speed without a word.
 *
 * @throws Error naming the variable and its value.
 */
export function checkNumThreadsEnv(value: string | undefined): void {
  if (value === undefined || value === '') return;
  if (!WHOLE.test(value.trim()) || Number(value) < 1) {
    throw new Error(`DL_NUM_THREADS='${value}' is not a whole number ≥ 1; set it to the number of threads the kernels may use, or unset it to use every core`);
  }
}

/** Adapts a plain parser (throwing Error) to commander's InvalidArgumentError, so a bad value prints one line. */
export function invalidArgument<T>(parse: (value: string) => T): (value: string) => T {
  return (value) => {
    try {
      return parse(value);
    } catch (e) {
      throw new InvalidArgumentError((e as Error).message);
    }
  };
}
