// Dropout and batch norm moved to @dl/tensor; code that imports them from @dl/regularize keeps working.
import * as core from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import * as regularize from '../src/index.js';
import {
  BatchNorm1d,
  BatchNorm2d,
  BatchNormBase,
  type BatchNormLayerOptions,
  type BatchNormOptions,
  Dropout,
  Dropout1d,
  Dropout2d,
  type DropoutOptions,
  batchNorm,
  channelDropout,
  dropout,
} from '../src/index.js';

describe('dropout and batch norm re-exported from @dl/tensor', () => {
  it('are the very same classes and functions as the core ones', () => {
    const moved = ['batchNorm', 'BatchNormBase', 'BatchNorm1d', 'BatchNorm2d', 'dropout', 'channelDropout', 'Dropout', 'Dropout1d', 'Dropout2d'] as const;
    for (const name of moved) {
      expect(regularize[name], name).toBeDefined();
      expect(regularize[name], name).toBe(core[name]);
    }
    expect(BatchNorm2d).toBe(core.BatchNorm2d);
    expect(dropout).toBe(core.dropout);
  });

  it('work as before when imported from here, and instances are the core classes', () => {
    const options: BatchNormLayerOptions = { momentum: 0.2 };
    const bn = new BatchNorm1d(3, options);
    expect(bn).toBeInstanceOf(core.BatchNorm1d);
    expect(bn).toBeInstanceOf(BatchNormBase);
    expect(bn).toBeInstanceOf(core.Module);
    const x = core.randn([4, 3], { generator: new core.Generator(0) });
    expect(bn.forward(x).shape).toEqual([4, 3]);
    expect(bn.numBatchesTracked!.item()).toBe(1);
    const fnOptions: BatchNormOptions = { training: true };
    expect(batchNorm(x, fnOptions).shape).toEqual([4, 3]);
    const dOptions: DropoutOptions = { generator: new core.Generator(1) };
    expect(new Dropout(0.5, dOptions).eval().forward(x)).toBe(x);
    expect(new Dropout1d(0.5).forward(core.ones([2, 3, 4])).shape).toEqual([2, 3, 4]);
    expect(new Dropout2d(0.5)).toBeInstanceOf(core.Dropout);
    expect(channelDropout(core.ones([2, 3, 4]), 0.5, false).shape).toEqual([2, 3, 4]);
    expect(new BatchNorm2d(2).stateDict().has('running_mean')).toBe(true);
  });
});
