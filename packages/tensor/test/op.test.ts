import { describe, expect, it } from 'vitest';
import {
  GradError,
  type OpContext,
  Tensor,
  ValueError,
  add,
  argmax,
  defineOp,
  enableGrad,
  isGradEnabled,
  mul,
  noGrad,
  tensor,
  withGradMode,
} from '../src/index.js';

const leaf = (values: number[]): Tensor => tensor(values, { dtype: 'float64', requiresGrad: true });
const constant = (values: number[]): Tensor => tensor(values, { dtype: 'float64' });

/** y = 3x, with a VJP that records what it was called with. */
function makeTriple() {
  const calls: OpContext<void, undefined>[] = [];
  const op = defineOp<void>({
    name: 'triple',
    forward: ([x]) => new Tensor(Float64Array.from(x!.data, (v) => 3 * v), x!.shape),
    backward: [
      (g, ctx) => {
        calls.push(ctx);
        return mul(g, 3);
      },
    ],
  });
  return { op, calls };
}

describe('defineOp recording', () => {
  it('records only when an input requires grad', () => {
    const { op } = makeTriple();
    const plain = op([constant([1, 2])]);
    expect(Array.from(plain.data)).toEqual([3, 6]);
    expect(plain.requiresGrad).toBe(false);
    expect(plain.gradNode).toBeNull();

    const x = leaf([1, 2]);
    const y = op([x]);
    expect(y.requiresGrad).toBe(true);
    expect(y.isLeaf).toBe(false);
    expect(y.gradNode?.op).toBe('triple');
    expect(y.gradNode?.inputs[0]).toBe(x);
    expect(y.gradNode?.inputVersions).toEqual([0]);
  });

  it('records nothing under noGrad, and restores the mode afterwards', () => {
    const { op } = makeTriple();
    const x = leaf([1]);
    const y = noGrad(() => op([x]));
    expect(y.requiresGrad).toBe(false);
    expect(y.gradNode).toBeNull();
    expect(isGradEnabled()).toBe(true);
    const z = noGrad(() => enableGrad(() => op([x])));
    expect(z.gradNode).not.toBeNull();
    expect(withGradMode(false, () => isGradEnabled())).toBe(false);
    expect(() =>
      noGrad(() => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(isGradEnabled()).toBe(true);
  });

  it('runs forward with recording off, so ops inside it leave no graph', () => {
    let inner: Tensor | null = null;
    const op = defineOp<void>({
      name: 'composite',
      forward: ([x]) => {
        inner = mul(x!, 2);
        return add(inner, 1);
      },
      backward: [(g) => mul(g, 2)],
    });
    const y = op([leaf([1, 2])]);
    expect(inner!.gradNode).toBeNull();
    expect(inner!.requiresGrad).toBe(false);
    expect(y.gradNode?.op).toBe('composite');
    expect(y.gradNode?.inputs.length).toBe(1);
  });

  it('does not record integer or bool outputs', () => {
    const y = argmax(leaf([1, 5, 2]));
    expect(y.dtype).toBe('int32');
    expect(y.requiresGrad).toBe(false);
    expect(y.gradNode).toBeNull();
    const mask = defineOp<void>({
      name: 'positive',
      forward: ([x]) => new Tensor(Uint8Array.from(x!.data, (v) => (v > 0 ? 1 : 0)), x!.shape),
      backward: [(g) => g],
    });
    const m = mask([leaf([1, -1])]);
    expect(m.dtype).toBe('bool');
    expect(m.gradNode).toBeNull();
  });

  it('does not record an op without backward, or when only non-differentiable inputs require grad', () => {
    const noBackward = defineOp<void>({ name: 'nb', forward: ([x]) => x!.detach() });
    expect(noBackward([leaf([1])]).gradNode).toBeNull();
    const indexOnly = defineOp<void>({
      name: 'io',
      forward: ([x]) => new Tensor(Float64Array.from(x!.data), x!.shape),
      backward: [null],
    });
    expect(indexOnly([leaf([1])]).gradNode).toBeNull();
  });

  it('gives a VJP only to inputs that require grad and have a rule', () => {
    const op = defineOp<void>({
      name: 'mix',
      forward: ([a, b, c]) => add(add(a!, b!), c!),
      backward: [(g) => g, (g) => g, null],
    });
    const y = op([leaf([1]), constant([2]), leaf([3])]);
    const vjps = y.gradNode!.vjps;
    expect(vjps[0]).toBeTypeOf('function');
    expect(vjps[1]).toBeNull();
    expect(vjps[2]).toBeNull();
  });

  it('hands the backward rule inputs, output, attrs and saved residuals', () => {
    const op = defineOp<{ k: number }, { twice: number }>({
      name: 'scaled',
      forward: ([x], { k }) => ({ output: mul(x!, k), saved: { twice: 2 * k } }),
      backward: [(g, { attrs, saved }) => mul(g, attrs.k + saved.twice)],
    });
    const x = leaf([1, 2]);
    const y = op([x], { k: 5 });
    expect(Array.from(y.data)).toEqual([5, 10]);
    const gx = y.gradNode!.vjps[0]!(constant([1, 1]));
    expect(Array.from(gx.data)).toEqual([15, 15]);
  });

  it('accepts backward as a function of the input index (variadic ops)', () => {
    const seen: number[] = [];
    const weightedSum = defineOp<void>({
      name: 'weightedSum',
      forward: (xs) => xs.reduce((acc, t, i) => add(acc, mul(t, i + 1)), mul(xs[0]!, 0)),
      backward: (i) => {
        seen.push(i);
        return i === 1 ? null : (g) => mul(g, i + 1);
      },
    });
    const xs = [leaf([1, 1]), leaf([2, 2]), leaf([3, 3]), leaf([4, 4])];
    const y = weightedSum(xs);
    expect(Array.from(y.data)).toEqual([30, 30]);
    const vjps = y.gradNode!.vjps;
    expect(vjps.length).toBe(4);
    expect(vjps[1]).toBeNull();
    expect(Array.from(vjps[3]!(constant([1, 2])).data)).toEqual([4, 8]);
    expect(seen).toContain(3);
  });

  it('runs check before forward, and its error propagates', () => {
    let forwardRan = false;
    const op = defineOp<void>({
      name: 'picky',
      check: ([x]) => {
        if (x!.size !== 2) throw new ValueError('picky', `need 2 elements, got ${x!.size}`);
      },
      forward: ([x]) => {
        forwardRan = true;
        return x!;
      },
    });
    expect(() => op([constant([1, 2, 3])])).toThrow(/picky: need 2 elements, got 3/);
    expect(forwardRan).toBe(false);
  });

  it('refuses to run a VJP after the node is released', () => {
    const { op, calls } = makeTriple();
    const y = op([leaf([1])]);
    const vjp = y.gradNode!.vjps[0]!;
    vjp(constant([1]));
    expect(calls.length).toBe(1);
    y.gradNode!.release();
    expect(y.gradNode!.released).toBe(true);
    expect(() => vjp(constant([1]))).toThrow(GradError);
    expect(() => vjp(constant([1]))).toThrow(/triple: trying to backward through the graph a second time; pass retainGraph: true/);
  });
});
