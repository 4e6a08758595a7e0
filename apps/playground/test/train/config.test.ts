import { describe, expect, it } from 'vitest';
import { type TrainConfig, TrainConfigError, parseSizes, readNumber, validateConfig, validateLimit } from '../../src/train/config.js';

const good: TrainConfig = { sizes: [784, 128, 10], optimizer: 'sgd', lr: 0.1, schedule: 'constant', batchSize: 64, epochs: 2, seed: 0 };

function fieldOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof TrainConfigError) return e.field;
    throw e;
  }
  return undefined;
}

describe('parseSizes', () => {
  it('reads widths separated by dashes, commas, x or spaces', () => {
    expect(parseSizes('784-128-10')).toEqual([784, 128, 10]);
    expect(parseSizes(' 784, 256 ,64,10 ')).toEqual([784, 256, 64, 10]);
    expect(parseSizes('784x10')).toEqual([784, 10]);
    expect(parseSizes('784 32 10')).toEqual([784, 32, 10]);
  });

  it('says what is wrong and repeats the text', () => {
    expect(() => parseSizes('784-abc-10')).toThrow("sizes: '784-abc-10' is not a list of whole numbers; write widths like 784-128-10");
    expect(() => parseSizes('')).toThrow(/not a list of whole numbers/);
    expect(() => parseSizes('784-1.5-10')).toThrow(/not a list of whole numbers/);
    expect(() => parseSizes('784')).toThrow(/at least an input and an output/);
    expect(() => parseSizes('100-10')).toThrow(/starts at 100; the input is 784 pixels/);
    expect(() => parseSizes('784-128-9')).toThrow(/ends at 9; the output is 10 classes/);
    expect(() => parseSizes('784-0-10')).toThrow(/hidden width outside 1\.\.4096/);
    expect(() => parseSizes('784-5000-10')).toThrow(/hidden width outside/);
    expect(() => parseSizes('784-8-8-8-8-8-8-10')).toThrow(/7 layers; at most 6/);
    expect(fieldOf(() => parseSizes('x'))).toBe('sizes');
  });
});

describe('regularization settings', () => {
  it('accepts dropout, weight decay and augmentation in range and refuses the rest by field', () => {
    expect(validateConfig({ ...good, dropout: 0.5, weightDecay: 1e-4, augment: 'shift' })).toMatchObject({ dropout: 0.5 });
    expect(() => validateConfig({ ...good, dropout: 1 })).toThrow('dropout: 1 is not a rate in 0..0.9');
    expect(() => validateConfig({ ...good, weightDecay: -1 })).toThrow('weightDecay: -1 is not a number in 0..1');
    expect(() => validateConfig({ ...good, augment: 'flip' as never })).toThrow("augment: unknown augmentation 'flip'; one of none, shift, shift-rotate-scale");
    expect(fieldOf(() => validateConfig({ ...good, optimizer: 'lbfgs', dropout: 0.2 }))).toBe('dropout');
    expect(() => validateConfig({ ...good, optimizer: 'newton', dropout: 0.2 })).toThrow(/cannot be used with Newton, which compares the loss at several points/);
  });
});

describe('validateConfig', () => {
  it('returns a usable config unchanged', () => {
    expect(validateConfig(good)).toBe(good);
  });

  it('names the first bad field', () => {
    expect(fieldOf(() => validateConfig({ ...good, sizes: [784, 10, 3] }))).toBe('sizes');
    expect(fieldOf(() => validateConfig({ ...good, optimizer: 'adamx' as never }))).toBe('optimizer');
    expect(fieldOf(() => validateConfig({ ...good, schedule: 'wavy' as never }))).toBe('schedule');
    expect(fieldOf(() => validateConfig({ ...good, batchSize: 0 }))).toBe('batchSize');
    expect(fieldOf(() => validateConfig({ ...good, batchSize: 2.5 }))).toBe('batchSize');
    expect(fieldOf(() => validateConfig({ ...good, epochs: 0 }))).toBe('epochs');
    expect(fieldOf(() => validateConfig({ ...good, seed: -1 }))).toBe('seed');
  });

  it('refuses a learning rate that is not a positive number', () => {
    for (const lr of [0, -0.1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => validateConfig({ ...good, lr })).toThrow(`lr: ${lr} must be a number > 0`);
    }
  });

  it('lists the known optimizers when given an unknown one', () => {
    expect(() => validateConfig({ ...good, optimizer: 'adamx' as never })).toThrow(/unknown optimizer 'adamx'; one of sgd, momentum, .*lbfgs, newton/);
  });
});

describe('readNumber', () => {
  it('reads a typed number, spaces aside', () => {
    expect(readNumber('epochs', ' 3 ')).toBe(3);
    expect(readNumber('lr', '1e-3')).toBe(0.001);
  });

  it('refuses an empty or non-numeric text by name instead of reading 0 or NaN', () => {
    expect(() => readNumber('batchSize', '')).toThrow('batchSize: is empty; type a number');
    expect(() => readNumber('epochs', '   ')).toThrow('epochs: is empty; type a number');
    expect(() => readNumber('lr', 'abc')).toThrow("lr: 'abc' is not a number");
    expect(fieldOf(() => readNumber('limit', ''))).toBe('limit');
    // What a number input used to do silently: 1e400 read as empty, 0,1 as 01.
    expect(() => readNumber('lr', '1e400')).toThrow("lr: '1e400' is too large for a number (the largest is about 1.8e308)");
    expect(() => readNumber('lr', '0,1')).toThrow("lr: '0,1' has a decimal comma; write 0.1 with a point");
  });
});

describe('validateLimit', () => {
  it('accepts 1..60000 images, at least one batch', () => {
    expect(validateLimit(10000, 64)).toBe(10000);
    expect(validateLimit(60000, 64)).toBe(60000);
    expect(() => validateLimit(60001, 64)).toThrow('limit: 60001 is not a whole number in 1..60000');
    expect(() => validateLimit(32, 64)).toThrow('limit: 32 training images are fewer than one batch of 64');
    expect(fieldOf(() => validateLimit(0, 1))).toBe('limit');
  });
});
