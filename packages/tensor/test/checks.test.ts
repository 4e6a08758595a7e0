// The shared argument checks (@dl/tensor's checks.ts) used by every package: boundaries, errors and both wordings.
import { describe, expect, it } from 'vitest';
import {
  DTypeError,
  ShapeError,
  ValueError,
  describeValue,
  expectBoolean,
  expectDType,
  expectFinite,
  expectFloat,
  expectInt,
  expectNonNegative,
  expectOptions,
  expectPositive,
  expectProbability,
  expectRange,
  expectRank,
  expectUnitInterval,
  ones,
  tensor,
} from '../src/index.js';

describe('shared argument checks', () => {
  it('accept the boundary values each check allows', () => {
    expect(() => expectNonNegative('Op', 'lr', 0)).not.toThrow();
    expect(() => expectPositive('Op', 'eps', Number.MIN_VALUE)).not.toThrow();
    expect(() => expectUnitInterval('Op', 'rho', 0)).not.toThrow();
    expect(() => expectUnitInterval('Op', 'pct', 1, { includeOne: true })).not.toThrow();
    expect(() => expectProbability('Op', 'p', 1)).not.toThrow();
    expect(() => expectInt('Op', 'n', 3, 3)).not.toThrow();
    expect(() => expectBoolean('Op', 'flag', false)).not.toThrow();
    expect(() => expectFinite('Op', 'v', -1e308)).not.toThrow();
    expect(() => expectRange('Op', 'r', [0, 0], 0)).not.toThrow();
    expect(() => expectFloat('Op', ones([2], { dtype: 'float64' }))).not.toThrow();
    expect(() => expectDType('Op', tensor([1], { dtype: 'int32' }), ['int32'])).not.toThrow();
    expect(() => expectRank('Op', ones([2, 3]), [1, 2])).not.toThrow();
  });

  it("refuse just past each boundary, NaN and ±Infinity, in the default ('must') wording", () => {
    const bad: [() => void, string][] = [
      [() => expectNonNegative('Op', 'lr', -1e-300), 'Op: lr must be a finite number ≥ 0, got -1e-300'],
      [() => expectNonNegative('Op', 'lr', Infinity), 'Op: lr must be a finite number ≥ 0, got Infinity'],
      [() => expectPositive('Op', 'eps', 0), 'Op: eps must be a finite number > 0, got 0'],
      [() => expectPositive('Op', 'eps', Number.NaN), 'Op: eps must be a finite number > 0, got NaN'],
      [() => expectUnitInterval('Op', 'rho', 1), 'Op: rho must be a number in [0, 1), got 1'],
      [() => expectUnitInterval('Op', 'pct', 1 + 2 ** -52, { includeOne: true }), 'Op: pct must be a number in [0, 1], got 1.0000000000000002'],
      [() => expectProbability('Op', 'p', 1, { includeOne: false }), 'Op: p must be a probability in [0, 1), got 1'],
      [() => expectProbability('Op', 'p', -0.5), 'Op: p must be a probability in [0, 1], got -0.5'],
      [() => expectInt('Op', 'n', 2, 3), 'Op: n must be an integer ≥ 3, got 2'],
      [() => expectInt('Op', 'n', 3.5), 'Op: n must be an integer ≥ 0, got 3.5'],
      [() => expectBoolean('Op', 'flag', 1), 'Op: flag must be true or false, got 1'],
      [() => expectFinite('Op', 'slope', Number.NaN), 'Op: slope must be a finite number, got NaN'],
      [() => expectRange('Op', 'scale', [2, 1]), 'Op: scale must be [low, high] with finite low ≤ high, got [2, 1]'],
      [() => expectRange('Op', 'scale', [-1, 1], 0), 'Op: scale must be [low, high] with finite low ≤ high and low ≥ 0, got [-1, 1]'],
    ];
    for (const [f, message] of bad) {
      expect(f).toThrow(ValueError);
      expect(f).toThrow(message);
    }
  });

  it("word the same information PyTorch's way with wording: 'invalid' (what @dl/optim uses)", () => {
    expect(() => expectNonNegative('SGD', 'learning rate', -1, { wording: 'invalid' })).toThrow('SGD: invalid learning rate: -1; need a finite number ≥ 0');
    expect(() => expectInt('LBFGS', 'history size', 0, 1, { wording: 'invalid' })).toThrow('LBFGS: invalid history size: 0; need an integer ≥ 1');
    expect(() => expectUnitInterval('Adam', 'beta', 1, { wording: 'invalid' })).toThrow('Adam: invalid beta: 1; need a number in [0, 1)');
  });

  it('tensor checks name the op, the tensor, its dtype or shape and what was needed', () => {
    const i = tensor([1, 2], { dtype: 'int32' });
    expect(() => expectFloat('softmax', i)).toThrow(DTypeError);
    expect(() => expectFloat('softmax', i, 'logits')).toThrow('softmax: logits has dtype int32 (shape [2]); need float32 or float64');
    expect(() => expectDType('embedding', ones([2]), ['int32'], 'indices')).toThrow('embedding: indices has dtype float32 (shape [2]); need int32');
    expect(() => expectRank('BatchNorm2d', ones([2, 3]), 4)).toThrow(ShapeError);
    expect(() => expectRank('BatchNorm2d', ones([2, 3]), 4)).toThrow('BatchNorm2d: input has shape [2, 3] (rank 2); need rank 4');
    expect(() => expectRank('f', ones([2]), [2, 3], 'x')).toThrow('f: x has shape [2] (rank 1); need rank 2 or 3');
  });

  it('expectOptions names an unknown option key and lists the known ones', () => {
    expect(() => expectOptions('LayerNorm', { eps: 1e-5 }, ['eps', 'bias'])).not.toThrow();
    expect(() => expectOptions('LayerNorm', undefined, ['eps'])).not.toThrow();
    expect(() => expectOptions('LayerNorm', { elementwise_affine: false }, ['eps', 'elementwiseAffine'])).toThrow(ValueError);
    expect(() => expectOptions('LayerNorm', { elementwise_affine: false }, ['eps', 'elementwiseAffine'])).toThrow(
      "LayerNorm: unknown option 'elementwise_affine'; the options are eps, elementwiseAffine",
    );
    expect(() => expectOptions('f', 3 as unknown as object, ['a'])).toThrow('f: options must be a plain object ({ ... }), got number 3');
    expect(() => expectOptions('f', [1] as unknown as object, ['a'])).toThrow('f: options must be a plain object ({ ... }), got an array of 1 item');
    expect(() => expectOptions('f', ones([1]) as unknown as object, ['a'])).toThrow('f: options must be a plain object ({ ... }), got a Tensor (float32, shape [1])');
    expect(() => expectOptions('f', Object.create(null) as object, ['a'])).not.toThrow();
  });

  it('expectOptions suggests the known key an unknown one most likely meant (issue 17, item 11)', () => {
    const sgd = ['lr', 'momentum', 'dampening', 'weightDecay', 'nesterov', 'maximize'];
    expect(() => expectOptions('SGD', { lr: 0.1, weight_decay: 0.5 }, sgd)).toThrow(
      "SGD: unknown option 'weight_decay'; the options are lr, momentum, dampening, weightDecay, nesterov, maximize — did you mean 'weightDecay'?",
    );
    // Case and separators are ignored before edit distance is tried.
    expect(() => expectOptions('SGD', { WEIGHT_DECAY: 0.5 }, sgd)).toThrow(/did you mean 'weightDecay'\?/);
    expect(() => expectOptions('SGD', { momentun: 0.9 }, sgd)).toThrow(/did you mean 'momentum'\?/);
    // A swap of neighbouring letters is one edit.
    expect(() => expectOptions('xavierNormal_', { gian: 2 }, ['gain', 'generator'])).toThrow(/did you mean 'gain'\?/);
    expect(() => expectOptions('Adam', { beta1: 0.5 }, ['lr', 'betas', 'eps', 'weightDecay', 'amsgrad', 'maximize'])).toThrow(/unknown option 'beta1'.* did you mean 'betas'\?/);
    // Nothing close: no guess, just the list.
    const far = (): void => expectOptions('SGD', { foo: 1 }, sgd);
    expect(far).toThrow("SGD: unknown option 'foo'; the options are lr, momentum, dampening, weightDecay, nesterov, maximize");
    expect(far).not.toThrow(/did you mean/);
    expect(() => expectOptions('Identity', { x: 1 }, [])).toThrow("Identity: unknown option 'x'; it takes no options");
  });

  it('describeValue gives a short description for messages', () => {
    expect(describeValue([1])).toBe('an array of 1 item');
    expect(describeValue([])).toBe('an array of 0 items');
    expect(describeValue(ones([1]))).toBe('a Tensor (float32, shape [1])');
    expect(describeValue('ab')).toBe("string 'ab'");
    expect(describeValue(10n)).toBe('bigint 10n');
    expect(describeValue(() => 1)).toBe('a function');
    expect(describeValue({})).toBe('a plain object');
    expect(describeValue(3)).toBe('number 3');
    expect(describeValue(undefined)).toBe('undefined');
  });
});
