import { describe, expect, it } from 'vitest';
import { DTypeError, logSoftmax, scalar, softmax, sum, tensor, zeros } from '../../src/index.js';
import { expectClose, expectExact, f64, i32 } from '../helpers.js';

describe('softmax', () => {
  it('normalizes exp along the last axis by default', () => {
    const e = [1, Math.E, Math.E * Math.E];
    const z = e[0]! + e[1]! + e[2]!;
    expectClose(softmax(f64([[0, 1, 2]])), [[e[0]! / z, e[1]! / z, e[2]! / z]], 0, 1e-15);
    expectClose(sum(softmax(f64([[0.3, -1, 2], [5, 5, 5]])), -1), [1, 1], 1e-15);
    expectClose(softmax(f64([[5, 5, 5, 5]])), [[0.25, 0.25, 0.25, 0.25]], 0, 1e-15);
  });

  it('is stable for huge logits (no overflow: shift by the max)', () => {
    expectClose(softmax(f64([1000, 1000])), [0.5, 0.5], 0, 1e-15);
    expectClose(softmax(f64([-1000, 0])), [0, 1], 0, 1e-15);
    expectClose(softmax(tensor([1e30, 0, -1e30])), [1, 0, 0]);
    expectClose(softmax(f64([1000, 999])), [1 / (1 + Math.exp(-1)), Math.exp(-1) / (1 + Math.exp(-1))], 0, 1e-15);
  });

  it('runs along other axes', () => {
    const y = softmax(f64([[0, 10], [0, 10]]), 0);
    expectClose(y, [[0.5, 0.5], [0.5, 0.5]], 0, 1e-15);
  });

  it('gives 0 for -inf logits, and NaN for an all -inf lane (as PyTorch)', () => {
    expectClose(softmax(f64([-Infinity, 0, -Infinity])), [0, 1, 0]);
    expectExact(softmax(f64([-Infinity, -Infinity])), [Number.NaN, Number.NaN]);
  });

  it('of a scalar is 1', () => {
    expectExact(softmax(scalar(3, { dtype: 'float64' })), 1);
    expectExact(logSoftmax(scalar(3, { dtype: 'float64' })), 0);
  });
});

describe('logSoftmax', () => {
  it('equals x − logsumexp(x) and keeps precision where softmax underflows', () => {
    expectClose(logSoftmax(f64([1000, 0])), [0, -1000], 0, 1e-15);
    expectClose(logSoftmax(f64([0, 0])), [-Math.LN2, -Math.LN2], 0, 1e-15);
    const y = logSoftmax(f64([[-800, 0]]));
    expect(y.data[0]).toBe(-800);
    expectClose(logSoftmax(f64([[1, 2], [3, 5]]), 0), [[-2 - Math.log1p(Math.exp(-2)), -3 - Math.log1p(Math.exp(-3))], [-Math.log1p(Math.exp(-2)), -Math.log1p(Math.exp(-3))]], 0, 1e-14);
  });

  it('keeps float32', () => {
    expect(logSoftmax(tensor([1, 2])).dtype).toBe('float32');
  });
});

describe('errors', () => {
  it('refuse int input and bad axes, naming the op', () => {
    expect(() => softmax(i32([1, 2]))).toThrow(DTypeError);
    expect(() => softmax(i32([1, 2]))).toThrow(/softmax: input has dtype int32 \(shape \[2\]\); need float32 or float64/);
    expect(() => logSoftmax(tensor([true]))).toThrow(/logSoftmax: input has dtype bool/);
    expect(() => softmax(zeros([2, 2]), 2)).toThrow(/softmax: axis 2 is out of range for a tensor of rank 2/);
    expect(() => logSoftmax(zeros([2, 2]), -3)).toThrow(/logSoftmax: axis -3/);
  });
});
