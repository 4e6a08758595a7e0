import { ValueError, safeString } from './errors.js';

let gradEnabled = true;

/** Refuses a callback argument that is not a function (a value passed where `() => value` was meant). */
export function expectCallback(op: string, fn: unknown): void {
  if (typeof fn !== 'function') throw new ValueError(op, `needs a function to run, got ${fn === null || typeof fn !== 'object' ? safeString(fn) : 'an object'}`);
}

/** Whether ops currently record the graph for differentiation. */
export function isGradEnabled(): boolean {
  return gradEnabled;
}

/**
 * Runs `fn` with graph recording off: results do not require grad and cost no
 * graph memory. Use it for evaluation and for optimizer updates.
 *
 * @example
 * const logits = noGrad(() => model.forward(x));
 */
export function noGrad<T>(fn: () => T): T {
  return withGradMode(false, fn);
}

/** Runs `fn` with graph recording on, even inside `noGrad`. */
export function enableGrad<T>(fn: () => T): T {
  return withGradMode(true, fn);
}

/**
 * Sets the recording mode and returns the previous one, for the op
 * machinery's hot path (no closure); restore it in a `finally`.
 */
export function setGradEnabled(enabled: boolean): boolean {
  const prev = gradEnabled;
  gradEnabled = enabled;
  return prev;
}

/** Runs `fn` with recording set to `enabled`, restoring the previous mode afterwards. */
export function withGradMode<T>(enabled: boolean, fn: () => T): T {
  if (typeof enabled !== 'boolean') throw new ValueError('withGradMode', `enabled must be true or false, got ${safeString(enabled)}`);
  expectCallback(enabled ? 'enableGrad' : 'noGrad', fn);
  const prev = gradEnabled;
  gradEnabled = enabled;
  try {
    return fn();
  } finally {
    gradEnabled = prev;
  }
}
