import { gradcheck, gradgradcheck } from '@dl/autograd';
import { Generator, type Tensor, randn } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { gruCell, lstmCell } from '../../src/index.js';

const g = new Generator(3);
const r = (shape: number[]): Tensor => randn(shape, { generator: g, dtype: 'float64', requiresGrad: true });

describe('lstmCell', () => {
  it('passes gradcheck and gradgradcheck (float64)', { timeout: 60_000 }, () => {
    const [B, H] = [2, 3];
    const inputs = [r([B, 4 * H]), r([B, 4 * H]), r([B, H])];
    expect(gradcheck((a, b, c) => lstmCell(a!, b!, c!), inputs)).toBe(true);
    expect(gradgradcheck((a, b, c) => lstmCell(a!, b!, c!), inputs)).toBe(true);
  });

  it('with peepholes passes gradcheck and gradgradcheck (float64)', { timeout: 60_000 }, () => {
    const [B, H] = [2, 3];
    const inputs = [r([B, 4 * H]), r([B, 4 * H]), r([B, H]), r([H]), r([H]), r([H])];
    const f = (a: Tensor, b: Tensor, c: Tensor, wi: Tensor, wf: Tensor, wo: Tensor) => lstmCell(a, b, c, [wi, wf, wo]);
    expect(gradcheck(f as never, inputs)).toBe(true);
    expect(gradgradcheck(f as never, inputs)).toBe(true);
  });
});

describe('gruCell', () => {
  it('passes gradcheck and gradgradcheck (float64)', { timeout: 60_000 }, () => {
    const [B, H] = [2, 3];
    const inputs = [r([B, 3 * H]), r([B, 3 * H]), r([B, H]), r([3 * H])];
    const f = (a: Tensor, b: Tensor, h: Tensor, bh: Tensor) => gruCell(a, b, h, bh);
    expect(gradcheck(f as never, inputs)).toBe(true);
    expect(gradgradcheck(f as never, inputs)).toBe(true);
  });
});
