#!/usr/bin/python3
"""Golden trajectories of torch.optim for @dl/optim.

Writes three fixtures under packages/optim/test/fixtures/:

- optim-trajectories.json: for every optimizer configuration below, the
  float64 parameters after 1, 10 and 100 steps on three problems:
    * rosenbrock  f(x, y) = (1 - x)^2 + 100 (y - x^2)^2 from (-1.5, 2),
    * saddle      f(x, y) = x^2 / 2 + y^4 / 4 - y^2 / 2 from (0.8, 0.05)
                  (a saddle at the origin, minima at (0, +-1)),
    * mlp         a 4 -> 8 -> 3 tanh network, mean-squared error on 16 fixed
                  examples; the data and the initial weights are stored.
  Also clip_grad_norm_ / clip_grad_value_ results.
- optim-lbfgs.json: torch.optim.LBFGS iterates (strong-Wolfe and no line
  search) on rosenbrock and the mlp: parameters, loss, func_evals and n_iter
  after each .step().
- optim-schedulers.json: the learning rate (and momentum / beta1 for
  OneCycleLR) after construction and after each scheduler.step() for every
  scheduler configuration.

Every optimizer runs its single-tensor (for-loop) implementation
(foreach=False). Regenerate with:

    /usr/bin/python3 tools/golden_optim.py
"""

import json
import math
import os

import numpy as np
import torch
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(ROOT, 'packages', 'optim', 'test', 'fixtures')
SNAPSHOTS = [1, 10, 100]
MLP_SIZES = [4, 8, 3]
MLP_BATCH = 16

torch.set_num_threads(1)
torch.set_default_dtype(torch.float64)


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


# ---- problems -------------------------------------------------------------

def rosenbrock(p):
    x, y = p[0][0], p[0][1]
    return (1 - x) ** 2 + 100 * (y - x ** 2) ** 2


def saddle(p):
    x, y = p[0][0], p[0][1]
    return x ** 2 / 2 + y ** 4 / 4 - y ** 2 / 2


rs = np.random.RandomState(20240611)
MLP_X = rs.randn(MLP_BATCH, MLP_SIZES[0]).round(6)
MLP_Y = rs.randn(MLP_BATCH, MLP_SIZES[2]).round(6)
MLP_INIT = {
    'fc1.weight': (rs.randn(MLP_SIZES[1], MLP_SIZES[0]) * 0.5).round(6),
    'fc1.bias': (rs.randn(MLP_SIZES[1]) * 0.1).round(6),
    'fc2.weight': (rs.randn(MLP_SIZES[2], MLP_SIZES[1]) * 0.5).round(6),
    'fc2.bias': (rs.randn(MLP_SIZES[2]) * 0.1).round(6),
}
MLP_NAMES = list(MLP_INIT)


def mlp(p):
    w1, b1, w2, b2 = p
    x = torch.tensor(MLP_X)
    y = torch.tensor(MLP_Y)
    h = torch.tanh(F.linear(x, w1, b1))
    return F.mse_loss(F.linear(h, w2, b2), y)


PROBLEMS = {
    'rosenbrock': {'f': rosenbrock, 'init': [[-1.5, 2.0]], 'scale': 0.002},
    'saddle': {'f': saddle, 'init': [[0.8, 0.05]], 'scale': 1.0},
    'mlp': {'f': mlp, 'init': [MLP_INIT[n] for n in MLP_NAMES], 'scale': 1.0},
}


def make_params(problem):
    return [torch.tensor(np.array(v, dtype=np.float64), requires_grad=True) for v in PROBLEMS[problem]['init']]


# ---- optimizer configurations ----------------------------------------------
# `lr` marked with a scale is multiplied by the problem's scale (rosenbrock's
# curvature is ~2000, so plain gradient steps need a much smaller rate there).

def sgd_like(lr, **kw):
    return lambda s: dict(lr=lr * s, **kw)


