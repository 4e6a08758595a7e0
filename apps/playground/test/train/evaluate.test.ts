import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { noGrad } from '@dl/tensor';
import type { ArrayDataset } from '../../src/mnist/batches.js';
import { evaluate, predict } from '../../src/train/evaluate.js';
import { RecordingLinear } from './recording-linear.js';

// A 2-feature, 3-class linear classifier with round weights, on 5 examples
// whose logits z = W·x + b are exact in float32.
const W = [
  [1, 0],
  [0, 1],
  [-1, -1],
];
const B = [0, 0.5, 0];
const INPUTS = [
  [2, 0],
  [0, 2],
  [-1, -1],
  [1, 1],
  [0.5, -0.5],
];
// Predicted classes are 0, 1, 2, 1, 0; every label but the third matches.
const LABELS = [0, 1, 0, 1, 0];
const PREDICTED = [0, 1, 2, 1, 0];

const data: ArrayDataset = {
  inputs: Float32Array.from(INPUTS.flat()),
  labels: Int32Array.from(LABELS),
  count: INPUTS.length,
  features: 2,
};

function model(): RecordingLinear {
  const m = new RecordingLinear(2, 3);
  noGrad(() => {
    m.weight.assign_(Float32Array.from(W.flat()));
    m.bias!.assign_(Float32Array.from(B));
  });
  return m;
}

// Mean cross-entropy in float64: logsumexp(z) − z[label], averaged over the examples.
const EXPECTED_LOSS =
  INPUTS.map((x, i) => {
    const z = W.map((row, k) => row[0]! * x[0]! + row[1]! * x[1]! + B[k]!);
    return Math.log(z.reduce((s, v) => s + Math.exp(v), 0)) - z[LABELS[i]!]!;
  }).reduce((a, b) => a + b, 0) / INPUTS.length;

describe('evaluate', () => {
  it('gives the mean cross-entropy and the fraction classified correctly', () => {
    const { loss, accuracy } = evaluate(model(), data);
    expect(loss).toBeCloseTo(EXPECTED_LOSS, 6);
    expect(accuracy).toBe(4 / 5);
  });

  it('counts each (label, prediction) pair in the confusion matrix', () => {
    const { confusion } = evaluate(model(), data, 2);
    const expected = new Array<number>(100).fill(0);
    LABELS.forEach((label, i) => expected[10 * label + PREDICTED[i]!]!++);
    expect(confusion).toEqual(expected);
  });

  it('gives the same metrics for any batch size, including ones that leave a smaller last batch', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), (batchSize) => {
        const { loss, accuracy } = evaluate(model(), data, batchSize);
        // Per-example mean, not a mean of batch means; the last, short batch counts.
        expect(loss).toBeCloseTo(EXPECTED_LOSS, 6);
        expect(accuracy).toBe(4 / 5);
      }),
      { seed: 20240611, numRuns: 16 },
    );
  });

  it('records no graph: the logits it computes carry no grad history, and no parameter gets a gradient', () => {
    const m = model();
    evaluate(m, data, 2);
    expect(m.outputs).toHaveLength(3);
    for (const logits of m.outputs) {
      expect(logits.requiresGrad).toBe(false);
      expect(logits.gradNode).toBeNull();
    }
    for (const p of m.parameters()) expect(p.grad).toBeNull();
  });
});

describe('predict', () => {
  it('gives the predicted class of each requested example, in the order asked, repeats included', () => {
    const pred = predict(model(), data, [4, 0, 2, 2, 1, 3]);
    expect(pred).toBeInstanceOf(Int32Array);
    expect(Array.from(pred)).toEqual([4, 0, 2, 2, 1, 3].map((i) => PREDICTED[i]!));
  });

  it('runs one forward pass without recording a graph', () => {
    const m = model();
    predict(m, data, [3, 1]);
    expect(m.outputs).toHaveLength(1);
    expect(m.outputs[0]!.shape).toEqual([2, 3]);
    expect(m.outputs[0]!.requiresGrad).toBe(false);
    expect(m.outputs[0]!.gradNode).toBeNull();
  });
});
