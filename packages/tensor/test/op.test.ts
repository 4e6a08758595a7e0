import { describe, expect, it } from 'vitest';
import {
  GradError,
  type OpContext,
  Tensor,
  ValueError,
  add,
  argmax,
  defineMultiOutputOp,
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
    expect(y.gradNode!.needsGrad).toEqual([true, false, false]);
    expect(y.gradNode!.backward([constant([1])], false).map((g) => g && Array.from(g.data))).toEqual([[1], null, null]);
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
    const [gx] = y.gradNode!.backward([constant([1, 1])], false);
    expect(Array.from(gx!.data)).toEqual([15, 15]);
    expect(y.gradNode!.outputs).toEqual([y]);
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
    expect(y.gradNode!.needsGrad).toEqual([true, false, true, true]);
    const grads = y.gradNode!.backward([constant([1, 2])], false);
    expect(grads[1]).toBeNull();
    expect(Array.from(grads[3]!.data)).toEqual([4, 8]);
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
    const node = y.gradNode!;
    node.backward([constant([1])], false);
    expect(calls.length).toBe(1);
    node.release();
    expect(node.released).toBe(true);
    expect(() => node.backward([constant([1])], false)).toThrow(GradError);
    expect(() => node.backward([constant([1])], false)).toThrow(/triple: trying to backward through the graph a second time; pass retainGraph: true/);
  });
});

describe('defineOp forward', () => {
  it('runs with recording off even when no input requires grad (a captured parameter leaves no graph)', () => {
    const w = leaf([2, 3]);
    let inner: Tensor | null = null;
    const scaleBy = defineOp<{ w: Tensor }>({
      name: 'scaleBy',
      forward: ([x], { w }) => {
        inner = mul(x!, w);
        return inner;
      },
      backward: [(g, { attrs }) => mul(g, attrs.w)],
    });
    const y = scaleBy([constant([1, 1])], { w });
    expect(Array.from(y.data)).toEqual([2, 3]);
    expect(inner!.gradNode).toBeNull();
    expect(y.requiresGrad).toBe(false);
    expect(y.gradNode).toBeNull();
  });

  it('refuses a forward that returns something other than a tensor', () => {
    const bad = defineOp<void>({ name: 'bad', forward: () => undefined as unknown as Tensor, backward: [(g) => g] });
    expect(() => bad([leaf([1])])).toThrow(/bad: forward returned undefined; need a Tensor/);
  });
});

describe('backward rules that return the wrong thing', () => {
  it('name the op and the input when a rule returns undefined or a number', () => {
    const op = defineOp<void>({
      name: 'sloppy',
      forward: ([a, b]) => add(a!, b!),
      backward: [() => undefined as unknown as Tensor, () => 3 as unknown as Tensor],
    });
    const y = op([leaf([1]), leaf([2])]);
    expect(() => y.gradNode!.backward([constant([1])], false)).toThrow(/sloppy: the backward rule for input 0 returned undefined; need a Tensor/);
    const y2 = op([constant([1]), leaf([2])]);
    expect(() => y2.gradNode!.backward([constant([1])], false)).toThrow(/sloppy: the backward rule for input 1 returned number 3/);
  });
});

describe('fastBackward', () => {
  const scale3 = (fastCalls: number[]) =>
    defineOp<void>({
      name: 'scale3',
      forward: ([x, y]) => mul(add(x!, y!), 3),
      backward: [(g) => mul(g, 3), (g) => mul(g, 3)],
      fastBackward: (g, _ctx, needs) => {
        fastCalls.push(1);
        const gx = new Tensor(Float64Array.from(g.data, (v) => 3 * v), g.shape);
        return needs.map((n) => (n ? gx : null));
      },
    });

  it('runs in place of the rules when the pass is not differentiable, and the rules run when it is', () => {
    const fastCalls: number[] = [];
    const op = scale3(fastCalls);
    const y = op([leaf([1, 2]), constant([0, 0])]);
    const fast = y.gradNode!.backward([constant([1, 1])], false);
    expect(fastCalls.length).toBe(1);
    expect(Array.from(fast[0]!.data)).toEqual([3, 3]);
    expect(fast[1]).toBeNull();
    const slow = y.gradNode!.backward([constant([1, 1])], true);
    expect(fastCalls.length).toBe(1);
    expect(Array.from(slow[0]!.data)).toEqual([3, 3]);
  });

  it('is checked: it must return one entry per input', () => {
    const op = defineOp<void>({ name: 'short', forward: ([x]) => mul(x!, 1), backward: [(g) => g], fastBackward: () => [] });
    const y = op([leaf([1])]);
    expect(() => y.gradNode!.backward([constant([1])], false)).toThrow(/short: fastBackward returned an array of 0; need an array of 1 gradients/);
  });
});

