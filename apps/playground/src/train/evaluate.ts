/**
 * Inference helpers of the in-browser trainer: whole-split metrics and
 * predictions for chosen examples, without recording a graph.
 *
 * @packageDocumentation
 */
import { Tensor, argmax, crossEntropy, eq, noGrad, sum } from '@dl/tensor';
import { type ArrayDataset, batches } from '../mnist/batches.js';
import type { Classifier } from './stepper.js';

/** Mean cross-entropy and accuracy of a model on a split. */
export interface Metrics {
  loss: number;
  /** Fraction classified correctly, in [0, 1]. */
  accuracy: number;
  /** `confusion[10 * label + predicted]`: how many examples of each digit went to each class. */
  confusion: number[];
}

/**
 * Loss and accuracy of `model` over all of `data` (standardized inputs),
 * `batchSize` examples at a time.
 *
 * @example const { accuracy } = evaluate(model, test);
 */
export function evaluate(model: Classifier, data: ArrayDataset, batchSize = 1000): Metrics {
  let loss = 0;
  let correct = 0;
  const confusion = new Array<number>(100).fill(0);
  noGrad(() => {
    for (const { x, y } of batches(data, batchSize)) {
      const logits = model.forward(x);
      loss += crossEntropy(logits, y).item() * y.size;
      const predicted = argmax(logits, 1);
      correct += sum(eq(predicted, y)).item();
      const p = predicted.data;
      const t = y.data;
      for (let i = 0; i < y.size; i++) confusion[10 * t[i]! + p[i]!]!++;
    }
  });
  return { loss: loss / data.count, accuracy: correct / data.count, confusion };
}

/**
 * The predicted class of each example `indices[i]` of `data` (standardized
 * inputs): `[indices.length]` labels.
 *
 * @example predict(model, test, [0, 1, 2]) // Int32Array [7, 2, 1]
 */
export function predict(model: Classifier, data: ArrayDataset, indices: readonly number[]): Int32Array {
  const { features } = data;
  const x = new Float32Array(indices.length * features);
  indices.forEach((src, i) => x.set(data.inputs.subarray(src * features, (src + 1) * features), i * features));
  const pred = noGrad(() => argmax(model.forward(new Tensor(x, [indices.length, features])), 1));
  return Int32Array.from(pred.data as ArrayLike<number>);
}
