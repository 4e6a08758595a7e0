// Every schedule against torch.optim.lr_scheduler 1.13: the learning rate of
// each group after construction and after each step() (and momentum / β₁ for
// OneCycleLR). Fixture written by tools/golden_optim.py.
import { backward } from '@dl/autograd';
import { Parameter, type Tensor, ValueError, mul, sum, tensor } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import {
  Adadelta,
  Adagrad,
  Adam,
  AdamW,
  Adamax,
  type AnyOptimizer,
  ChainedScheduler,
  LBFGS,
  Newton,
  RMSprop,
  CosineAnnealingLR,
  CosineAnnealingWarmRestarts,
  ExponentialLR,
  InverseTimeLR,
  LambdaLR,
  LinearLR,
  type LRScheduler,
  MultiStepLR,
  OneCycleLR,
  ReduceLROnPlateau,
  SGD,
  SequentialLR,
  StepLR,
  type ScheduledOptimizer,
} from '../src/index.js';
import { expectAllClose, readFixture } from './helpers.js';

type Desc = Record<string, unknown> & { type: string };
interface Case {
  name: string;
  optimizer: 'sgd' | 'adam';
  groupLrs: number[];
  steps: number;
  scheduler: Desc;
  lrs: number[][];
  momenta?: number[][];
  metrics?: number[];
}

const fixture = readFixture<{ cases: Case[] }>('optim-schedulers.json');
/** Recursive (chainable) forms accumulate rounding over the steps; torch and dl agree far below this. */
const TOL = 1e-12;

function makeOptimizer(kind: 'sgd' | 'adam', lrs: number[]): SGD | Adam {
  const groups = lrs.map((lr) => ({ params: [new Parameter(tensor([0], { dtype: 'float64' }))], lr }));
  return kind === 'adam' ? new Adam(groups, { lr: lrs[0]! }) : new SGD(groups, { lr: lrs[0]!, momentum: 0.9 });
}

function build(opt: ScheduledOptimizer, d: Desc): LRScheduler | ChainedScheduler {
  const o = d as unknown as never;
  switch (d.type) {
    case 'StepLR':
      return new StepLR(opt, o);
    case 'MultiStepLR':
      return new MultiStepLR(opt, o);
    case 'ExponentialLR':
      return new ExponentialLR(opt, o);
    case 'InverseTimeLR':
      return new InverseTimeLR(opt, o);
    case 'LambdaLR':
      return new LambdaLR(opt, (t) => 0.95 ** t);
    case 'CosineAnnealingLR':
      return new CosineAnnealingLR(opt, o);
    case 'CosineAnnealingWarmRestarts':
      return new CosineAnnealingWarmRestarts(opt, o);
    case 'LinearLR':
      return new LinearLR(opt, o);
    case 'OneCycleLR':
      return new OneCycleLR(opt, o);
    case 'SequentialLR':
      return new SequentialLR(opt, (d['schedulers'] as Desc[]).map((s) => build(opt, s) as LRScheduler), d['milestones'] as number[]);
    case 'ChainedScheduler':
      return new ChainedScheduler((d['schedulers'] as Desc[]).map((s) => build(opt, s) as LRScheduler));
    default:
      throw new Error(`unknown scheduler ${d.type}`);
  }
}

describe('learning-rate schedules match PyTorch', () => {
  for (const c of fixture.cases) {
    it(`${c.name} (${c.scheduler.type}, ${c.steps} steps)`, () => {
      const opt = makeOptimizer(c.optimizer, c.groupLrs);
      const lrs: number[][] = [];
      const momenta: number[][] = [];
      const record = () => {
        lrs.push(opt.paramGroups.map((g) => g.lr));
        momenta.push(opt.paramGroups.map((g) => ('betas' in g ? g.betas[0] : (g as { momentum: number }).momentum)));
      };
      if (c.scheduler.type === 'ReduceLROnPlateau') {
        const { type: _t, ...options } = c.scheduler;
        const sched = new ReduceLROnPlateau(opt, options);
        record();
        for (const m of c.metrics!) {
          sched.step(m);
          record();
        }
      } else {
        const sched = build(opt, c.scheduler);
        record();
        for (let i = 0; i < c.steps; i++) {
          sched.step();
          record();
        }
        expect(sched.getLastLr()).toEqual(lrs.at(-1));
      }
      expectAllClose(lrs.flat(), c.lrs.flat(), TOL, 'learning rates');
      if (c.momenta) expectAllClose(momenta.flat(), c.momenta.flat(), TOL, 'momenta');
    });
  }
});

