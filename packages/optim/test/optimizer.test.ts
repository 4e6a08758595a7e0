// The base class, for every optimizer: groups, zeroGrad, state dicts,
// argument checks, and that updates are visible to autograd.
import { backward } from '@dl/autograd';
import { DTypeError, GradError, Parameter, Tensor, ValueError, mul, sum, tensor } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { Adadelta, Adagrad, Adam, AdamW, Adamax, type LrHyper, type Optimizer, RMSprop, SGD, StepLR } from '../src/index.js';
import { expectAllClose } from './helpers.js';

type Make = (params: Tensor[]) => Optimizer<LrHyper>;
const ALL: Record<string, Make> = {
  SGD: (p: Tensor[]) => new SGD(p, { lr: 0.1, momentum: 0.9 }),
  Adagrad: (p: Tensor[]) => new Adagrad(p, { lr: 0.1 }),
  RMSprop: (p: Tensor[]) => new RMSprop(p, { centered: true, momentum: 0.5 }),
  Adadelta: (p: Tensor[]) => new Adadelta(p),
  Adam: (p: Tensor[]) => new Adam(p, { lr: 0.05, amsgrad: true }),
  AdamW: (p: Tensor[]) => new AdamW(p, { lr: 0.05 }),
  Adamax: (p: Tensor[]) => new Adamax(p),
};

const loss = (ps: readonly Tensor[]) => ps.map((p) => sum(mul(mul(p, p), p))).reduce((a, b) => a.add(b));
const fresh = () => [new Parameter(tensor([0.5, -1.5, 2], { dtype: 'float64' })), new Parameter(tensor([[1, 2], [3, -4]], { dtype: 'float64' }))];

function run(opt: Optimizer<LrHyper>, ps: Tensor[], steps: number): void {
  for (let i = 0; i < steps; i++) {
    opt.zeroGrad();
    backward(loss(ps));
    opt.step();
  }
}

describe.each(Object.entries(ALL))('%s', (_name, make) => {
  it('stateDict / loadStateDict resumes training exactly (state keyed by index)', () => {
    const a = fresh();
    const oa = make(a);
    run(oa, a, 8);
    const b = fresh();
    const ob = make(b);
    run(ob, b, 4);
    const saved = ob.stateDict();
    expect(Object.keys(saved.state).sort()).toEqual(['0', '1']);
    expect(saved.paramGroups[0]!.params).toEqual([0, 1]);
    const c = b.map((p) => new Parameter(tensor(Float64Array.from(p.data), { shape: p.shape })));
    const oc = make(c);
    oc.loadStateDict(saved);
    run(oc, c, 4);
    c.forEach((p, i) => expect(Array.from(p.data)).toEqual(Array.from(a[i]!.data)));
    // The snapshot is a copy: further steps do not change it.
    const before = JSON.stringify(Object.values(saved.state).map((s) => Object.keys(s)));
    run(ob, b, 1);
    expect(JSON.stringify(Object.values(saved.state).map((s) => Object.keys(s)))).toBe(before);
  });

  it('stateDict round-trips mid-training with two groups and a schedule, and training continues identically', () => {
    // Groups with their own rates and a schedule, interrupted after 5 steps and resumed in a fresh optimizer built
    // with different hyper-parameters: the state dict must carry the groups' hyper-parameters as well as the state.
    const groupsOf = (ps: Tensor[], lrs: [number, number]) => [
      { params: [ps[0]!], lr: lrs[0] },
      { params: [ps[1]!], lr: lrs[1] },
    ];
    const build = (ps: Tensor[], lrs: [number, number]) => {
      const opt = make(ps);
      const o = new (opt.constructor as new (g: unknown, o: object) => Optimizer<LrHyper>)(groupsOf(ps, lrs), { ...opt.defaults, lr: lrs[0] });
      return { o, s: new StepLR(o, { stepSize: 3, gamma: 0.5 }) };
    };
    const a = fresh();
    const runA = build(a, [0.02, 0.05]);
    for (let i = 0; i < 10; i++) {
      run(runA.o, a, 1);
      runA.s.step();
    }
    const b = fresh();
    const runB = build(b, [0.02, 0.05]);
    for (let i = 0; i < 5; i++) {
      run(runB.o, b, 1);
      runB.s.step();
    }
    const saved = { opt: runB.o.stateDict(), sched: runB.s.stateDict() };
    const c = b.map((p) => new Parameter(tensor(Float64Array.from(p.data), { shape: p.shape })));
    const runC = build(c, [0.3, 0.3]);
    runC.o.loadStateDict(saved.opt);
    runC.s.loadStateDict(saved.sched);
    expect(runC.o.paramGroups.map((g) => g.lr)).toEqual(runB.o.paramGroups.map((g) => g.lr));
    for (let i = 0; i < 5; i++) {
      run(runC.o, c, 1);
      runC.s.step();
    }
    c.forEach((p, i) => expect(Array.from(p.data)).toEqual(Array.from(a[i]!.data)));
    expect(runC.o.paramGroups.map((g) => g.lr)).toEqual(runA.o.paramGroups.map((g) => g.lr));
  });

  it('loadStateDict refuses state tensors of another shape than their parameter', () => {
    const ps = fresh();
    const o = make(ps);
    run(o, ps, 2);
    const saved = o.stateDict();
    const [key, buf] = Object.entries(saved.state[1]!).find(([, v]) => v instanceof Tensor)!;
    saved.state[1]![key] = tensor([1, 2, 3], { dtype: 'float64' });
    expect(() => make(fresh()).loadStateDict(saved)).toThrow(`loaded state '${key}' for parameter 1 has shape [3]; the parameter is [2, 2]`);
    saved.state[1]![key] = (buf as Tensor).reshape([4]);
    expect(() => make(fresh()).loadStateDict(saved)).toThrow(/has shape \[4\]/);
  });

  it('loadStateDict checks loaded hyper-parameters like the constructor does', () => {
    const o = make(fresh());
    const saved = o.stateDict();
    saved.paramGroups[0]!.lr = -1;
    const other = make(fresh());
    expect(() => other.loadStateDict(saved)).toThrow(/invalid learning rate: -1/);
    expect(other.paramGroups[0]!.lr).toBe(make(fresh()).paramGroups[0]!.lr);
  });

  it('loadStateDict checks the group layout', () => {
    const o = make(fresh());
    const saved = o.stateDict();
    const other = make([new Parameter(tensor([1], { dtype: 'float64' }))]);
    expect(() => other.loadStateDict(saved)).toThrow(/parameters/);
  });

  it('works on float32 parameters: float32 state, and the float64 trajectory to float32 precision', () => {
    const ps = fresh().map((p) => new Parameter(tensor(Float32Array.from(p.data), { shape: p.shape })));
    const ref = fresh();
    const o = make(ps);
    run(o, ps, 5);
    run(make(ref), ref, 5);
    ps.forEach((p, i) => {
      expect(p.dtype).toBe('float32');
      for (const v of Object.values(o.state.get(p)!)) if (v instanceof Tensor) expect(v.dtype).toBe('float32');
      // float32 carries ~7 digits; five steps on a cubic lose at most a couple of them.
      expectAllClose(p.data, ref[i]!.data, 1e-5, `${_name} float32 parameter ${i}`);
      expect(Array.from(p.data)).not.toEqual(Array.from(fresh()[i]!.data));
    });
  });

  it('an update is seen by autograd: backward through a graph that saved the old values throws', () => {
    const ps = fresh();
    const o = make(ps);
    const l = loss(ps);
    backward(l, { retainGraph: true });
    o.step();
    expect(() => backward(l)).toThrow(GradError);
  });

  it('maximize on −f takes the same steps as minimizing f', () => {
    const ctor = make(fresh()).constructor as new (ps: Tensor[], o: object) => Optimizer<LrHyper>;
    if (ctor.name === 'SGD') return; // covered with momentum in sgd.test.ts
    const a = fresh();
    const b = fresh();
    const oa = new ctor(a, { maximize: true });
    const ob = new ctor(b, {});
    for (let i = 0; i < 5; i++) {
      oa.zeroGrad();
      backward(mul(-1, loss(a)));
      oa.step();
      ob.zeroGrad();
      backward(loss(b));
      ob.step();
    }
    a.forEach((p, i) => expect(Array.from(p.data)).toEqual(Array.from(b[i]!.data)));
  });

  it('zeroGrad clears to null or to zeros', () => {
    const ps = fresh();
    const o = make(ps);
    backward(loss(ps));
    o.zeroGrad(false);
    expect(Array.from(ps[0]!.grad!.data)).toEqual([0, 0, 0]);
    o.zeroGrad();
    expect(ps[0]!.grad).toBeNull();
  });

  it('rejects a negative or non-finite learning rate', () => {
    const ctor = make(fresh()).constructor as new (ps: Tensor[], o: object) => unknown;
    for (const lr of [-0.1, Number.NaN, Infinity]) expect(() => new ctor(fresh(), { lr })).toThrow(/invalid learning rate/);
  });
});

