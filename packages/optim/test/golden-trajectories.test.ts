// Every optimizer against torch.optim (1.13, single-tensor implementations):
// float64 parameters after 1, 10 and 100 steps on Rosenbrock, a saddle
// surface and a small MLP. Fixture written by tools/golden_optim.py.
import { describe, expect, it } from 'vitest';
import { type MlpData, type ProblemName, expectAllClose, lossFn, makeOptimizer, makeParams, readFixture, trainStep } from './helpers.js';

interface Case {
  name: string;
  problem: ProblemName;
  optimizer: string;
  options: Record<string, unknown>;
  groups?: { params: number[]; options: Record<string, unknown> }[];
  params: Record<string, number[][]>;
  losses: number[];
}

interface Fixture {
  snapshots: number[];
  mlp: MlpData;
  problems: Record<ProblemName, { init: number[][] }>;
  cases: Case[];
}

const fixture = readFixture<Fixture>('optim-trajectories.json');
/** The bar: the trajectories agree to 1e-8 (scaled by max(1, |value|)). */
// Measured: every case agrees within 1e-11 (all but mlp/rmsprop within 1e-13), so 1e-8 leaves room for
// summation-order differences while still catching any wrong formula.
const TOL = 1e-8;

describe('optimizer trajectories match PyTorch in float64', () => {
  it('covers every optimizer on three problems', () => {
    const names = new Set(fixture.cases.map((c) => c.optimizer));
    expect([...names].sort()).toEqual(['Adadelta', 'Adagrad', 'Adam', 'AdamW', 'Adamax', 'RMSprop', 'SGD']);
    expect(new Set(fixture.cases.map((c) => c.problem))).toEqual(new Set(['rosenbrock', 'saddle', 'mlp']));
  });

  for (const c of fixture.cases) {
    it(`${c.problem} / ${c.name}`, () => {
      const params = makeParams(c.problem, fixture.problems[c.problem].init, fixture.mlp);
      const f = lossFn(c.problem, fixture.mlp);
      const opt = makeOptimizer(c.optimizer, params, c.options, c.groups);
      const losses: number[] = [];
      for (let step = 1; step <= 100; step++) {
        losses.push(trainStep(opt, params, f));
        const snap = c.params[String(step)];
        if (snap) params.forEach((p, i) => expectAllClose(p.data, snap[i]!, TOL, `step ${step}, parameter ${i}`));
      }
      expectAllClose([losses[0]!, losses[9]!, losses[99]!], c.losses, TOL, 'losses');
    });
  }
});
