// Issue 17, item 11: every options object of @dl/regularize is checked against
// its known keys, and an unknown key names the nearest known one.
import { Generator, Linear, Parameter, tensor, zeros } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import {
  AddGaussianNoise,
  ColorJitter,
  EarlyStopping,
  GaussianBlur,
  GaussianNoise,
  PcaColorJitter,
  RandomCrop,
  RandomResizedCrop,
  RandomRotation,
  RandomScale,
  RandomShift,
  StochasticBinarySigmoid,
  WeightNoise,
  adaBoostSamme,
  bagging,
  classBalancedIndices,
  elasticNetPenalty,
} from '../src/index.js';

const w = () => [new Parameter(tensor([1, 2]))];
const basis = { eigenvalues: [1, 1, 1] as [number, number, number], eigenvectors: [[1, 0, 0], [0, 1, 0], [0, 0, 1]] as [number, number, number][] };

const cases: [string, () => unknown, RegExp][] = [
  ['ColorJitter', () => new ColorJitter({ brightnes: 0.2 } as never), /ColorJitter: unknown option 'brightnes'.* did you mean 'brightness'\?/],
  ['RandomCrop', () => new RandomCrop({ padding: 2, pad: 1 } as never), /RandomCrop: unknown option 'pad'/],
  ['RandomResizedCrop', () => new RandomResizedCrop({ size: 8, scales: [0.5, 1] } as never), /did you mean 'scale'\?/],
  ['RandomShift', () => new RandomShift({ max_fraction: 0.1 } as never), /RandomShift: unknown option 'max_fraction'.* did you mean 'maxFraction'\?/],
  ['RandomScale', () => new RandomScale({ ranges: [0.9, 1.1] } as never), /did you mean 'range'\?/],
  ['RandomRotation', () => new RandomRotation({ degree: 10 } as never), /did you mean 'degrees'\?/],
  ['AddGaussianNoise', () => new AddGaussianNoise({ sigma: 0.1 } as never), /AddGaussianNoise: unknown option 'sigma'; the options are std, clamp/],
  ['GaussianBlur', () => new GaussianBlur({ kernel_size: 3 } as never), /did you mean 'kernelSize'\?/],
  ['PcaColorJitter', () => new PcaColorJitter(basis, { stdd: 0.1 } as never), /PcaColorJitter: unknown option 'stdd'.* did you mean 'std'\?/],
  ['classBalancedIndices', () => classBalancedIndices(tensor([0, 1], { dtype: 'int32' }), { per_class: 2 } as never), /did you mean 'perClass'\?/],
  ['EarlyStopping', () => new EarlyStopping({ min_delta: 0.1 } as never), /EarlyStopping: unknown option 'min_delta'.* did you mean 'minDelta'\?/],
  ['adaBoostSamme', () => adaBoostSamme({ x: zeros([2, 1]), y: tensor([0, 1], { dtype: 'int32' }), numClasses: 2, rounds: 1, train: () => 0, predict: () => zeros([2, 2]), learning_rate: 1 } as never), /did you mean 'learningRate'\?/],
  ['bagging', () => bagging({ numSamples: 4, estimators: 1, train: () => 0, n_estimators: 2 } as never), /bagging: unknown option 'n_estimators'.* did you mean 'estimators'\?/],
  ['GaussianNoise', () => new GaussianNoise(0.1, { seed: 1 } as never), /GaussianNoise: unknown option 'seed'; the options are generator/],
  ['elasticNetPenalty', () => elasticNetPenalty(w(), { l1: 0.1, l2: 0.1, alpha: 1 } as never), /elasticNetPenalty: unknown option 'alpha'/],
  ['StochasticBinarySigmoid', () => new StochasticBinarySigmoid({ generater: new Generator(0) } as never), /did you mean 'generator'\?/],
  ['WeightNoise', () => new WeightNoise(new Linear(2, 2).parameters(), { sd: 0.1 } as never), /WeightNoise: unknown option 'sd'.* did you mean 'std'\?/],
];

describe('unknown option keys are refused, naming the nearest known one (issue 17, item 11)', () => {
  for (const [name, make, message] of cases) {
    it(name, () => {
      expect(make).toThrow(message);
    });
  }
});