CONFIGS = [
    ('sgd', 'SGD', sgd_like(0.1)),
    ('sgd_wd', 'SGD', sgd_like(0.1, weight_decay=0.05)),
    ('momentum', 'SGD', sgd_like(0.05, momentum=0.9)),
    ('momentum_dampening_wd', 'SGD', sgd_like(0.05, momentum=0.8, dampening=0.3, weight_decay=0.01)),
    ('nesterov', 'SGD', sgd_like(0.05, momentum=0.9, nesterov=True)),
    ('nesterov_wd', 'SGD', sgd_like(0.05, momentum=0.7, nesterov=True, weight_decay=0.02)),
    ('adagrad', 'Adagrad', lambda s: dict(lr=0.1)),
    ('adagrad_decay', 'Adagrad', lambda s: dict(lr=0.2, lr_decay=0.01, weight_decay=0.01, initial_accumulator_value=0.1, eps=1e-8)),
    ('rmsprop', 'RMSprop', lambda s: dict(lr=0.01)),
    ('rmsprop_centered_momentum', 'RMSprop', lambda s: dict(lr=0.005, alpha=0.9, centered=True, momentum=0.8, weight_decay=0.01)),
    ('rmsprop_momentum', 'RMSprop', lambda s: dict(lr=0.005, momentum=0.5)),
    ('adadelta', 'Adadelta', lambda s: dict()),
    ('adadelta_wd', 'Adadelta', lambda s: dict(lr=0.5, rho=0.95, eps=1e-5, weight_decay=0.01)),
    ('adam', 'Adam', lambda s: dict(lr=0.01)),
    ('adam_defaults', 'Adam', lambda s: dict()),
    ('adam_amsgrad_wd', 'Adam', lambda s: dict(lr=0.02, betas=(0.8, 0.99), amsgrad=True, weight_decay=0.01)),
    ('adamw', 'AdamW', lambda s: dict(lr=0.01, weight_decay=0.1)),
    ('adamw_amsgrad', 'AdamW', lambda s: dict(lr=0.02, amsgrad=True)),
    ('adamax', 'Adamax', lambda s: dict(lr=0.02)),
    ('adamax_wd', 'Adamax', lambda s: dict(lr=0.01, betas=(0.8, 0.95), weight_decay=0.02)),
]

# Options given to the TS side in its own (camelCase) naming.
CAMEL = {
    'lr': 'lr', 'momentum': 'momentum', 'dampening': 'dampening', 'weight_decay': 'weightDecay',
    'nesterov': 'nesterov', 'lr_decay': 'lrDecay', 'initial_accumulator_value': 'initialAccumulatorValue',
    'eps': 'eps', 'alpha': 'alpha', 'centered': 'centered', 'rho': 'rho', 'betas': 'betas',
    'amsgrad': 'amsgrad', 'maximize': 'maximize',
}


def camel(opts):
    return {CAMEL[k]: (list(v) if isinstance(v, tuple) else v) for k, v in opts.items()}


def run_optimizer(problem, cls_name, opts, groups=None):
    params = make_params(problem)
    f = PROBLEMS[problem]['f']
    cls = getattr(torch.optim, cls_name)
    if groups is None:
        opt = cls(params, foreach=False, **opts)
    else:
        opt = cls([{'params': [params[i] for i in g['params']], **g['opts']} for g in groups], foreach=False, **opts)
    snaps = {}
    losses = []
    for step in range(1, max(SNAPSHOTS) + 1):
        opt.zero_grad()
        loss = f(params)
        losses.append(float(loss.item()))
        loss.backward()
        opt.step()
        if step in SNAPSHOTS:
            snaps[str(step)] = [flat(p) for p in params]
    for p in params:
        for v in p.detach().reshape(-1).tolist():
            assert math.isfinite(v), f'{cls_name} {opts} diverged on {problem}'
    return {'params': snaps, 'losses': [losses[0], losses[9], losses[99]]}


def trajectories():
    cases = []
    for problem, spec in PROBLEMS.items():
        for name, cls_name, make in CONFIGS:
            opts = make(spec['scale'])
            cases.append({'name': name, 'problem': problem, 'optimizer': cls_name, 'options': camel(opts),
                          **run_optimizer(problem, cls_name, opts)})
    # parameter groups with their own hyper-parameters
    groups = [{'params': [0, 1], 'opts': {'lr': 0.05}}, {'params': [2, 3], 'opts': {'momentum': 0.5}}]
    base = {'lr': 0.1, 'momentum': 0.9}
    cases.append({'name': 'sgd_groups', 'problem': 'mlp', 'optimizer': 'SGD', 'options': camel(base),
                  'groups': [{'params': g['params'], 'options': camel(g['opts'])} for g in groups],
                  **run_optimizer('mlp', 'SGD', base, groups)})
    agroups = [{'params': [0, 1], 'opts': {'lr': 0.003, 'betas': (0.5, 0.9)}}, {'params': [2, 3], 'opts': {'weight_decay': 0.1}}]
    cases.append({'name': 'adam_groups', 'problem': 'mlp', 'optimizer': 'Adam', 'options': camel({'lr': 0.01}),
                  'groups': [{'params': g['params'], 'options': camel(g['opts'])} for g in agroups],
                  **run_optimizer('mlp', 'Adam', {'lr': 0.01}, agroups)})
    return cases