describe('schedules: properties and errors', () => {
  const opt = () => makeOptimizer('sgd', [0.1]);

  it('cosine annealing alone equals its closed form', () => {
    const o = opt();
    const s = new CosineAnnealingLR(o, { tMax: 7, etaMin: 0.01 });
    for (let t = 1; t <= 30; t++) {
      s.step();
      expect(o.paramGroups[0]!.lr).toBeCloseTo(0.01 + ((0.1 - 0.01) * (1 + Math.cos((Math.PI * t) / 7))) / 2, 12);
    }
  });

  it('exponential with a rate is α₀·e^(−kt); 1/t decay is α₀/(1 + kt)', () => {
    const o = opt();
    const s = new ExponentialLR(o, { rate: 0.2 });
    const o2 = opt();
    const s2 = new InverseTimeLR(o2, { decayRate: 0.3 });
    for (let t = 1; t <= 20; t++) {
      s.step();
      s2.step();
      expect(o.paramGroups[0]!.lr).toBeCloseTo(0.1 * Math.exp(-0.2 * t), 14);
      expect(o2.paramGroups[0]!.lr).toBeCloseTo(0.1 / (1 + 0.3 * t), 14);
    }
  });

  it('a schedule resumes from its state dict', () => {
    const o = opt();
    const s = new CosineAnnealingWarmRestarts(o, { t0: 3, tMult: 2 });
    for (let i = 0; i < 5; i++) s.step();
    const saved = s.stateDict();
    const lrNow = o.paramGroups[0]!.lr;
    const o2 = opt();
    const s2 = new CosineAnnealingWarmRestarts(o2, { t0: 3, tMult: 2 });
    s2.loadStateDict(saved);
    o2.paramGroups[0]!.lr = lrNow;
    for (let i = 0; i < 7; i++) {
      s.step();
      s2.step();
      expect(o2.paramGroups[0]!.lr).toBe(o.paramGroups[0]!.lr);
    }
  });

  it('MultiStepLR resumes from its state dict (its milestone table survives)', () => {
    const o = opt();
    const s = new MultiStepLR(o, { milestones: [2, 4, 4], gamma: 0.5 });
    s.step();
    const o2 = opt();
    const s2 = new MultiStepLR(o2, { milestones: [2, 4, 4], gamma: 0.5 });
    s2.loadStateDict(JSON.parse(JSON.stringify(s.stateDict())) as Record<string, unknown>);
    o2.paramGroups[0]!.lr = o.paramGroups[0]!.lr;
    for (let i = 0; i < 5; i++) {
      s.step();
      s2.step();
      expect(o2.paramGroups[0]!.lr).toBe(o.paramGroups[0]!.lr);
    }
    expect(o.paramGroups[0]!.lr).toBeCloseTo(0.1 / 8, 15);
  });

  it('works with every optimizer (each group has lr)', () => {
    const a = new Adam([new Parameter(tensor([1]))], { lr: 0.01 });
    const s = new StepLR(a, { stepSize: 2, gamma: 0.5 });
    s.step();
    s.step();
    expect(a.paramGroups[0]!.lr).toBeCloseTo(0.005, 15);
  });

  it('rejects bad arguments with clear errors', () => {
    expect(() => new StepLR(opt(), { stepSize: 0 })).toThrow(/stepSize/);
    expect(() => new ExponentialLR(opt(), { gamma: Number.NaN })).toThrow(ValueError);
    expect(() => new LinearLR(opt(), { startFactor: 1.5 })).toThrow(/startFactor/);
    expect(() => new LinearLR(opt(), { startFactor: 0 })).toThrow(/startFactor/);
    expect(() => new CosineAnnealingWarmRestarts(opt(), { t0: 2, tMult: 0 })).toThrow(/tMult/);
    expect(() => new OneCycleLR(opt(), { maxLr: 1 })).toThrow(/totalSteps/);
    expect(() => new OneCycleLR(new Adam([new Parameter(tensor([1]))]), { maxLr: 1, totalSteps: 3, cycleMomentum: true })).not.toThrow();
    expect(() => new OneCycleLR(new (class extends SGD {})([new Parameter(tensor([1]))], { lr: 1 }), { maxLr: [1, 2], totalSteps: 3 })).toThrow(/maxLr/);
    expect(() => new ReduceLROnPlateau(opt(), { factor: 1 })).toThrow(/factor/);
    expect(() => new ReduceLROnPlateau(opt(), { mode: 'up' as never })).toThrow(/mode/);
    const o = opt();
    expect(() => new SequentialLR(o, [new StepLR(o, { stepSize: 2 }), new StepLR(o, { stepSize: 3 })], [])).toThrow(/milestone/);
    expect(() => new ChainedScheduler([new StepLR(opt(), { stepSize: 2 }), new StepLR(opt(), { stepSize: 2 })])).toThrow(/different optimizer/);
    const one = new OneCycleLR(opt(), { maxLr: 1, totalSteps: 2 });
    one.step();
    one.step();
    expect(() => one.step()).toThrow(/totalSteps/);
  });
});

