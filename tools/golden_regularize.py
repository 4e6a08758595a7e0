#!/usr/bin/python3
"""PyTorch reference values for @dl/regularize: weight penalties and a weighted cross-entropy.

(Batch norm and dropout moved to @dl/tensor; their fixtures are written by
tools/golden_nn_layers.py.)

Writes packages/regularize/test/fixtures/golden-regularize.json, read by
packages/regularize/test/penalties.test.ts and ensemble tests. The tests never
run Python; rerun this script only to change the fixture:

    /usr/bin/python3 tools/golden_regularize.py

Layout of the JSON (every array is {shape, data} in row-major order):
  penalties: {w, l1, l2, gradL1, gradL2, gradElastic}: gradients of
              l1·Σ|w|, (l2/2)·Σw² and their sum; w holds exact zeros (where
              torch's |w| has subgradient 0).
  weightedCrossEntropy: {logits, target, sampleWeight, value, gradLogits}:
              Σ wᵢ·CE(logitsᵢ, targetᵢ) / Σ wᵢ and its gradient.

Deterministic: torch.manual_seed(SEED) and numpy RandomState(SEED); float64
values are written with Python's repr so both sides read the same doubles.
"""

import json
import os

import numpy as np
import torch
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

os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, 'w') as f:
    json.dump({'seed': SEED, 'penalties': penalties, 'weightedCrossEntropy': weighted_ce}, f)
print(f'wrote {OUT} ({os.path.getsize(OUT)} bytes)')