def clipping():
    rs2 = np.random.RandomState(5)
    grads = [rs2.randn(3, 4), rs2.randn(5), rs2.randn(2, 2)]
    out = []
    for kind, arg, norm_type in [('norm', 1.0, 2.0), ('norm', 100.0, 2.0), ('norm', 0.5, 1.0), ('norm', 0.3, math.inf),
                                 ('norm', 2.0, 3.0), ('value', 0.5, None)]:
        ps = [torch.zeros(g.shape, requires_grad=True) for g in grads]
        for p, g in zip(ps, grads):
            p.grad = torch.tensor(g)
        if kind == 'norm':
            total = float(torch.nn.utils.clip_grad_norm_(ps, arg, norm_type=norm_type))
        else:
            torch.nn.utils.clip_grad_value_(ps, arg)
            total = None
        out.append({'kind': kind, 'max': arg, 'normType': 'inf' if norm_type == math.inf else norm_type,
                    'totalNorm': total, 'grads': [flat(p.grad) for p in ps]})
    return {'grads': [{'shape': list(g.shape), 'data': [float(v) for v in g.reshape(-1)]} for g in grads], 'cases': out}


# ---- L-BFGS ----------------------------------------------------------------

def run_lbfgs(problem, steps, **opts):
    params = make_params(problem)
    f = PROBLEMS[problem]['f']
    opt = torch.optim.LBFGS(params, **opts)

    def closure():
        opt.zero_grad()
        loss = f(params)
        loss.backward()
        return loss

    iterates = []
    for _ in range(steps):
        loss = opt.step(closure)
        st = opt.state[params[0]]
        iterates.append({'loss': float(loss), 'params': [flat(p) for p in params],
                         'funcEvals': st['func_evals'], 'nIter': st['n_iter']})
    return iterates


LBFGS_CASES = [
    ('rosenbrock_wolfe_iter1', 'rosenbrock', 40, dict(max_iter=1, history_size=10, line_search_fn='strong_wolfe')),
    ('rosenbrock_wolfe', 'rosenbrock', 3, dict(max_iter=20, history_size=5, line_search_fn='strong_wolfe')),
    ('rosenbrock_plain', 'rosenbrock', 4, dict(lr=0.05, max_iter=10, history_size=4)),
    ('saddle_wolfe', 'saddle', 3, dict(max_iter=8, line_search_fn='strong_wolfe')),
    ('mlp_wolfe', 'mlp', 4, dict(max_iter=15, history_size=6, line_search_fn='strong_wolfe')),
    ('mlp_plain', 'mlp', 3, dict(lr=0.5, max_iter=10, max_eval=12, history_size=3, tolerance_change=1e-12)),
]

LBFGS_CAMEL = {'lr': 'lr', 'max_iter': 'maxIter', 'max_eval': 'maxEval', 'history_size': 'historySize',
               'line_search_fn': 'lineSearchFn', 'tolerance_grad': 'toleranceGrad', 'tolerance_change': 'toleranceChange'}


def lbfgs():
    return [{'name': name, 'problem': problem, 'options': {LBFGS_CAMEL[k]: v for k, v in opts.items()},
             'iterates': run_lbfgs(problem, steps, **opts)} for name, problem, steps, opts in LBFGS_CASES]


# ---- schedulers --------------------------------------------------------------
S = torch.optim.lr_scheduler


def sched_optimizer(kind, group_lrs):
    params = [torch.zeros(1, requires_grad=True) for _ in group_lrs]
    groups = [{'params': [p], 'lr': lr} for p, lr in zip(params, group_lrs)]
    if kind == 'adam':
        return torch.optim.Adam(groups, lr=group_lrs[0])
    return torch.optim.SGD(groups, lr=group_lrs[0], momentum=0.9)


