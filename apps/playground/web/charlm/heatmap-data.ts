// The numbers behind the heat map: which units get a row and how a signal's
// values map to colours. No DOM, so Node's tests check them.
import type { SignalName } from './stepper.js';

/**
 * The `count` units whose values vary most over the columns so far (each
 * column `hiddenSize` values of one signal), in unit order: a random
 * selection would show mostly idle rows. Fewer columns than two: the first units.
 */
export function pickUnits(columns: readonly Float32Array[], hiddenSize: number, count: number): number[] {
  const n = Math.min(count, hiddenSize);
  if (columns.length < 2) return Array.from({ length: n }, (_, k) => k);
  const variance = new Float64Array(hiddenSize);
  for (let k = 0; k < hiddenSize; k++) {
    let sum = 0;
    let sq = 0;
    for (const col of columns) {
      const v = col[k]!;
      sum += v;
      sq += v * v;
    }
    const mean = sum / columns.length;
    variance[k] = sq / columns.length - mean * mean;
  }
  const order = Array.from({ length: hiddenSize }, (_, k) => k).sort((a, b) => variance[b]! - variance[a]! || a - b);
  return order.slice(0, n).sort((a, b) => a - b);
}

/** How a signal is coloured: gates (sigmoids) from 0 to 1; tanh outputs and h from −1 to 1; c by its largest magnitude. */
export function signalScale(name: SignalName, columns: readonly Float32Array[]): { signed: boolean; peak: number } {
  if (name === 'i' || name === 'f' || name === 'o' || name === 'r' || name === 'z') return { signed: false, peak: 1 };
  if (name !== 'c') return { signed: true, peak: 1 };
  let peak = 1e-6;
  for (const col of columns) for (const v of col) peak = Math.max(peak, Math.abs(v));
  return { signed: true, peak };
}

/** RGB of `v` on a scale: white → dark blue for [0, peak]; blue, white, red for [−peak, peak]. */
export function colourOf(v: number, scale: { signed: boolean; peak: number }): [number, number, number] {
  const t = Math.max(-1, Math.min(1, v / scale.peak));
  if (!scale.signed) {
    const x = Math.max(0, t);
    return [Math.round(255 - 222 * x), Math.round(255 - 180 * x), Math.round(255 - 100 * x)];
  }
  const a = Math.abs(t);
  return t >= 0 ? [255, Math.round(255 * (1 - a)), Math.round(255 * (1 - a))] : [Math.round(255 * (1 - a)), Math.round(255 * (1 - a)), 255];
}

/** Human names of the signals, for the picker and the caption. */
export const SIGNAL_LABELS: Readonly<Record<SignalName, string>> = {
  i: 'input gate i',
  f: 'forget gate f',
  g: 'cell candidate g',
  o: 'output gate o',
  c: 'cell state c',
  h: 'hidden state h',
  r: 'reset gate r',
  z: 'update gate z',
  n: 'candidate state n',
};
