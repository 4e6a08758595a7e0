/**
 * The self-check page's verdict: whether the fingerprints it shows mean the
 * kernels are right, so nobody has to read a table of hashes to know.
 *
 * @packageDocumentation
 */
import type { FixedResult } from './fixed-computation.js';

/** One configuration's results, as the self-check worker reports them. */
export interface CheckedRun {
  backend: string;
  variant: string;
  threadsUsed: number;
  results: readonly FixedResult[];
}

/** Largest |Σ fast − Σ reference| / Σ|reference| a build may show: float32 sums of up to 784 products round far below it. */
export const SELF_CHECK_TOLERANCE = 1e-5;

/** The verdict and the numbers behind it. */
export interface SelfCheckVerdict {
  pass: boolean;
  /** Largest relative deviation of any run from the reference kernels. */
  worst: number;
  /** One sentence for the page. */
  text: string;
}

/** |Σ run − Σ reference| / Σ|reference| at one stage. */
export function deviation(run: CheckedRun, reference: CheckedRun, stage: number): number {
  const r = reference.results[stage]!;
  return Math.abs(run.results[stage]!.sum - r.sum) / Math.max(r.absSum, Number.MIN_VALUE);
}

const label = (r: CheckedRun) => (r.backend === 'wasm' ? `wasm ${r.variant}` : r.backend);

/**
 * Passes when a build's results never depend on the thread count (bitwise)
 * and every build stays within {@link SELF_CHECK_TOLERANCE} of the plain
 * TypeScript reference kernels. Builds may differ from each other bit for bit
 * (fused multiply-add rounds once where multiply then add rounds twice).
 *
 * @example selfCheckVerdict(report.runs).pass
 */
export function selfCheckVerdict(runs: readonly CheckedRun[]): SelfCheckVerdict {
  const reference = runs.find((r) => r.backend === 'reference');
  if (!reference) return { pass: false, worst: Number.NaN, text: '✗ No run of the reference kernels to compare with.' };
  const problems: string[] = [];
  const builds = new Map<string, CheckedRun[]>();
  for (const run of runs) builds.set(label(run), [...(builds.get(label(run)) ?? []), run]);
  for (const [name, group] of builds) {
    const first = group[0]!;
    for (const other of group.slice(1)) {
      const differs = other.results.findIndex((r, i) => r.fingerprint !== first.results[i]!.fingerprint);
      if (differs >= 0) problems.push(`${name} on ${other.threadsUsed} threads differs from ${first.threadsUsed} at “${other.results[differs]!.name}”`);
    }
  }
  let worst = 0;
  for (const run of runs) {
    run.results.forEach((r, i) => {
      const d = deviation(run, reference, i);
      worst = Math.max(worst, Number.isNaN(d) ? Infinity : d);
      if (!(d <= SELF_CHECK_TOLERANCE)) problems.push(`${label(run)} strays ${d.toExponential(1)} from the reference at “${r.name}”`);
    });
  }
  if (problems.length > 0) return { pass: false, worst, text: `✗ Fail: ${problems.join('; ')}.` };
  return {
    pass: true,
    worst,
    text: `✓ Pass: the thread count never changes a bit, and every build is within ${SELF_CHECK_TOLERANCE} of the reference kernels (largest deviation ${worst.toExponential(1)}). Builds differ from each other by design: relaxed SIMD fuses multiply and add (one rounding instead of two), and the kernels add in different orders.`,
  };
}
