/**
 * Axis ticks for the loss chart's logarithmic y axis: a few round values
 * whatever the range, so a run that blew up to 1e34 keeps labelled axes.
 *
 * @packageDocumentation
 */
import { formatNumber } from '../race/format.js';

/**
 * Round values to label between `min` and `max` (both > 0): 1-2-5 steps
 * within a decade or two, whole decades beyond, and every k-th decade when
 * there are more than `maxTicks` of them.
 *
 * @example logTicks(0.05, 3) // [0.05, 0.1, 0.2, 0.5, 1, 2]
 * @example logTicks(0.1, 1e35, 6) // [0.1, 1e6, 1e13, 1e20, 1e27, 1e34]
 */
export function logTicks(min: number, max: number, maxTicks = 6): number[] {
  if (!(min > 0 && max >= min && Number.isFinite(max))) return [];
  const lo = Math.floor(Math.log10(min) + 1e-9);
  const hi = Math.ceil(Math.log10(max) - 1e-9);
  const inside = (v: number) => v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9);
  for (const steps of [[1, 2, 5], [1, 3]]) {
    const ticks: number[] = [];
    for (let k = lo; k <= hi; k++) for (const s of steps) if (inside(clean(s * 10 ** k))) ticks.push(clean(s * 10 ** k));
    if (ticks.length <= maxTicks && ticks.length >= 2) return ticks;
  }
  const decades: number[] = [];
  for (let k = lo; k <= hi; k++) if (inside(10 ** k)) decades.push(k);
  const stride = Math.max(1, Math.ceil(decades.length / maxTicks));
  return decades.filter((_, i) => i % stride === 0).map((k) => clean(10 ** k));
}

/** A tick's label: `0.2`, `5`, `1000`, `1e6`. */
export function tickLabel(v: number): string {
  return formatNumber(v, 3);
}

// 3 * 10 ** -1 is 0.30000000000000004: labels and equality tests want 0.3.
function clean(v: number): number {
  return Number(v.toPrecision(12));
}