describe('every schedule drives every optimizer, group by group', () => {
  const LRS = [0.05, 0.01];
  const quartic = (ps: readonly Tensor[]) => ps.map((p) => sum(mul(mul(p, p), mul(p, p))).add(sum(mul(p, p)))).reduce((a, b) => a.add(b));
  const fresh = (n: number) => Array.from({ length: n }, (_, i) => new Parameter(tensor([0.8 - 0.3 * i, -0.5 + 0.2 * i], { dtype: 'float64' })));
  /** Two groups (one for L-BFGS and Newton, which refuse groups) with their own learning rates. */
  const groups = (ps: Parameter[]) => ps.map((p, i) => ({ params: [p], lr: LRS[i]! }));
  type Entry = { make: (ps: Parameter[]) => AnyOptimizer; groups: number; momentum: boolean };
  const OPTIMIZERS: Record<string, Entry> = {
    SGD: { make: (ps) => new SGD(groups(ps), { lr: 0.1, momentum: 0.9 }), groups: 2, momentum: true },
    Nesterov: { make: (ps) => new SGD(groups(ps), { lr: 0.1, momentum: 0.9, nesterov: true }), groups: 2, momentum: true },
    Adagrad: { make: (ps) => new Adagrad(groups(ps)), groups: 2, momentum: false },
    RMSprop: { make: (ps) => new RMSprop(groups(ps), { momentum: 0.5 }), groups: 2, momentum: true },
    Adadelta: { make: (ps) => new Adadelta(groups(ps)), groups: 2, momentum: false },
    Adam: { make: (ps) => new Adam(groups(ps)), groups: 2, momentum: true },
    AdamW: { make: (ps) => new AdamW(groups(ps)), groups: 2, momentum: true },
    Adamax: { make: (ps) => new Adamax(groups(ps)), groups: 2, momentum: true },
    LBFGS: { make: (ps) => new LBFGS([{ params: ps, lr: LRS[0]! }], { maxIter: 1 }), groups: 1, momentum: false },
    Newton: { make: (ps) => new Newton([{ params: ps, lr: LRS[0]! }], { hvp: (v) => v.mul(2) }, { solver: 'cg' }), groups: 1, momentum: false },
  };
  type Sched = { step(): void };
  const PLATEAU = [1, 0.9, 0.9, 0.9, 0.9, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8];
  const SCHEDULES: Record<string, (o: ScheduledOptimizer, momentum: boolean) => Sched> = {
    StepLR: (o) => new StepLR(o, { stepSize: 5, gamma: 0.5 }),
    MultiStepLR: (o) => new MultiStepLR(o, { milestones: [3, 8], gamma: 0.1 }),
    ExponentialLR: (o) => new ExponentialLR(o, { rate: 0.1 }),
    InverseTimeLR: (o) => new InverseTimeLR(o, { decayRate: 0.5 }),
    LambdaLR: (o) => new LambdaLR(o, (t) => 1 / (1 + t * t)),
    CosineAnnealingLR: (o) => new CosineAnnealingLR(o, { tMax: 8, etaMin: 0.001 }),
    CosineAnnealingWarmRestarts: (o) => new CosineAnnealingWarmRestarts(o, { t0: 3, tMult: 2 }),
    LinearLR: (o) => new LinearLR(o, { startFactor: 0.1, totalIters: 6 }),
    OneCycleLR: (o, momentum) => new OneCycleLR(o, { maxLr: 0.2, totalSteps: 21, cycleMomentum: momentum }),
    SequentialLR: (o) => new SequentialLR(o, [new LinearLR(o, { startFactor: 0.2, totalIters: 4 }), new CosineAnnealingLR(o, { tMax: 16 })], [4]),
    ChainedScheduler: (o) => new ChainedScheduler([new LinearLR(o, { startFactor: 0.2, totalIters: 4 }), new ExponentialLR(o, { gamma: 0.9 })]),
    ReduceLROnPlateau: (o) => {
      const s = new ReduceLROnPlateau(o, { factor: 0.5, patience: 1 });
      let t = 0;
      return { step: () => s.step(PLATEAU[t++]!) };
    },
  };
  const STEPS = 20;

  /** The schedule's rates (and momenta) on a plain SGD with the same groups: the sequence the fixtures check against PyTorch. */
  function reference(build: (o: ScheduledOptimizer, momentum: boolean) => Sched, nGroups: number, momentum: boolean): { lrs: number[][]; momenta: number[][] } {
    const o = new SGD(LRS.slice(0, nGroups).map((lr) => ({ params: [new Parameter(tensor([0], { dtype: 'float64' }))], lr })), { lr: 1, momentum: 0.9 });
    const s = build(o, momentum);
    const lrs = [o.paramGroups.map((g) => g.lr)];
    const momenta = [o.paramGroups.map((g) => g.momentum)];
    for (let i = 0; i < STEPS; i++) {
      s.step();
      lrs.push(o.paramGroups.map((g) => g.lr));
      momenta.push(o.paramGroups.map((g) => g.momentum));
    }
    return { lrs, momenta };
  }

  function train(opt: AnyOptimizer, ps: Parameter[], sched: Sched | null, seen: { lrs: number[][]; momenta: number[][] }): void {
    const read = () => {
      seen.lrs.push(opt.paramGroups.map((g) => g.lr));
      seen.momenta.push(opt.paramGroups.map((g) => { const h = g as { momentum?: number; betas?: readonly number[] }; return h.betas ? h.betas[0]! : h.momentum!; }));
    };
    read();
    for (let i = 0; i < STEPS; i++) {
      opt.step(() => {
        opt.zeroGrad();
        const l = quartic(ps);
        backward(l);
        return l;
      });
      sched?.step();
      read();
    }
  }

  for (const [optName, entry] of Object.entries(OPTIMIZERS)) {
    it(`${optName}: every schedule sets each group's rate as on SGD, and the steps use it`, () => {
      for (const [schedName, build] of Object.entries(SCHEDULES)) {
        const n = 2; // two parameters: in two groups, or in one for L-BFGS and Newton
        const ps = fresh(n);
        const opt = entry.make(ps);
        const seen = { lrs: [] as number[][], momenta: [] as number[][] };
        train(opt, ps, build(opt, entry.momentum), seen);
        const want = reference(build, entry.groups, entry.momentum);
        expect(seen.lrs, `${optName} / ${schedName} rates`).toEqual(want.lrs);
        if (schedName === 'OneCycleLR' && entry.momentum) expect(seen.momenta, `${optName} / OneCycleLR momenta`).toEqual(want.momenta);
        // The same optimizer at its constant initial rates ends elsewhere: the scheduled rates were used.
        const qs = fresh(n);
        train(entry.make(qs), qs, null, { lrs: [], momenta: [] });
        for (let i = 0; i < n; i++) expect(Array.from(ps[i]!.data), `${optName} / ${schedName} parameter ${i}`).not.toEqual(Array.from(qs[i]!.data));
      }
    });
  }
});
