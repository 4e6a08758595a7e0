import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { checkNumThreadsEnv, invalidArgument, layerSizes, momentum, nonNegativeNumber, positiveInt, positiveNumber, seed } from '../../src/cli/arguments.js';

describe('CLI option parsers', () => {
  it('read whole numbers strictly: no prefix, no hex, no exponent, no fraction', () => {
    expect(positiveInt('12')).toBe(12);
    for (const bad of ['12abc', '0x10', '1e3', '2.5', '0', '-3', '', ' ']) expect(() => positiveInt(bad), bad).toThrow(InvalidArgumentError);
    expect(() => positiveInt('12abc')).toThrow("expected a whole number ≥ 1, got '12abc'");
  });

  it('refuse a seed that is partly a number (--seed 12abc used to become 12)', () => {
    expect(seed('0')).toBe(0);
    expect(seed('2147483647')).toBe(2147483647);
    for (const bad of ['12abc', 'abc', '-1', '1.5', '2147483648', '']) expect(() => seed(bad), bad).toThrow(/expected a whole number from 0 to 2147483647/);
  });

  it('read a learning rate as a plain decimal number > 0', () => {
    expect(positiveNumber('0.05')).toBe(0.05);
    expect(positiveNumber('1e-3')).toBe(1e-3);
    expect(positiveNumber('.5')).toBe(0.5);
    for (const bad of ['0', '-0.1', '1e400', 'Infinity', '0x1', '0,1', 'abc']) expect(() => positiveNumber(bad), bad).toThrow(/expected a number > 0/);
  });

  it('read a weight decay as a number ≥ 0 and a momentum in [0, 1)', () => {
    expect(nonNegativeNumber('0')).toBe(0);
    expect(nonNegativeNumber('5e-4')).toBe(5e-4);
    for (const bad of ['-0.1', '1e400', 'abc', '0,1']) expect(() => nonNegativeNumber(bad), bad).toThrow(/expected a number ≥ 0/);
    expect(momentum('0')).toBe(0);
    expect(momentum('0.9')).toBe(0.9);
    for (const bad of ['1', '1.5', '-0.1', 'x']) expect(() => momentum(bad), bad).toThrow(/expected a momentum from 0 up to \(not including\) 1/);
  });

  it('read layer widths 784-…-10', () => {
    expect(layerSizes('784-64-10')).toEqual([784, 64, 10]);
    for (const bad of ['784-6a-10', '784', '100-10', '784-0-10', '784--10']) expect(() => layerSizes(bad), bad).toThrow(/expected widths like 784-256-10/);
    expect(layerSizes('784-10')).toEqual([784, 10]);
  });

  it('refuse a DL_NUM_THREADS the library would ignore without a word', () => {
    for (const ok of [undefined, '', '1', '4']) expect(() => checkNumThreadsEnv(ok)).not.toThrow();
    for (const bad of ['0', '-1', 'abc', '1.5', '2x']) {
      expect(() => checkNumThreadsEnv(bad), bad).toThrow(`DL_NUM_THREADS='${bad}' is not a whole number ≥ 1; set it to the number of threads the kernels may use, or unset it to use every core`);
    }
  });

  it('turns a plain parser error into commander’s one-line kind', () => {
    const parse = invalidArgument((v: string): number => {
      throw new Error(`no ${v}`);
    });
    expect(() => parse('x')).toThrow(InvalidArgumentError);
    expect(() => parse('x')).toThrow('no x');
  });
});
