// Issue 17: an optimizer refuses what it cannot use — unknown option keys,
// a module instead of its parameters, a state dict of another optimizer or of
// another shape, a step with no gradient at all — and a refused state dict
// leaves it exactly as it was.
import { backward } from '@dl/autograd';
import { DLError, GradError, Generator, Linear, Parameter, ShapeError, type Tensor, ValueError, mul, randn, sum, tensor } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { Adagrad, Adam, LBFGS, type LrHyper, Newton, type Optimizer, type OptimizerStateDict, SGD, StepLR, clipGradNorm, miniBatches } from '../src/index.js';

const loss = (ps: readonly Tensor[]) => ps.map((p) => sum(mul(mul(p, p), p))).reduce((a, b) => a.add(b));
const fresh = () => [
  new Parameter(tensor([0.5, -1.5, 2], { dtype: 'float64' })),
  new Parameter(tensor([[1, 2], [3, -4]], { dtype: 'float64' })),
  new Parameter(tensor([0.25], { dtype: 'float64' })),
];

function run(opt: Optimizer<LrHyper>, ps: Tensor[], steps: number): void {
  for (let i = 0; i < steps; i++) {
    opt.zeroGrad();
    backward(loss(ps));
    opt.step();
  }
}

/** A deep copy of a state dict that keeps tensors as tensors (a structured clone loses the class). */
function cloneDict<H>(d: OptimizerStateDict<H>): OptimizerStateDict<H> {
  return { state: Object.fromEntries(Object.entries(d.state).map(([k, s]) => [k, { ...s }])), paramGroups: d.paramGroups.map((g) => ({ ...g, params: [...g.params] })) };
}

/** Every state tensor's values, and the hyper-parameters: what must not move when a load is refused. */
function snapshot(opt: Optimizer<LrHyper>): string {
  const d = opt.stateDict();
  return JSON.stringify(d, (_k, v: unknown) => (v !== null && typeof v === 'object' && 'data' in v && 'shape' in v ? Array.from((v as Tensor).data) : v));
}

describe('loadStateDict validates everything before changing anything (item 3)', () => {
  it('a bad entry for the last parameter leaves the earlier ones and the hyper-parameters untouched', () => {
    const ps = fresh();
    const opt = new Adam(ps, { lr: 0.05 });
    run(opt, ps, 3);
    const before = snapshot(opt);
    const other = fresh();
    const source = new Adam(other, { lr: 0.01, weightDecay: 0.1 });
    run(source, other, 5);
    const bad = cloneDict(source.stateDict());
    bad.state[2] = { ...bad.state[2]!, expAvg: tensor([1, 2], { dtype: 'float64' }) };
    expect(() => opt.loadStateDict(bad as never)).toThrow(ShapeError);
    expect(() => opt.loadStateDict(bad as never)).toThrow("Adam: loaded state 'expAvg' for parameter 2 has shape [2]; the parameter is [1]");
    expect(snapshot(opt)).toBe(before);
    expect(opt.paramGroups[0]!.lr).toBe(0.05);
    // The optimizer still trains as if the load had never been tried.
    const twin = fresh();
    const twinOpt = new Adam(twin, { lr: 0.05 });
    run(twinOpt, twin, 3);
    run(opt, ps, 2);
    run(twinOpt, twin, 2);
    expect(ps.map((p) => Array.from(p.data))).toEqual(twin.map((p) => Array.from(p.data)));
  });

  it('a good dict replaces the whole state and every hyper-parameter', () => {
    const ps = fresh();
    const opt = new Adam(ps, { lr: 0.05 });
    run(opt, ps, 3);
    const other = fresh();
    const source = new Adam(other, { lr: 0.01 });
    run(source, other, 5);
    opt.loadStateDict(source.stateDict());
    expect(snapshot(opt)).toBe(snapshot(source));
  });
});

