#!/usr/bin/python3
"""PyTorch reference values for @dl/regularize: batch norm, dropout, weight penalties.

Writes packages/regularize/test/fixtures/golden-regularize.json, read by
packages/regularize/test/batch-norm-layers.test.ts, dropout.test.ts and
penalties.test.ts. The tests never run Python; rerun this script only to change
the fixture:

    /usr/bin/python3 tools/golden_regularize.py

Layout of the JSON (every array is {shape, data} in row-major order):
  batchNorm: [{id, module ('BatchNorm1d' | 'BatchNorm2d'), numFeatures, dtype,
               options {eps, momentum (number | null), affine, trackRunningStats},
               init {weight, bias} (absent without affine),
               steps: [{mode ('train' | 'eval'), input, gradOutput, output,
                        gradInput, gradWeight?, gradBias?,
                        state? {running_mean, running_var, num_batches_tracked}}]}]
      Each step runs module.train()/eval(), y = module(x), (y * gradOutput).sum()
      backward; gradients are zeroed between steps, and `state` is the buffers
      after the step (num_batches_tracked is int64 in torch, a plain number here).
  dropout:   {p, input, train (F.dropout output, training=True), eval (training=False),
              input2d, train2d (F.dropout2d output), p2d}
  penalties: {w, l1, l2, gradL1, gradL2, gradElastic}: gradients of
              l1·Σ|w|, (l2/2)·Σw² and their sum; w holds exact zeros (where
              torch's |w| has subgradient 0).
  weightedCrossEntropy: {logits, target, sampleWeight, value, gradLogits}:
              Σ wᵢ·CE(logitsᵢ, targetᵢ) / Σ wᵢ and its gradient.
  stateDictExchange: [{id, file, keys, input, output}]: a PyTorch model holding
              batch norm, trained for 3 steps, its state_dict() written by torch's
              own key names to fixtures/<file> (safetensors, num_batches_tracked as
              I64), and its eval-mode output on `input`.

Deterministic: torch.manual_seed(SEED) and numpy RandomState(SEED); float64
values are written with Python's repr so both sides read the same doubles.
"""

import json
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

SEED = 1234
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, 'packages', 'regularize', 'test', 'fixtures', 'golden-regularize.json')

torch.set_num_threads(1)
torch.manual_seed(SEED)
rng = np.random.RandomState(SEED)


def arr(t):
    t = torch.as_tensor(t).detach()
    if t.dtype in (torch.int64, torch.int32):
        return {'shape': list(t.shape), 'data': [int(v) for v in t.reshape(-1).tolist()]}
    return {'shape': list(t.shape), 'data': [float(v) for v in t.to(torch.float64).reshape(-1).tolist()]}


def randn(*shape, scale=1.0, shift=0.0):
    return torch.tensor(rng.randn(*shape) * scale + shift)


def bn_case(id_, cls, num_features, shapes_modes, dtype=torch.float64, **options):
    m = cls(num_features, **options).to(dtype)
    case = {
        'id': id_,
        'module': cls.__name__,
        'numFeatures': num_features,
        'dtype': 'float64' if dtype == torch.float64 else 'float32',
        'options': {
            'eps': m.eps,
            'momentum': m.momentum,
            'affine': m.affine,
            'trackRunningStats': m.track_running_stats,
        },
        'steps': [],
    }
    if m.affine:
        with torch.no_grad():
            m.weight.copy_(randn(num_features, scale=0.5, shift=1.0))
            m.bias.copy_(randn(num_features, scale=0.5))
        case['init'] = {'weight': arr(m.weight), 'bias': arr(m.bias)}
    for shape, mode in shapes_modes:
        # Off-centre, unequal-scale channels make the statistics matter.
        x = (randn(*shape, scale=2.0, shift=0.7)).to(dtype)
        g = randn(*shape).to(dtype)
        # Store what the dtype holds, so dl reads the same values torch used.
        x_leaf = x.clone().requires_grad_(True)
        m.train(mode == 'train')
        if m.affine:
            m.weight.grad = None
            m.bias.grad = None
        y = m(x_leaf)
        (y * g).sum().backward()
        step = {
            'mode': mode,
            'input': arr(x),
            'gradOutput': arr(g),
            'output': arr(y),
            'gradInput': arr(x_leaf.grad),
        }
        if m.affine:
            step['gradWeight'] = arr(m.weight.grad)
            step['gradBias'] = arr(m.bias.grad)
        if m.track_running_stats:
            step['state'] = {
                'running_mean': arr(m.running_mean),
                'running_var': arr(m.running_var),
                'num_batches_tracked': int(m.num_batches_tracked.item()),
            }
        case['steps'].append(step)
    return case


TRAIN3_EVAL = lambda shape: [(shape, 'train'), (shape, 'train'), (shape, 'train'), (shape, 'eval')]

