import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Tensor } from '@dl/tensor';
import { boostedAccuracy, classAccuracy, ensembleAccuracy, meanSpread } from '../../src/regularize/ensemble-accuracy.js';

/** Logits whose softmax is exactly the given probability rows. */
const logitsOf = (probs: number[][]) => new Tensor(Float64Array.from(probs.flat(), Math.log), [probs.length, probs[0]!.length]);
const labels = (ys: number[]) => new Tensor(Int32Array.from(ys), [ys.length]);

describe('classAccuracy', () => {
  it('counts matching classes, from classes [N] or from the argmax of scores [N, K]', () => {
    expect(classAccuracy(labels([0, 2, 1, 1]), labels([0, 1, 1, 1]))).toBe(0.75);
    expect(classAccuracy(logitsOf([[0.7, 0.3], [0.2, 0.8]]), labels([1, 1]))).toBe(0.5);
  });

  it('refuses a different number of predictions and labels', () => {
    expect(() => classAccuracy(labels([0, 1]), labels([0, 1, 1]))).toThrow('classAccuracy: 2 predictions for 3 labels');
  });
});

describe('ensembleAccuracy', () => {
  // Row 0: one confident right member against two hesitant wrong ones — averaging is right, the vote wrong.
  const a = logitsOf([[0.98, 0.01, 0.01], [0.1, 0.8, 0.1], [0.6, 0.1, 0.3]]);
  const b = logitsOf([[0.45, 0.5, 0.05], [0.1, 0.8, 0.1], [0.1, 0.3, 0.6]]);
  const c = logitsOf([[0.45, 0.5, 0.05], [0.8, 0.1, 0.1], [0.1, 0.3, 0.6]]);
  const y = labels([0, 1, 2]);

  it('gives each member alone, the mean of their probabilities and the majority vote', () => {
    const r = ensembleAccuracy([a, b, c], y);
    expect(r.members).toEqual([2 / 3, 2 / 3, 1 / 3]);
    expect(r.average).toBe(1);
    expect(r.vote).toBe(2 / 3);
  });

  it('averages probabilities, not logits', () => {
    // Mean probabilities: class 0 (0.4505 against 0.275); mean logits would pick class 1 ((ln 0.9 + ln 0.001)/2 < (ln 0.05 + ln 0.5)/2).
    const r = ensembleAccuracy([logitsOf([[0.9, 0.05, 0.05]]), logitsOf([[0.001, 0.5, 0.499]])], labels([0]));
    expect(r.average).toBe(1);
  });

  it('with one member, averaging and voting are that member', () => {
    // Integer logits: softmax keeps their order and their ties exactly (logits 1e-300 apart can round to equal probabilities).
    fc.assert(
      fc.property(fc.array(fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 8 }), fc.nat(), (rows, seed) => {
        const logits = new Tensor(Float64Array.from(rows.flat()), [rows.length, 3]);
        const y = labels(rows.map((_, i) => (seed + i) % 3));
        const r = ensembleAccuracy([logits], y);
        expect(r.average).toBe(r.members[0]);
        expect(r.vote).toBe(r.members[0]);
      }),
    );
  });

  it('does not depend on the order of the members', () => {
    const r = ensembleAccuracy([a, b, c], y);
    const s = ensembleAccuracy([c, a, b], y);
    expect([s.average, s.vote]).toEqual([r.average, r.vote]);
  });

  it('refuses an empty ensemble', () => {
    expect(() => ensembleAccuracy([], y)).toThrow('ensembleAccuracy: need at least one member');
  });
});

describe('boostedAccuracy', () => {
  const first = logitsOf([[0.9, 0.1], [0.9, 0.1], [0.1, 0.9]]); // classes 0, 0, 1
  const second = logitsOf([[0.1, 0.9], [0.9, 0.1], [0.9, 0.1]]); // classes 1, 0, 0
  const y = labels([0, 0, 1]);

  it('follows the member with the larger vote where they disagree', () => {
    expect(boostedAccuracy({ alphas: [3, 1], numClasses: 2 }, [first, second], y)).toBe(1);
    expect(boostedAccuracy({ alphas: [1, 3], numClasses: 2 }, [first, second], y)).toBe(1 / 3);
  });

  it('refuses logits that do not match the votes', () => {
    expect(() => boostedAccuracy({ alphas: [1], numClasses: 2 }, [first, second], y)).toThrow("boostedAccuracy: 2 members' logits for 1 votes");
  });
});

describe('meanSpread', () => {
  it('is the mean and half the range', () => {
    const r = meanSpread([0.8, 0.9, 0.85]);
    expect(r.mean).toBeCloseTo(0.85, 12);
    expect(r.spread).toBeCloseTo(0.05, 12);
    expect(meanSpread([0.7])).toEqual({ mean: 0.7, spread: 0 });
  });

  it('refuses no values', () => {
    expect(() => meanSpread([])).toThrow('meanSpread: no values');
  });
});
