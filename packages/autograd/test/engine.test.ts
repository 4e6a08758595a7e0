import {
  defineMultiOutputOp,
  sub,
  tanh,
  GradError,
  ShapeError,
  Tensor,
  add,
  defineOp,
  exp,
  mul,
  noGrad,
  ones,
  reshape,
  sum,
  tensor,
} from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { backward, gradcheck, gradgradcheck, gradients } from '../src/index.js';

const leaf = (v: number[] | number[][] | number) => tensor(v, { dtype: 'float64', requiresGrad: true });
const values = (t: Tensor | null) => Array.from(t!.data);

describe('backward', () => {
  it('accumulates into .grad across two backward calls (PyTorch style)', () => {
    const x = leaf([1, 2, 3]);
    backward(sum(mul(x, x)));
    expect(values(x.grad)).toEqual([2, 4, 6]);
    backward(sum(mul(x, 3)));
    expect(values(x.grad)).toEqual([5, 7, 9]);
    expect(x.grad!.requiresGrad).toBe(false);
  });

  it('needs retainGraph for a second backward through the same graph, with a clear error', () => {
    const x = leaf([1, 2]);
    const y = sum(exp(x));
    backward(y);
    expect(() => backward(y)).toThrow(GradError);
    expect(() => backward(y)).toThrow(/trying to backward through the graph a second time .*pass retainGraph: true to the first backward/);
    const z = sum(exp(x));
    backward(z, { retainGraph: true });
    backward(z);
    expect(values(x.grad)[0]).toBeCloseTo(Math.E + 2 * Math.E, 12);
  });

  it('refuses when a leaf used by the graph was changed in place (under noGrad) since', () => {
    const w = leaf([1, 2]);
    const y = sum(mul(w, w));
    noGrad(() => w.mulInPlace_(10));
    expect(() => backward(y)).toThrow(/mul: input 0 \(shape \[2\]\) was modified in place after mul used it \(version 0 → 1\); its gradient would be wrong/);
    expect(w.grad).toBeNull();
  });

  it('refuses when an input that does not require grad, but feeds another input’s gradient, was changed', () => {
    const x = tensor([1, 2], { dtype: 'float64' });
    const w = leaf([3, 4]);
    const y = sum(mul(x, w));
    x.mulInPlace_(10);
    expect(() => backward(y)).toThrow(/mul: input 0 \(shape \[2\]\) was modified in place after mul used it/);
    expect(w.grad).toBeNull();
  });

  it('sees an in-place change made through a view that shares the storage', () => {
    const x = tensor([1, 2, 3, 4], { dtype: 'float64' });
    const w = leaf([1, 2, 3, 4]);
    const y = sum(mul(reshape(x, [2, 2]), reshape(w, [2, 2])));
    x.detach().mulInPlace_(10);
    expect(() => backward(y)).toThrow(/mul: input 0 \(shape \[2, 2\]\) was modified in place after mul used it/);
  });

  it('refuses when a saved output was changed in place', () => {
    const x = leaf([1, 2]);
    const e = exp(x);
    noGrad(() => e.fill_(0));
    expect(() => backward(e, { grad: ones([2], { dtype: 'float64' }) })).toThrow(
      /exp: the output \(shape \[2\]\) was modified in place after exp computed it \(version 0 → 1\)/,
    );
    // Downstream, the consumer's input check catches the same change first.
    const f = exp(x);
    const y = sum(f);
    noGrad(() => f.fill_(0));
    expect(() => backward(y)).toThrow(/sum: input 0 \(shape \[2\]\) was modified in place/);
    expect(x.grad).toBeNull();
  });

  it('retainGrad keeps a non-leaf gradient; other non-leaves keep none', () => {
    const x = leaf([1, 2]);
    const h = mul(x, 3).retainGrad();
    const k = mul(h, h);
    backward(sum(k));
    expect(values(h.grad)).toEqual([6, 12]);
    expect(k.grad).toBeNull();
    expect(values(x.grad)).toEqual([18, 36]);
  });

  it('needs an explicit gradient for a non-scalar root', () => {
    const x = leaf([1, 2]);
    const y = mul(x, 2);
    expect(() => backward(y)).toThrow(GradError);
    expect(() => backward(y)).toThrow(/backward: output 0 has shape \[2\]; a gradient can be implied only for a single-element output, so pass one/);
    backward(y, { grad: tensor([1, 10], { dtype: 'float64' }) });
    expect(values(x.grad)).toEqual([2, 20]);
    expect(() => backward(mul(x, 2), { grad: tensor([1, 2, 3], { dtype: 'float64' }) })).toThrow(ShapeError);
    expect(() => backward(mul(x, 2), { grad: tensor([1, 2, 3], { dtype: 'float64' }) })).toThrow(/backward: gradient 0 has shape \[3\] but output 0 has \[2\]/);
  });

  it('accepts a single-element non-scalar root and casts a seed of another dtype', () => {
    const x = leaf([[2]]);
    backward(mul(x, x));
    expect(values(x.grad)).toEqual([4]);
    const y = leaf([1]);
    backward(mul(y, 3), { grad: tensor([2]) });
    expect(y.grad!.dtype).toBe('float64');
    expect(values(y.grad)).toEqual([6]);
  });

  it('refuses a root that does not require grad', () => {
    expect(() => backward(sum(tensor([1, 2])))).toThrow(/backward: output 0 \(shape \[\]\) does not require grad/);
    const x = leaf([1]);
    expect(() => backward(noGrad(() => mul(x, 2)).sum())).toThrow(GradError);
  });

  it('runs several roots with their own gradients', () => {
    const x = leaf([1, 2]);
    backward([sum(mul(x, 2)), mul(x, x)], { grad: [tensor(1, { dtype: 'float64' }), tensor([1, 1], { dtype: 'float64' })] });
    expect(values(x.grad)).toEqual([4, 6]);
    expect(() => backward([sum(x)], { grad: [] })).toThrow(/backward: got 0 gradients for 1 outputs/);
  });

  it('sums broadcast gradients back to each input’s shape', () => {
    // A rule that returns the output-shaped gradient for a broadcast input: the engine must reduce it.
    const bcastAdd = defineOp<void>({
      name: 'bcastAdd',
      forward: ([a, b]) => add(a!, b!),
      backward: [(g) => g, (g) => mul(g, 2)],
    });
    const a = leaf([[1], [2], [3]]);
    const b = leaf([10, 20, 30, 40]);
    backward(sum(bcastAdd([a, b])));
    expect([...a.grad!.shape]).toEqual([3, 1]);
    expect(values(a.grad)).toEqual([4, 4, 4]);
    expect([...b.grad!.shape]).toEqual([4]);
    expect(values(b.grad)).toEqual([6, 6, 6, 6]);
    const s = leaf(5);
    backward(sum(bcastAdd([s, ones([2, 3], { dtype: 'float64' })])));
    expect(s.grad!.item()).toBe(6);
  });

  it('gives each leaf its own .grad storage even when a rule passes g through', () => {
    const a = leaf([1]);
    const b = leaf([2]);
    backward(sum(add(a, b)));
    expect(a.grad!.data).not.toBe(b.grad!.data);
    noGrad(() => a.grad!.fill_(7));
    expect(values(b.grad)).toEqual([1]);
  });

  it('keeps a new, unshared gradient in .grad without copying it', () => {
    let returned: ArrayBufferLike | undefined;
    const scale = defineOp<void>({
      name: 'scale',
      forward: ([x]) => mul(x!, 2),
      backward: [
        (g) => {
          const gi = mul(g, 2);
          returned = gi.data.buffer;
          return gi;
        },
      ],
    });
    const x = leaf([1, 2, 3]);
    backward(sum(scale([x])));
    expect(values(x.grad)).toEqual([2, 2, 2]);
    expect(x.grad!.data.buffer).toBe(returned);
    expect(x.grad!.requiresGrad).toBe(false);
  });

  it('copies a gradient that two leaves would otherwise share, even as different views of one buffer', () => {
    const twin = defineOp<void>({
      name: 'twin',
      forward: ([a, b]) => add(a!, reshape(b!, [3])),
      backward: [(g) => mul(g, 1.5), (g) => reshape(g, [3, 1])],
    });
    const spread = defineOp<void>({ name: 'spread', forward: ([x]) => mul(x!, 1), backward: [(g) => g] });
    const a = leaf([1, 2, 3]);
    const b = leaf([[1], [2], [3]]);
    // spread's rule passes g through, so twin's g reaches b as a reshape of the same buffer a's rule reads.
    backward(sum(spread([twin([a, b])])));
    expect(a.grad!.data.buffer).not.toBe(b.grad!.data.buffer);
    noGrad(() => b.grad!.fill_(7));
    expect(values(a.grad)).toEqual([1.5, 1.5, 1.5]);
    const c = leaf([1, 2, 3]);
    const d = leaf([[1], [2], [3]]);
    const passBoth = defineOp<void>({ name: 'passBoth', forward: ([x, y]) => add(x!, reshape(y!, [3])), backward: [(g) => g, (g) => reshape(g, [3, 1])] });
    backward(sum(mul(passBoth([c, d]), 3)));
    expect(c.grad!.data.buffer).not.toBe(d.grad!.data.buffer);
    noGrad(() => d.grad!.fill_(7));
    expect(values(c.grad)).toEqual([3, 3, 3]);
  });

  it('never stores a seed gradient the caller passed in: .grad gets its own copy', () => {
    const x = leaf([1, 2]);
    const seed = tensor([5, 6], { dtype: 'float64' });
    const through = defineOp<void>({ name: 'through', forward: ([t]) => mul(t!, 1), backward: [(g) => g] });
    backward(through([x]), { grad: seed });
    expect(values(x.grad)).toEqual([5, 6]);
    expect(x.grad!.data.buffer).not.toBe(seed.data.buffer);
    noGrad(() => x.grad!.fill_(0));
    expect(values(seed)).toEqual([5, 6]);
    const y = leaf([1, 2]);
    backward(y, { grad: seed }); // the seed reaches the leaf directly, handed over once
    expect(y.grad!.data.buffer).not.toBe(seed.data.buffer);
  });

  it('never stores a tensor that existed before backward (a rule returning a constant it holds)', () => {
    const k = tensor([4, 5], { dtype: 'float64' });
    const constGrad = defineOp<void>({ name: 'constGrad', forward: ([t]) => mul(t!, 1), backward: [() => k] });
    const x = leaf([1, 2]);
    backward(sum(constGrad([x])));
    expect(values(x.grad)).toEqual([4, 5]);
    expect(x.grad!.data.buffer).not.toBe(k.data.buffer);
    noGrad(() => x.grad!.fill_(0));
    expect(values(k)).toEqual([4, 5]);
  });

  it('with createGraph, .grad is itself differentiable (and the graph is retained by default)', () => {
    const x = leaf([3]);
    backward(sum(mul(mul(x, x), x)), { createGraph: true });
    const dx = x.grad!;
    expect(values(dx)).toEqual([27]);
    expect(dx.requiresGrad).toBe(true);
    const [d2] = gradients(sum(dx), [x]);
    expect(values(d2!)).toEqual([18]);
  });

  it('walks a 100 000-op chain without overflowing the stack', () => {
    const x = leaf(1);
    let y: Tensor = x;
    for (let i = 0; i < 100_000; i++) y = mul(y, 1);
    backward(y);
    expect(x.grad!.item()).toBe(1);
  });
});

