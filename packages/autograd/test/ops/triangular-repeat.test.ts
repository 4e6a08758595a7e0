import { type Tensor, mul, repeat, tile, tril, triu } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { gradcheck, gradgradcheck } from '../../src/index.js';
import { rng, uni } from '../helpers.js';

// tril/triu (masks) and repeat/tile (copies summed back) in float64: the
// analytic VJP against central differences, and second derivatives through
// a product (the ops are linear, so f(x) = op(x)·op(x) makes the second
// derivative non-trivial).
interface Case {
  name: string;
  f: (x: Tensor) => Tensor;
  shape: number[];
}

const CASES: Case[] = [
  { name: 'tril', f: (x) => tril(x), shape: [3, 3] },
  { name: 'tril, diagonal −1, batched', f: (x) => tril(x, -1), shape: [2, 3, 4] },
  { name: 'tril, diagonal 2, wide', f: (x) => tril(x, 2), shape: [2, 5] },
  { name: 'triu', f: (x) => triu(x), shape: [3, 3] },
  { name: 'triu, diagonal 1, batched', f: (x) => triu(x, 1), shape: [2, 2, 3, 3] },
  { name: 'triu, diagonal −2, tall', f: (x) => triu(x, -2), shape: [5, 2] },
  { name: 'repeat [2, 3]', f: (x) => repeat(x, [2, 3]), shape: [2, 2] },
  { name: 'repeat with new leading dims', f: (x) => repeat(x, [2, 1, 3]), shape: [3] },
  { name: 'repeat over size-1 dims', f: (x) => repeat(x, [3, 1, 2]), shape: [1, 2, 1] },
  { name: 'repeat of a scalar', f: (x) => repeat(x, [4]), shape: [] },
  { name: 'tile, short reps', f: (x) => tile(x, [3]), shape: [2, 2] },
  { name: 'tile, long reps', f: (x) => tile(x, [2, 1, 2]), shape: [3] },
];

describe('tril, triu, repeat, tile: gradcheck and gradgradcheck in float64', () => {
  for (const c of CASES) {
    it(`${c.name}: first derivatives`, () => {
      expect(gradcheck(c.f, [uni(rng(c.name.length), c.shape, -2, 2)])).toBe(true);
    });
    it(`${c.name}: second derivatives`, () => {
      const sq = (x: Tensor): Tensor => {
        const y = c.f(x);
        return mul(y, y);
      };
      expect(gradgradcheck(sq, [uni(rng(c.name.length + 100), c.shape, -2, 2)])).toBe(true);
    });
  }
});
