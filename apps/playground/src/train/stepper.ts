/**
 * What the session asks of an optimizer: one mini-batch step, whatever the
 * optimizer needs (a closure, curvature) hidden behind it.
 *
 * @packageDocumentation
 */
import type { ScheduledOptimizer } from '@dl/optim';
import { type Module, type Tensor, argmax, eq, noGrad, sum } from '@dl/tensor';

/** What one mini-batch step did: the batch's loss before the update and how many examples the model got right. */
export interface StepResult {
  loss: number;
  correct: number;
}

/** An optimizer wrapped to take one step on a batch `x: [B, 784]`, `y: [B]`. */
export interface Stepper {
  /** The optimizer, for learning-rate schedules. */
  readonly optimizer: ScheduledOptimizer;
  step(x: Tensor, y: Tensor): StepResult;
}

/** A model as the steppers see it. */
export type Classifier = Module & { forward(x: Tensor): Tensor };

/** Examples of the batch whose largest logit is at the label. */
export function countCorrect(logits: Tensor, y: Tensor): number {
  return noGrad(() => sum(eq(argmax(logits, 1), y)).item());
}