describe('accumulating several contributions into one gradient', () => {
  it('adds in place only into a sum the pass owns; a gradient another tensor shares stays untouched', () => {
    const u = leaf([1, 2]);
    const v = leaf([3, 4]);
    // add's rule hands the same g to u and v; u then gets 3 more from mul and
    // 5 from the second mul. The shared g reaches u first (the engine walks
    // the later operand of the root first), so adding in place there would
    // change v's gradient too.
    const loss = add(add(sum(mul(u, 3)), sum(mul(u, 5))), sum(add(u, v)));
    backward(loss);
    expect(values(u.grad)).toEqual([9, 9]);
    expect(values(v.grad)).toEqual([1, 1]);
  });

  it('sums the gradients of slices of one tensor (four gates of a fused projection)', () => {
    const z = leaf([1, 2, 3, 4, 5, 6, 7, 8]);
    const parts = [0, 1, 2, 3].map((k) => mul(reshape(z, [4, 2]), 1).reshape([4, 2]));
    const loss = parts.reduce((acc, p, k) => add(acc, sum(mul(p, k + 1))), sum(mul(z, 0)));
    backward(loss);
    expect(values(z.grad)).toEqual(new Array(8).fill(10));
  });
});

describe('gradients', () => {
  it('returns ∂outputs/∂inputs without touching .grad', () => {
    const x = leaf([1, 2]);
    const w = leaf([3, 4]);
    const [gx, gw] = gradients(sum(mul(x, w)), [x, w]);
    expect(values(gx!)).toEqual([3, 4]);
    expect(values(gw!)).toEqual([1, 2]);
    expect(x.grad).toBeNull();
    expect(w.grad).toBeNull();
  });

  it('refuses unused inputs unless allowUnused, which gives zeros', () => {
    const x = leaf([1, 2]);
    const u = leaf([5, 6, 7]);
    expect(() => gradients(sum(x), [x, u])).toThrow(GradError);
    expect(() => gradients(sum(x), [x, u])).toThrow(/gradients: input 1 \(shape \[3\]\) was not used to compute the outputs; pass allowUnused: true to get zeros/);
    const [, gu] = gradients(sum(x), [x, u], { allowUnused: true });
    expect(values(gu!)).toEqual([0, 0, 0]);
    expect(gu!.dtype).toBe('float64');
  });

  it('refuses inputs that do not require grad', () => {
    expect(() => gradients(sum(leaf([1])), [tensor([1])])).toThrow(/gradients: input 0 \(shape \[1\]\) does not require grad/);
  });

  it('takes explicit output gradients and an intermediate result as input', () => {
    const x = leaf([1, 2]);
    const h = mul(x, 2);
    const y = mul(h, h);
    const [gh] = gradients(y, [h], { gradOutputs: tensor([1, 0.5], { dtype: 'float64' }) });
    expect(values(gh!)).toEqual([4, 4]);
  });

  it('stops at each input: the gradient of an input below another input counts only the paths avoiding it', () => {
    // Documented behaviour ("the walk stops at them"), which checkpoint relies on;
    // torch.autograd.grad would add the path through h as well.
    const x = leaf([1, 2]);
    const h = mul(x, 2);
    const z = add(sum(mul(h, h)), sum(x));
    const [gh, gx] = gradients(z, [h, x]);
    expect(values(gh!)).toEqual([4, 8]);
    expect(values(gx!)).toEqual([1, 1]);
  });

  it('retains the graph when createGraph is on, so it can be walked again', () => {
    const x = leaf([2]);
    const y = sum(mul(mul(x, x), x));
    const [g1] = gradients(y, [x], { createGraph: true });
    const [g2] = gradients(y, [x]);
    expect(values(g1!)).toEqual(values(g2!));
  });
});

