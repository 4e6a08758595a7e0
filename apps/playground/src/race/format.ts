/** A point of the plane, [x, y]. */
export type Point = readonly [number, number];

/**
 * A number for a table cell or a message: 4 significant digits, exponent
 * notation outside [1e-3, 1e5), no trailing zeros; NaN and ±Infinity spelled out.
 *
 * @example formatNumber(0.000012345) // '1.235e-5'
 */
export function formatNumber(v: number, digits = 4): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a < 1e-3 || a >= 1e5) {
    const [mantissa, exponent] = v.toExponential(digits - 1).split('e');
    return `${mantissa!.replace(/\.?0+$/, '')}e${Number(exponent)}`;
  }
  return String(Number(v.toPrecision(digits)));
}

/** "(-1.2, 1)". @example formatPoint([-1.2, 1]) // '(-1.2, 1)' */
export function formatPoint(point: Point, digits = 4): string {
  return `(${formatNumber(point[0], digits)}, ${formatNumber(point[1], digits)})`;
}