batch_norm = [
    bn_case('bn1d/NC', nn.BatchNorm1d, 4, TRAIN3_EVAL((6, 4))),
    bn_case('bn1d/NCL', nn.BatchNorm1d, 3, TRAIN3_EVAL((4, 3, 5))),
    bn_case('bn2d', nn.BatchNorm2d, 2, TRAIN3_EVAL((3, 2, 4, 5))),
    bn_case('bn2d/momentum0.3/eps1e-3', nn.BatchNorm2d, 3, TRAIN3_EVAL((2, 3, 3, 3)), momentum=0.3, eps=1e-3),
    bn_case('bn1d/cumulative', nn.BatchNorm1d, 3, TRAIN3_EVAL((5, 3)), momentum=None),
    bn_case('bn2d/noAffine', nn.BatchNorm2d, 2, TRAIN3_EVAL((3, 2, 3, 4)), affine=False),
    bn_case('bn1d/noTrack', nn.BatchNorm1d, 3, [((5, 3), 'train'), ((5, 3), 'eval')], track_running_stats=False),
    bn_case('bn2d/float32', nn.BatchNorm2d, 3, TRAIN3_EVAL((4, 3, 5, 5)), dtype=torch.float32),
]

# ---- dropout: torch's convention (inverted scaling by 1/(1-p), identity in eval)
p = 0.3
xd = randn(2000)
p2d = 0.5
x2d = randn(8, 16, 3, 3)
dropout = {
    'p': p,
    'input': arr(xd),
    'train': arr(F.dropout(xd, p, training=True)),
    'eval': arr(F.dropout(xd, p, training=False)),
    'p2d': p2d,
    'input2d': arr(x2d),
    'train2d': arr(F.dropout2d(x2d, p2d, training=True)),
}

# ---- penalties
w = randn(5, 4)
w[0, 0] = 0.0
w[3, 2] = 0.0
l1, l2 = 0.01, 0.05


def grad_of(f):
    leaf = w.clone().requires_grad_(True)
    f(leaf).backward()
    return leaf.grad


penalties = {
    'w': arr(w),
    'l1': l1,
    'l2': l2,
    'valueL1': float(l1 * w.abs().sum()),
    'valueL2': float(l2 / 2 * (w ** 2).sum()),
    'gradL1': arr(grad_of(lambda t: l1 * t.abs().sum())),
    'gradL2': arr(grad_of(lambda t: l2 / 2 * (t ** 2).sum())),
    'gradElastic': arr(grad_of(lambda t: l1 * t.abs().sum() + l2 / 2 * (t ** 2).sum())),
}

# ---- sample-weighted cross-entropy (AdaBoost's weak learners)
logits = randn(7, 4)
target = torch.tensor([0, 3, 1, 1, 2, 0, 3])
sw = torch.tensor(rng.rand(7) + 0.1)
logits_leaf = logits.clone().requires_grad_(True)
wce = (F.cross_entropy(logits_leaf, target, reduction='none') * sw).sum() / sw.sum()
wce.backward()
weighted_ce = {
    'logits': arr(logits),
    'target': arr(target),
    'sampleWeight': arr(sw),
    'value': float(wce),
    'gradLogits': arr(logits_leaf.grad),
}

# ---- state dicts written by PyTorch (its key names, int64 num_batches_tracked), loaded by dl
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from safetensors_fixture import save as save_safetensors  # noqa: E402


def state_dict_case(id_, model, input_shape, file):
    with torch.no_grad():
        for name, p in model.named_parameters():
            p.copy_(randn(*p.shape, scale=0.5, shift=1.0 if name.endswith('1.weight') else 0.0))
    model.train()
    for _ in range(3):
        model(randn(*input_shape, scale=2.0, shift=0.7).float())
    model.eval()
    x = randn(*input_shape, scale=2.0, shift=0.7).float()
    with torch.no_grad():
        y = model(x)
    state = {k: v.detach().clone() for k, v in model.state_dict().items()}
    with open(os.path.join(os.path.dirname(OUT), file), 'wb') as f:
        f.write(save_safetensors(state))
    return {'id': id_, 'file': file, 'keys': list(state.keys()), 'input': arr(x), 'output': arr(y)}


state_dict_exchange = [
    state_dict_case('mlp-bn1d', nn.Sequential(nn.Linear(5, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 3)), (6, 5),
                    'torch-bn1d-mlp.safetensors'),
    state_dict_case('bn2d', nn.Sequential(nn.BatchNorm2d(3, momentum=0.3)), (2, 3, 4, 4), 'torch-bn2d.safetensors'),
]

os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, 'w') as f:
    json.dump({'seed': SEED, 'batchNorm': batch_norm, 'dropout': dropout, 'penalties': penalties, 'weightedCrossEntropy': weighted_ce,
               'stateDictExchange': state_dict_exchange}, f)
print(f'wrote {OUT} ({os.path.getsize(OUT)} bytes)')