describe('ops with several outputs', () => {
  // (h, c) = (tanh(a) · b, a · b): two outputs that share inputs, as an LSTM cell's.
  const fused = (fastCalls?: { n: number }) =>
    defineMultiOutputOp<void, { t: Tensor }>({
      name: 'fusedPair',
      forward: ([a, b]) => {
        const t = tanh(a!);
        return { outputs: [mul(t, b!), mul(a!, b!)], saved: { t } };
      },
      // The rules recompute tanh(a) from the input: the saved residual is a
      // constant to a recorded backward, and a second derivative needs t's
      // dependence on a. The fused backward reads the residual.
      backward: [
        ([gh, gc], { inputs: [a, b] }) => {
          const t = tanh(a!);
          const dh = gh ? mul(mul(gh, b!), sub(1, mul(t, t))) : null;
          const dc = gc ? mul(gc, b!) : null;
          return dh && dc ? add(dh, dc) : (dh ?? dc);
        },
        ([gh, gc], { inputs: [a] }) => {
          const dh = gh ? mul(gh, tanh(a!)) : null;
          const dc = gc ? mul(gc, a!) : null;
          return dh && dc ? add(dh, dc) : (dh ?? dc);
        },
      ],
      fastBackward: fastCalls
        ? ([gh, gc], { inputs: [a, b], saved: { t } }, needs) => {
            fastCalls.n++;
            const n = a!.size;
            const ga = new Float64Array(n);
            const gb = new Float64Array(n);
            for (let i = 0; i < n; i++) {
              const h = gh ? gh.data[i]! : 0;
              const c = gc ? gc.data[i]! : 0;
              const tv = t.data[i]!;
              ga[i] = h * b!.data[i]! * (1 - tv * tv) + c * b!.data[i]!;
              gb[i] = h * tv + c * a!.data[i]!;
            }
            return [needs[0] ? new Tensor(ga, a!.shape) : null, needs[1] ? new Tensor(gb, b!.shape) : null];
          }
        : undefined,
    });

  it('back-propagates through both outputs, one, or the other, matching finite differences', () => {
    const op = fused();
    const a = tensor([0.3, -0.7, 1.1], { dtype: 'float64' });
    const b = tensor([1.5, 0.4, -0.9], { dtype: 'float64' });
    const both = (x: Tensor, y: Tensor) => {
      const [h, c] = op([x, y]);
      return sum(add(mul(h!, h!), mul(c!, 3)));
    };
    const onlyC = (x: Tensor, y: Tensor) => sum(mul(op([x, y])[1]!, exp(x)));
    const onlyH = (x: Tensor, y: Tensor) => sum(op([x, y])[0]!);
    for (const f of [both, onlyC, onlyH]) expect(gradcheck(f, [a, b])).toBe(true);
  });

  it('takes second derivatives through the differentiable rules', () => {
    const op = fused();
    const a = tensor([0.3, -0.7], { dtype: 'float64' });
    const b = tensor([1.5, 0.4], { dtype: 'float64' });
    expect(gradgradcheck((x: Tensor, y: Tensor) => sum(mul(op([x, y])[0]!, op([x, y])[1]!)), [a, b])).toBe(true);
  });

  it('uses the fused backward when not recording and agrees with the rules', () => {
    const calls = { n: 0 };
    const op = fused(calls);
    const a = leaf([0.3, -0.7, 1.1]);
    const b = leaf([1.5, 0.4, -0.9]);
    const loss = () => {
      const [h, c] = op([a, b]);
      return sum(add(mul(h!, h!), c!));
    };
    const fast = gradients(loss(), [a, b]);
    expect(calls.n).toBe(1);
    const slow = gradients(loss(), [a, b], { createGraph: true });
    expect(calls.n).toBe(1);
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 3; j++) expect(fast[i]!.data[j]).toBeCloseTo(slow[i]!.data[j]!, 14);
    }
  });

  it('stops at an output that is a target, passing the other output on', () => {
    const op = fused();
    const a = leaf([0.3, -0.7]);
    const b = leaf([1.5, 0.4]);
    const [h, c] = op([a, b]);
    const loss = sum(add(mul(h!, 2), mul(c!, 5)));
    const [gh, ga] = gradients(loss, [h!, a]) as [Tensor, Tensor];
    expect(values(gh)).toEqual([2, 2]);
    // Only c's path reaches a: ∂(5·a·b)/∂a = 5b.
    expect(values(ga)).toEqual([7.5, 2]);
  });

  it('refuses when one output was changed in place after the op', () => {
    const op = fused();
    const a = leaf([0.3]);
    const [h, c] = op([a, leaf([2])]);
    const loss = sum(h!);
    noGrad(() => c!.detach().addInPlace_(1));
    expect(() => backward(loss)).toThrow(/fusedPair: output 1 \(shape \[1\]\) was modified in place after fusedPair computed it/);
  });

  it('walks a 2 000-step chain of a two-output op (an unrolled recurrence) without overflowing the stack', () => {
    const op = fused();
    const a = leaf([0.1]);
    let h = a;
    let c = tensor([1], { dtype: 'float64' });
    for (let t = 0; t < 2000; t++) {
      const [h2, c2] = op([add(h, 0.01), c]);
      h = h2!;
      c = mul(c2!, 0.5);
    }
    backward(sum(add(h, c)));
    expect(Number.isFinite(a.grad!.data[0]!)).toBe(true);
  });
});
