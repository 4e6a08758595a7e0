import { type Point, formatNumber, formatPoint } from './format.js';
import type { RaceTrace } from './protocol.js';

const v = (x: number) => formatNumber(x, 4);

/**
 * The words for step `k` of a racer's path (from point k to point k + 1):
 * where it is, f and ∇f there, the step it takes, and how that step compares
 * with a plain gradient step −lr·∇f (equal for SGD; momentum and adaptive
 * methods turn and stretch it).
 *
 * @example describeStep(trace, 0) // 'Step 0 of 3000: at (-1.2, 1), f = 24.2 and ∇f = (-215.6, -88). …'
 */
export function describeStep(t: RaceTrace, k: number): string {
  const n = t.losses.length;
  const p: Point = [t.points[2 * k]!, t.points[2 * k + 1]!];
  const g: Point = [t.grads[2 * k]!, t.grads[2 * k + 1]!];
  const here = `Step ${k} of ${n - 1}: at ${formatPoint(p)}, f = ${v(t.losses[k]!)} and ∇f = ${formatPoint(g)}.`;
  if (k + 1 >= n) return `${here} This is where ${t.name} ended: ${t.note}.`;
  const q: Point = [t.points[2 * k + 2]!, t.points[2 * k + 3]!];
  const d: Point = [q[0] - p[0], q[1] - p[1]];
  const plain: Point = [-t.lr * g[0], -t.lr * g[1]];
  const dn = Math.hypot(d[0], d[1]);
  const gn = Math.hypot(g[0], g[1]);
  const cos = dn > 0 && gn > 0 ? (-(d[0] * g[0] + d[1] * g[1])) / (dn * gn) : 1;
  const angle = (Math.acos(Math.max(-1, Math.min(1, cos))) * 180) / Math.PI;
  const move = `It moves by ${formatPoint(d)} to ${formatPoint(q)}, where f = ${v(t.losses[k + 1]!)}.`;
  // Equal up to the rounding of q − p (relative to the coordinates) and of lr·∇f.
  const same = Math.hypot(d[0] - plain[0], d[1] - plain[1]) <= 1e-12 * Math.max(Math.hypot(...p), Math.hypot(...q)) + 1e-9 * Math.hypot(...plain);
  const compare = same
    ? `That is exactly −lr·∇f = ${formatPoint(plain)}: a plain gradient step.`
    : `A plain gradient step −lr·∇f would be ${formatPoint(plain)}; this one points ${angle.toFixed(0)}° away from −∇f and is ${v(dn / Math.max(Math.hypot(...plain), Number.MIN_VALUE))}× as long.`;
  return `${here} ${move} ${compare}`;
}

