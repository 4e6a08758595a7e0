import type { Point } from './format.js';
import type { LearningRates } from './optimizers.js';
import { type Target, describeTarget } from './target.js';

/** Rates for a typed-in function, whose scale is unknown: moderate, so a bowl of size ~1 is crossed in a few hundred steps. */
export const CUSTOM_LRS: LearningRates = { SGD: 1e-2, Momentum: 1e-2, NAG: 1e-2, Adagrad: 0.1, RMSprop: 1e-2, Adadelta: 1, Adam: 0.05, 'L-BFGS': 1 };

/**
 * For a typed-in function the minimum is unknown, so a racer has arrived when
 * the gradient is this small: a stationary point (which may be a saddle).
 */
export const CUSTOM_TARGET: Target = { kind: 'grad-norm-below', value: 1e-3 };

/** Steps per racer for a typed-in function. */
export const CUSTOM_STEPS = 1000;

/** Where a typed-in function's race starts when no start is given. */
export const CUSTOM_START: Point = [0.5, 0.5];

/** What the card and the CLI say about a typed-in function's race. */
export const CUSTOM_NOTE = `Your own f: its minimum is unknown, so a racer counts as arrived at a stationary point, ${describeTarget(CUSTOM_TARGET)} (which may be a saddle).`;