describe('parameter groups', () => {
  it('each group keeps its own hyper-parameters, defaults fill the rest', () => {
    const [a, b] = fresh();
    const opt = new Adam([{ params: [a!], lr: 0.5 }, { params: [b!], betas: [0.5, 0.9] }], { lr: 0.01, weightDecay: 0.1 });
    expect(opt.paramGroups[0]).toMatchObject({ lr: 0.5, betas: [0.9, 0.999], weightDecay: 0.1 });
    expect(opt.paramGroups[1]).toMatchObject({ lr: 0.01, betas: [0.5, 0.9], weightDecay: 0.1 });
  });

  it('validates every group and refuses shared, non-leaf, integer or missing parameters', () => {
    const [a, b] = fresh();
    expect(() => new Adam([{ params: [a!] }, { params: [b!], betas: [1, 0.9] }])).toThrow('Adam: invalid beta parameter at index 0: 1; need a number in [0, 1)');
    expect(() => new Adam([a!], { betas: [0.9, -0.1] })).toThrow(/index 1/);
    expect(() => new Adam([a!], { eps: -1 })).toThrow(/epsilon/);
    expect(() => new SGD([{ params: [a!] }, { params: [a!] }], { lr: 0.1 })).toThrow(/more than one parameter group/);
    expect(() => new SGD([a!, a!], { lr: 0.1 })).toThrow(/twice/);
    expect(() => new SGD([], { lr: 0.1 })).toThrow(/empty parameter list/);
    expect(() => new SGD([mul(a!, 2)], { lr: 0.1 })).toThrow(/non-leaf/);
    expect(() => new SGD([tensor([1, 2], { dtype: 'int32' })], { lr: 0.1 })).toThrow(DTypeError);
    expect(() => new RMSprop([a!], { alpha: 1.5 })).toThrow(/alpha/);
    expect(() => new Adadelta([a!], { rho: -0.1 })).toThrow(/rho/);
    expect(() => new Adagrad([a!], { lrDecay: -1 })).toThrow(/lr_decay/);
    expect(() => new Adamax([a!], { betas: [0.9, 1] })).toThrow(ValueError);
  });

  it('addParamGroup adds a group for later training', () => {
    const [a, b] = fresh();
    const opt = new SGD([a!], { lr: 0.1 });
    opt.addParamGroup({ params: [b!], lr: 0.01 });
    expect(opt.paramGroups.map((g) => g.lr)).toEqual([0.1, 0.01]);
  });
});