describe('storageChangedSinceRecord', () => {
  it('is false until some storage is changed in place, then true (the engine checks versions only then)', () => {
    const x = leaf([1, 2]);
    const y = mul(x, constant([3, 4]));
    const other = constant([0]);
    expect(y.gradNode!.storageChangedSinceRecord).toBe(false);
    other.addInPlace_(constant([1]));
    expect(y.gradNode!.storageChangedSinceRecord).toBe(true);
  });
});

describe('defineMultiOutputOp', () => {
  /** (a + b, a · b) with the index of the larger input as an int32 third output. */
  const sumProd = defineMultiOutputOp<void>({
    name: 'sumProd',
    forward: ([a, b]) => ({
      outputs: [add(a!, b!), mul(a!, b!), new Tensor(Int32Array.from(a!.data, (v, i) => (v >= b!.data[i]! ? 0 : 1)), a!.shape)],
    }),
    backward: [
      ([gs, gp, gi], { inputs: [, b] }) => {
        expect(gi).toBeNull();
        return gs && gp ? add(gs, mul(gp, b!)) : gs ?? (gp ? mul(gp, b!) : null);
      },
      ([gs, gp], { inputs: [a] }) => (gs && gp ? add(gs, mul(gp, a!)) : gs ?? (gp ? mul(gp, a!) : null)),
    ],
  });

  it('returns every output; float outputs share one node, the integer one carries no gradient', () => {
    const a = leaf([1, 5]);
    const b = leaf([3, 2]);
    const [s, p, idx] = sumProd([a, b]);
    expect(Array.from(s!.data)).toEqual([4, 7]);
    expect(Array.from(p!.data)).toEqual([3, 10]);
    expect(Array.from(idx!.data)).toEqual([1, 0]);
    expect(s!.gradNode).toBe(p!.gradNode);
    expect(s!.gradNode!.outputs).toEqual([s, p, null]);
    expect(idx!.requiresGrad).toBe(false);
    expect(idx!.gradNode).toBeNull();
  });

  it('hands the rules every output gradient, null where an output got none', () => {
    const a = leaf([1, 5]);
    const b = leaf([3, 2]);
    const [s] = sumProd([a, b]);
    const node = s!.gradNode!;
    const [ga, gb] = node.backward([constant([1, 1]), null, null], false);
    expect(Array.from(ga!.data)).toEqual([1, 1]);
    expect(Array.from(gb!.data)).toEqual([1, 1]);
    const [ga2] = node.backward([null, constant([1, 1]), null], false);
    expect(Array.from(ga2!.data)).toEqual([3, 2]);
  });

  it('records nothing when no input requires grad or under noGrad, and checks its forward', () => {
    const [s] = sumProd([constant([1]), constant([2])]);
    expect(s!.gradNode).toBeNull();
    const [t] = noGrad(() => sumProd([leaf([1]), leaf([2])]));
    expect(t!.gradNode).toBeNull();
    const broken = defineMultiOutputOp<void>({ name: 'broken', forward: () => ({ outputs: [] }) });
    expect(() => broken([leaf([1])])).toThrow(/broken: forward returned an array of 0 as outputs; need a non-empty array of Tensors/);
  });
});
