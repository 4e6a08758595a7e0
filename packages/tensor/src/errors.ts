/**
 * Base class of every error dl throws on bad input. `op` names the operation
 * or function that refused the input, so a message reads
 * `matmul: inner dimensions differ: a is [2, 3], b is [4, 5]; need a's last dim to equal b's second-to-last`.
 */
export class DLError extends Error {
  readonly op: string;
  constructor(op: string, message: string) {
    // Built from whatever a caller passed as `op` (the public checks take it as an argument).
    const name = typeof op === 'string' ? op : safeString(op);
    super(`${name}: ${typeof message === 'string' ? message : safeString(message)}`);
    this.name = new.target.name;
    this.op = name;
  }
}

/** Shapes that do not fit what the op needs (including failed broadcasts). */
export class ShapeError extends DLError {}

/** A dtype the op cannot take. */
export class DTypeError extends DLError {}

/** An out-of-range axis, index or size, or a bad hyper-parameter value. */
export class ValueError extends DLError {}

/** Misuse of the autograd machinery (backward through a freed graph, grad of a non-scalar...). */
export class GradError extends DLError {}

/** Formats a shape the way messages show it: `[2, 3]`. */
export function fmtShape(shape: readonly number[]): string {
  // Messages about bad input format whatever they were given, never failing themselves.
  if (!Array.isArray(shape)) return safeString(shape);
  return `[${shape.map((d: unknown) => (Array.isArray(d) ? fmtShape(d) : safeString(d))).join(', ')}]`;
}

/** `String(v)`, except for values that cannot be converted (an object without a prototype). */
export function safeString(v: unknown): string {
  try {
    return String(v);
  } catch {
    return Object.prototype.toString.call(v);
  }
}
