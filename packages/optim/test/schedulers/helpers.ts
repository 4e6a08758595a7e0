// Shared by the scheduler tests: the PyTorch fixture (tools/golden_optim.py), a
// replay of one fixture case, and the harness that drives every optimizer with a schedule.
import { backward } from '@dl/autograd';
import { Parameter, type Tensor, mul, sum, tensor } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import {
  Adadelta,
  Adagrad,
  Adam,
  AdamW,
  Adamax,
  type AnyOptimizer,
  ChainedScheduler,
  CosineAnnealingLR,
  CosineAnnealingWarmRestarts,
  ExponentialLR,
  InverseTimeLR,
  LBFGS,
  LambdaLR,
  LinearLR,
  type LRScheduler,
  MultiStepLR,
  Newton,
  OneCycleLR,
  RMSprop,
  ReduceLROnPlateau,
  SGD,
  SequentialLR,
  StepLR,
  type ScheduledOptimizer,
} from '../../src/index.js';
import { expectAllClose, readFixture } from '../helpers.js';

export type Desc = Record<string, unknown> & { type: string };
export interface Case {
  name: string;
  optimizer: 'sgd' | 'adam';
  groupLrs: number[];
  steps: number;
  scheduler: Desc;
  lrs: number[][];
  momenta?: number[][];
  metrics?: number[];
}

export const fixture = readFixture<{ cases: Case[] }>('optim-schedulers.json');
/** Recursive (chainable) forms accumulate rounding over the steps; torch and dl agree far below this. */
export const TOL = 1e-12;

/** The fixture's cases for one top-level scheduler type; refuses a type with none, so a renamed type cannot silently test nothing. */
export function fixtureCases(type: string): Case[] {
  const cases = fixture.cases.filter((c) => c.scheduler.type === type);
  if (cases.length === 0) throw new Error(`no fixture case for ${type}`);
  return cases;
}

export function makeOptimizer(kind: 'sgd' | 'adam', lrs: number[]): SGD | Adam {
  const groups = lrs.map((lr) => ({ params: [new Parameter(tensor([0], { dtype: 'float64' }))], lr }));
  return kind === 'adam' ? new Adam(groups, { lr: lrs[0]! }) : new SGD(groups, { lr: lrs[0]!, momentum: 0.9 });
}

/** One-group SGD at lr 0.1 with momentum 0.9: the optimizer of the property and error tests. */
export const opt = (): SGD | Adam => makeOptimizer('sgd', [0.1]);

export function build(opt: ScheduledOptimizer, d: Desc): LRScheduler | ChainedScheduler {
  // The fixture's descriptor minus its `type` tag: the constructors refuse unknown option keys.
  const { type: _type, ...options } = d;
  const o = options as unknown as never;
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

/** Registers one test per fixture case of `type`: the rates (and momenta) after construction and after each step equal torch's. */
export function matchesPyTorch(type: string): void {
  describe(`${type} matches PyTorch`, () => {
    for (const c of fixtureCases(type)) {
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
}

// ---- every schedule drives every optimizer, group by group

const LRS = [0.05, 0.01];
const STEPS = 20;
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

/** Anything stepped once per iteration (ReduceLROnPlateau is wrapped to feed it a metric). */
export type Sched = { step(): void };
export type SchedBuilder = (o: ScheduledOptimizer, momentum: boolean) => Sched;

/** The schedule's rates (and momenta) on a plain SGD with the same groups: the sequence the fixtures check against PyTorch. */
function reference(build: SchedBuilder, nGroups: number, momentum: boolean): { lrs: number[][]; momenta: number[][] } {
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

/**
 * Registers one test per optimizer: the schedule sets each group's rate as it does on SGD
 * (and, for OneCycleLR, the momenta), and the optimizer's steps use those rates.
 */
export function drivesEveryOptimizer(schedName: string, build: SchedBuilder): void {
  describe(`${schedName} drives every optimizer, group by group`, () => {
    for (const [optName, entry] of Object.entries(OPTIMIZERS)) {
      it(`${optName}: the schedule sets each group's rate as on SGD, and the steps use it`, () => {
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
      });
    }
  });
}