describe('loadStateDict refuses state it cannot use, by name (items 6 and 17)', () => {
  const trainedAdam = (): [Adam, Tensor[]] => {
    const ps = fresh();
    const opt = new Adam(ps);
    run(opt, ps, 2);
    return [opt, ps];
  };

  it("another optimizer's state dict (SGD's into Adam) is refused at load, not at step()", () => {
    const ps = fresh();
    const sgd = new SGD(ps, { lr: 0.1, momentum: 0.9 });
    run(sgd, ps, 2);
    const [adam] = trainedAdam();
    const before = snapshot(adam);
    expect(() => adam.loadStateDict(sgd.stateDict() as never)).toThrow(ValueError);
    expect(() => adam.loadStateDict(sgd.stateDict() as never)).toThrow(
      "Adam.loadStateDict: parameter group 0 has hyper-parameter 'momentum', which Adam does not have (its are lr, betas, eps, weightDecay, amsgrad, maximize); was this state dict saved by another optimizer?",
    );
    // Same groups' keys but another optimizer's per-parameter state.
    const dict = cloneDict(adam.stateDict());
    dict.state[0] = { momentumBuffer: tensor([0, 0, 0], { dtype: 'float64' }) } as never;
    expect(() => adam.loadStateDict(dict)).toThrow(
      "Adam.loadStateDict: state for parameter 0 has 'momentumBuffer', which Adam does not keep (its state is step, expAvg, expAvgSq, maxExpAvgSq); was this state dict saved by another optimizer?",
    );
    expect(snapshot(adam)).toBe(before);
  });

  it('a state dict that went through JSON is refused, naming what happened', () => {
    const [adam] = trainedAdam();
    const json = JSON.parse(JSON.stringify(adam.stateDict())) as OptimizerStateDict<LrHyper>;
    expect(() => adam.loadStateDict(json as never)).toThrow(/Adam\.loadStateDict: state 'expAvg' for parameter 0 is a plain object, not a Tensor \(a state dict that went through JSON\.stringify loses its tensors/);
  });

  it("step: 'x', a fractional step, a missing entry and NaN moments are refused", () => {
    const [adam] = trainedAdam();
    const cases: [(d: OptimizerStateDict<LrHyper>) => void, string][] = [
      [(d) => ((d.state[0] as Record<string, unknown>).step = 'x'), "Adam.loadStateDict: state 'step' for parameter 0 is string 'x'; need an integer ≥ 0"],
      [(d) => ((d.state[0] as Record<string, unknown>).step = 1.5), "state 'step' for parameter 0 is number 1.5; need an integer ≥ 0"],
      [(d) => delete (d.state[1] as Record<string, unknown>).expAvgSq, "state 'expAvgSq' for parameter 1 is missing"],
      [(d) => ((d.state[0] as Record<string, unknown>).expAvg = tensor([0, Number.NaN, 0], { dtype: 'float64' })), "state 'expAvg' for parameter 0 holds NaN at element 1; need finite values"],
    ];
    for (const [spoil, message] of cases) {
      const d = cloneDict(adam.stateDict());
      spoil(d);
      expect(() => adam.loadStateDict(d as never)).toThrow(DLError);
      expect(() => adam.loadStateDict(d as never)).toThrow(message);
    }
  });

  it('a negative Adagrad sum of squares is refused (its square root would be NaN)', () => {
    const ps = fresh();
    const opt = new Adagrad(ps);
    run(opt, ps, 1);
    const d = cloneDict(opt.stateDict());
    (d.state[1] as Record<string, unknown>).sum = tensor([[1, 1], [-1, 1]], { dtype: 'float64' });
    expect(() => opt.loadStateDict(d as never)).toThrow(
      "Adagrad.loadStateDict: state 'sum' for parameter 1 holds -1 at element 2; need finite values ≥ 0 (it is a sum or average of squares)",
    );
  });

  it('L-BFGS state made for another number of parameters is refused', () => {
    const quartic = (w: Tensor) => sum(mul(mul(w, w), mul(w, w))).add(sum(mul(w, w)));
    const a = new Parameter(tensor([1, 2, 3], { dtype: 'float64' }));
    const la = new LBFGS([a], { maxIter: 5 });
    la.step(() => {
      la.zeroGrad();
      const l = quartic(a);
      backward(l);
      return l;
    });
    const b = new Parameter(tensor([1, 2], { dtype: 'float64' }));
    const lb = new LBFGS([b], { maxIter: 3 });
    expect(() => lb.loadStateDict(la.stateDict())).toThrow(ShapeError);
    expect(() => lb.loadStateDict(la.stateDict())).toThrow(/LBFGS: loaded state '(d|prevFlatGrad|oldDirs\[0\])' has shape \[3\]; the parameter is \[2\]/);
    const c = new Parameter(tensor([1, 2, 3], { dtype: 'float64' }));
    const lc = new LBFGS([c], { maxIter: 3, historySize: 1 });
    const d = la.stateDict();
    expect((d.state[0]!.oldDirs as unknown[]).length).toBeGreaterThan(1);
    expect(() => lc.loadStateDict({ ...d, paramGroups: [{ ...d.paramGroups[0]!, historySize: 1 }] })).toThrow(/LBFGS\.loadStateDict: state holds \d+ curvature pairs; historySize is 1/);
    lc.loadStateDict(d); // the same dict with its own historySize loads
  });

  it('a dict that is not { state, paramGroups } is refused with what was needed', () => {
    const [adam] = trainedAdam();
    expect(() => adam.loadStateDict({ state: {} } as never)).toThrow(
      'Adam.loadStateDict: the state dict has no paramGroups array (got undefined); need { state, paramGroups } as stateDict() returns',
    );
    expect(() => adam.loadStateDict(null as never)).toThrow('Adam.loadStateDict: need { state, paramGroups } as stateDict() returns, got null');
    const d = cloneDict(adam.stateDict());
    d.paramGroups[0]!.params = [0, 0, 2];
    expect(() => adam.loadStateDict(d)).toThrow('Adam.loadStateDict: parameter index 0 appears twice in the loaded groups');
  });
});

describe('options objects are checked against the known keys (item 11)', () => {
  const p = () => [new Parameter(tensor([1, 2]))];
  it('optimizers name the nearest known key', () => {
    expect(() => new SGD(p(), { lr: 0.1, weight_decay: 0.5 } as never)).toThrow(
      "SGD: unknown option 'weight_decay'; the options are lr, momentum, dampening, weightDecay, nesterov, maximize — did you mean 'weightDecay'?",
    );
    expect(() => new Adam(p(), { beta1: 0.5 } as never)).toThrow(/Adam: unknown option 'beta1'; .* did you mean 'betas'\?/);
    expect(() => new SGD([{ params: p(), weight_decay: 0.1 } as never], { lr: 0.1 })).toThrow(/SGD: unknown option 'weight_decay'.* did you mean 'weightDecay'\?/);
    expect(() => new LBFGS(p(), { line_search_fn: 'strong_wolfe' } as never)).toThrow(/did you mean 'lineSearchFn'\?/);
    expect(() => new Newton(p(), { hessian: () => tensor([[1, 0], [0, 1]]) }, { dampening: 1 } as never)).toThrow(/Newton: unknown option 'dampening'.* did you mean 'damping'\?/);
    expect(() => new SGD(p(), undefined as never)).toThrow('SGD: lr is required (SGD has no default learning rate), e.g. new SGD(params, { lr: 0.01 })');
  });

  it('schedulers, clipGradNorm and miniBatches too', () => {
    const opt = new SGD(p(), { lr: 0.1 });
    expect(() => new StepLR(opt, { stepSize: 2, step_size: 3 } as never)).toThrow(/StepLR: unknown option 'step_size'.* did you mean 'stepSize'\?/);
    expect(() => clipGradNorm(p(), 1, 2, { error_if_nonfinite: true } as never)).toThrow(/did you mean 'errorIfNonfinite'\?/);
    expect(() => miniBatches([randn([4, 2])], { batchSize: 2, drop_last: true } as never)).toThrow(/miniBatches: unknown option 'drop_last'.* did you mean 'dropLast'\?/);
  });
});

describe('params that are not a list of tensors (item 17)', () => {
  it('a module, a lone tensor, junk: each named, with what to pass', () => {
    const model = new Linear(2, 2, { generator: new Generator(0) });
    expect(() => new SGD(model as never, { lr: 0.1 })).toThrow('SGD: params is a Linear module; pass module.parameters()');
    expect(() => new Adam(model.weight as never)).toThrow('Adam: params must be an iterable of tensors or of parameter groups, got a single Tensor (shape [2, 2]); pass [tensor]');
    expect(() => new SGD(5 as never, { lr: 0.1 })).toThrow('SGD: params must be an iterable of tensors (model.parameters()) or a list of parameter groups ({ params, ...options }), got number 5');
    expect(() => new SGD([{ params: model }] as never, { lr: 0.1 })).toThrow('SGD: params is a Linear module; pass module.parameters()');
  });
});

describe('a step when no parameter of any group has a gradient is an error (item 19; issue 16)', () => {
  it('step() before any backward, or after zeroGrad, throws a GradError saying what to do', () => {
    const ps = fresh();
    const opt = new Adam(ps);
    const before = ps.map((x) => Array.from(x.data));
    expect(() => opt.step()).toThrow(GradError);
    expect(() => opt.step()).toThrow(
      'Adam.step: none of its 3 parameters have a gradient; call backward(loss) before step(), keep zeroGrad() before backward (not between backward and step), and check that the loss depends on these parameters',
    );
    backward(loss(ps));
    opt.zeroGrad();
    expect(() => opt.step()).toThrow(GradError);
    expect(ps.map((x) => Array.from(x.data))).toEqual(before);
    expect(opt.state.size).toBe(0);
  });

  it('one parameter with a gradient is enough (frozen parts of a model are fine)', () => {
    const ps = fresh();
    const opt = new SGD(ps, { lr: 0.1 });
    backward(sum(mul(ps[0]!, ps[0]!)));
    expect(() => opt.step()).not.toThrow();
  });

  it('closure optimizers whose closure never calls backward', () => {
    const w = new Parameter(tensor([1, 2], { dtype: 'float64' }));
    const lbfgs = new LBFGS([w]);
    expect(() => lbfgs.step(() => sum(mul(w, w)))).toThrow('LBFGS.step: none of its 1 parameter has a gradient');
    const newton = new Newton([w], { hessian: () => tensor([[2, 0], [0, 2]], { dtype: 'float64' }) });
    expect(() => newton.step(() => sum(mul(w, w)))).toThrow(GradError);
    expect(Array.from(w.data)).toEqual([1, 2]);
  });
});