# Each case: (name, optimizer kind, group lrs, steps, builder(opt) -> scheduler, TS description)
SCHED_CASES = [
    ('step_halve_5', 'sgd', [0.1], 30, lambda o: S.StepLR(o, step_size=5, gamma=0.5),
     {'type': 'StepLR', 'stepSize': 5, 'gamma': 0.5}),
    ('step_tenth_20_two_groups', 'sgd', [0.1, 0.02], 60, lambda o: S.StepLR(o, step_size=20, gamma=0.1),
     {'type': 'StepLR', 'stepSize': 20, 'gamma': 0.1}),
    ('multistep', 'sgd', [0.1], 50, lambda o: S.MultiStepLR(o, milestones=[10, 25, 25, 40], gamma=0.3),
     {'type': 'MultiStepLR', 'milestones': [10, 25, 25, 40], 'gamma': 0.3}),
    ('exponential', 'sgd', [0.1], 40, lambda o: S.ExponentialLR(o, gamma=0.9),
     {'type': 'ExponentialLR', 'gamma': 0.9}),
    ('exponential_rate', 'sgd', [0.1], 40, lambda o: S.ExponentialLR(o, gamma=math.exp(-0.05)),
     {'type': 'ExponentialLR', 'rate': 0.05}),
    ('inverse_time', 'sgd', [0.1, 0.3], 40, lambda o: S.LambdaLR(o, lambda t: 1 / (1 + 0.1 * t)),
     {'type': 'InverseTimeLR', 'decayRate': 0.1}),
    ('inverse_time_staircase', 'sgd', [0.1], 40, lambda o: S.LambdaLR(o, lambda t: 1 / (1 + 0.5 * (t // 10))),
     {'type': 'InverseTimeLR', 'decayRate': 0.5, 'decaySteps': 10, 'staircase': True}),
    ('lambda_pow', 'sgd', [0.1], 30, lambda o: S.LambdaLR(o, lambda t: 0.95 ** t),
     {'type': 'LambdaLR', 'fn': '0.95^t'}),
    ('cosine', 'sgd', [0.1], 45, lambda o: S.CosineAnnealingLR(o, T_max=10, eta_min=0.001),
     {'type': 'CosineAnnealingLR', 'tMax': 10, 'etaMin': 0.001}),
    ('cosine_restarts_mult2', 'sgd', [0.1], 50, lambda o: S.CosineAnnealingWarmRestarts(o, T_0=5, T_mult=2, eta_min=0.01),
     {'type': 'CosineAnnealingWarmRestarts', 't0': 5, 'tMult': 2, 'etaMin': 0.01}),
    ('cosine_restarts', 'sgd', [0.1], 30, lambda o: S.CosineAnnealingWarmRestarts(o, T_0=7),
     {'type': 'CosineAnnealingWarmRestarts', 't0': 7}),
    ('linear_warmup', 'sgd', [0.1], 20, lambda o: S.LinearLR(o, start_factor=0.1, total_iters=8),
     {'type': 'LinearLR', 'startFactor': 0.1, 'totalIters': 8}),
    ('linear_decay', 'sgd', [0.1], 20, lambda o: S.LinearLR(o, start_factor=1.0, end_factor=0.2, total_iters=10),
     {'type': 'LinearLR', 'startFactor': 1.0, 'endFactor': 0.2, 'totalIters': 10}),
    ('one_cycle', 'sgd', [0.1], 39, lambda o: S.OneCycleLR(o, max_lr=1.0, total_steps=40),
     {'type': 'OneCycleLR', 'maxLr': 1.0, 'totalSteps': 40}),
    ('one_cycle_three_phase_adam', 'adam', [0.01], 29,
     lambda o: S.OneCycleLR(o, max_lr=0.05, total_steps=30, pct_start=0.25, anneal_strategy='linear', three_phase=True,
                            div_factor=10.0, final_div_factor=100.0),
     {'type': 'OneCycleLR', 'maxLr': 0.05, 'totalSteps': 30, 'pctStart': 0.25, 'annealStrategy': 'linear',
      'threePhase': True, 'divFactor': 10.0, 'finalDivFactor': 100.0}),
    ('sequential_warmup_cosine', 'sgd', [0.1], 30,
     lambda o: S.SequentialLR(o, [S.LinearLR(o, start_factor=0.2, total_iters=5), S.CosineAnnealingLR(o, T_max=20)],
                              milestones=[5]),
     {'type': 'SequentialLR', 'schedulers': [{'type': 'LinearLR', 'startFactor': 0.2, 'totalIters': 5},
                                             {'type': 'CosineAnnealingLR', 'tMax': 20}], 'milestones': [5]}),
    ('sequential_three', 'sgd', [0.1], 30,
     lambda o: S.SequentialLR(o, [S.LinearLR(o, start_factor=0.5, total_iters=4), S.StepLR(o, step_size=3, gamma=0.5),
                                  S.ExponentialLR(o, gamma=0.9)], milestones=[4, 15]),
     {'type': 'SequentialLR', 'schedulers': [{'type': 'LinearLR', 'startFactor': 0.5, 'totalIters': 4},
                                             {'type': 'StepLR', 'stepSize': 3, 'gamma': 0.5},
                                             {'type': 'ExponentialLR', 'gamma': 0.9}], 'milestones': [4, 15]}),
    ('chained', 'sgd', [0.1], 25,
     lambda o: S.ChainedScheduler([S.LinearLR(o, start_factor=0.25, total_iters=4), S.ExponentialLR(o, gamma=0.9)]),
     {'type': 'ChainedScheduler', 'schedulers': [{'type': 'LinearLR', 'startFactor': 0.25, 'totalIters': 4},
                                                 {'type': 'ExponentialLR', 'gamma': 0.9}]}),
]

PLATEAU_METRICS = [1.0, 0.9, 0.85, 0.849, 0.85, 0.86, 0.7, 0.7, 0.7, 0.7, 0.71, 0.69, 0.695, 0.7, 0.7, 0.7, 0.5,
                   0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]
PLATEAU_CASES = [
    ('plateau_min_rel', dict(mode='min', factor=0.5, patience=2, threshold=0.01, cooldown=1, min_lr=0.01),
     {'mode': 'min', 'factor': 0.5, 'patience': 2, 'threshold': 0.01, 'cooldown': 1, 'minLr': 0.01}),
    ('plateau_max_abs', dict(mode='max', factor=0.1, patience=1, threshold=0.05, threshold_mode='abs'),
     {'mode': 'max', 'factor': 0.1, 'patience': 1, 'threshold': 0.05, 'thresholdMode': 'abs'}),
    ('plateau_defaults', dict(), {}),
]


def schedulers():
    out = []
    for name, kind, lrs, steps, build, desc in SCHED_CASES:
        opt = sched_optimizer(kind, lrs)
        sched = build(opt)
        seq, mom = [], []

        def record():
            seq.append([float(g['lr']) for g in opt.param_groups])
            mom.append([float(g['betas'][0] if kind == 'adam' else g['momentum']) for g in opt.param_groups])

        record()
        for _ in range(steps):
            opt.step()
            sched.step()
            record()
        case = {'name': name, 'optimizer': kind, 'groupLrs': lrs, 'steps': steps, 'scheduler': desc, 'lrs': seq}
        if name.startswith('one_cycle'):
            case['momenta'] = mom
        out.append(case)
    for name, opts, desc in PLATEAU_CASES:
        opt = sched_optimizer('sgd', [0.1, 0.05])
        sched = S.ReduceLROnPlateau(opt, **opts)
        seq = [[float(g['lr']) for g in opt.param_groups]]
        metrics = PLATEAU_METRICS if opts.get('mode') != 'max' else [-m for m in PLATEAU_METRICS]
        for m in metrics:
            opt.step()
            sched.step(m)
            seq.append([float(g['lr']) for g in opt.param_groups])
        out.append({'name': name, 'optimizer': 'sgd', 'groupLrs': [0.1, 0.05], 'steps': len(metrics),
                    'scheduler': {'type': 'ReduceLROnPlateau', **desc}, 'metrics': metrics, 'lrs': seq})
    return out


def write(name, doc):
    path = os.path.join(OUT_DIR, name)
    with open(path, 'w') as f:
        json.dump(doc, f, separators=(',', ':'))
        f.write('\n')
    print(f'wrote {os.path.relpath(path, ROOT)} ({os.path.getsize(path) / 1024:.0f} KB)')


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    common = {'generator': 'tools/golden_optim.py', 'torch': torch.__version__}
    mlp_data = {'sizes': MLP_SIZES, 'names': MLP_NAMES, 'x': flat(torch.tensor(MLP_X)), 'y': flat(torch.tensor(MLP_Y)),
                'init': {n: {'shape': list(MLP_INIT[n].shape), 'data': flat(torch.tensor(MLP_INIT[n]))} for n in MLP_NAMES}}
    problems = {k: {'init': [flat(torch.tensor(np.array(v))) for v in spec['init']]} for k, spec in PROBLEMS.items()}
    write('optim-trajectories.json', {**common, 'snapshots': SNAPSHOTS, 'mlp': mlp_data, 'problems': problems,
                                      'cases': trajectories(), 'clipping': clipping()})
    write('optim-lbfgs.json', {**common, 'cases': lbfgs()})
    write('optim-schedulers.json', {**common, 'cases': schedulers()})


if __name__ == '__main__':
    main()
