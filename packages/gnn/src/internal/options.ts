import { ValueError } from '@dl/tensor';

/** Throws naming the layer when `options` holds a key it does not know. */
export function checkOptions(op: string, options: object | undefined, known: readonly string[]): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object') throw new ValueError(op, `options must be an object, got ${String(options)}`);
  for (const k of Object.keys(options)) {
    if (!known.includes(k)) throw new ValueError(op, `unknown option '${k}'; known: ${known.join(', ')}`);
  }
}

/** Throws unless n is an integer ≥ min. */
export function checkInt(op: string, name: string, n: unknown, min: number): asserts n is number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min) throw new ValueError(op, `${name} must be an integer ≥ ${min}, got ${String(n)}`);
}
