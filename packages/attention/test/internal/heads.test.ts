import { gradcheck, gradgradcheck } from '@dl/autograd';
import { narrow, permute, randn, reshape } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { mergeHeads, splitHeads } from '../../src/internal/heads.js';

const f64 = { dtype: 'float64' as const };

describe('splitHeads / mergeHeads (fused head layout moves)', () => {
  it('equal reshape + permute + narrow, and merge inverts split', () => {
    const x = randn([2, 5, 3 * 12]);
    const parts = splitHeads(x, 4, 3);
    const ref = permute(reshape(x, [2, 5, 3, 4, 3]), [2, 0, 3, 1, 4]);
    parts.forEach((p, i) => expect(Array.from(p.data)).toEqual(Array.from(narrow(ref, 0, i, 1).data)));
    const one = randn([2, 5, 12]);
    expect(Array.from(mergeHeads(splitHeads(one, 4, 1)[0]!).data)).toEqual(Array.from(one.data));
  });
  it('gradcheck and gradgradcheck in float64 (also when only some parts are used)', () => {
    const x = randn([2, 3, 3 * 4], f64);
    expect(gradcheck((a) => splitHeads(a!, 2, 3), [x])).toBe(true);
    expect(gradcheck((a) => splitHeads(a!, 2, 3)[1]!.mul(2), [x])).toBe(true);
    expect(gradgradcheck((a) => splitHeads(a!, 2, 3).map((t) => t.mul(t)), [x])).toBe(true);
    expect(gradcheck((a) => mergeHeads(a!), [randn([2, 2, 3, 2], f64)])).toBe(true);
    expect(gradgradcheck((a) => mergeHeads(a!).mul(mergeHeads(a!)), [randn([1, 2, 3, 2], f64)])).toBe(true);
  });
});
