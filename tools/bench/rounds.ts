/**
 * What the interleaved-rounds benchmarks (packages/*\/bench) share: timing
 * windows, the median and spread of rounds, and the load average beside them.
 *
 * @packageDocumentation
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';

/**
 * Steps `step` for at least `ms` of wall time and at least `minSteps` times,
 * and returns units per second (`unitsPerStep` units each step: samples,
 * characters, tokens).
 */
export async function throughput(step: () => unknown, unitsPerStep: number, ms: number, minSteps = 2): Promise<number> {
  let n = 0;
  const start = performance.now();
  let t = 0;
  do {
    await step();
    n++;
    t = performance.now() - start;
  } while (t < ms || n < minSteps);
  return (n * unitsPerStep) / (t / 1000);
}

/** The median (the mean of the middle two for an even count). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/** A rate rounded to a whole number with thousands separators: `12,345`. */
export const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');

/** `median (min–max)` of a contestant's rounds, or `not run`. */
export const spread = (xs: readonly number[]): string => (xs.length === 0 ? 'not run' : `${fmt(median(xs))} (${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))})`);

/** The 1, 5 and 15 minute load averages: a busy machine explains a slow round. */
export const loadAverage = (): string =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
