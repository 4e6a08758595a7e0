#!/usr/bin/python3
"""Golden fixtures from PyTorch for tril/triu/repeat/tile, the SIMD activations
and the deterministic edges of multinomial/bernoulli.

Writes packages/tensor/test/fixtures/golden-sampling-shape.json, read by
packages/tensor/test/ops/golden-sampling-shape.test.ts (the test never runs
Python; rerun this script only to change the fixture):

    /usr/bin/python3 tools/golden_sampling_shape.py

Layout:
- "shape": cases {name, op ('tril' | 'triu' | 'repeat' | 'tile'), arg (the
  diagonal, or the repeats / reps list), x {shape, data} (float64 values
  rounded to 4 decimals), r (a cotangent shaped like the output), and for
  "float64" and "float32" (x and r cast, torch computing in that dtype):
  "output" {shape, data} and "grad" = d sum(op(x) * r) / dx}.
- "activations": "x", float32 inputs (special values, subnormals, branch and
  saturation points, random values), and per function (exp, log, sigmoid,
  tanh, gelu, gelu_tanh, erf) torch's results "float32" (computed in float32)
  and "float64" (the same inputs promoted to float64), and "exact": the
  function in 50-digit arithmetic (mpmath) rounded to float64. torch's own
  float64 gelu is not exact in the negative tail (0.5x(1 + erf(x/sqrt 2))
  cancels to 0 in double below x = -8.3; likewise 1 + tanh(u)), so the
  accuracy checks use "exact".
- "sampling": torch's draws where they are determined: multinomial of
  one-hot rows, multinomial without replacement of every non-zero category
  (as a sorted set), bernoulli of probabilities 0 and 1.

Numbers are JSON numbers (float32 values written as the shortest decimal that
reads back as the same double), except NaN, Infinity, -Infinity and -0,
written as the strings "NaN", "Infinity", "-Infinity" and "-0".

Deterministic: fixed seeds, single-threaded torch; reruns rewrite the file
byte for byte.
"""

import json
import math
import os

import mpmath
import numpy as np
import torch
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, 'packages', 'tensor', 'test', 'fixtures', 'golden-sampling-shape.json')

torch.set_num_threads(1)
torch.manual_seed(0)


def enc(v):
    v = float(v)
    if math.isnan(v):
        return 'NaN'
    if math.isinf(v):
        return 'Infinity' if v > 0 else '-Infinity'
    if v == 0 and math.copysign(1, v) < 0:
        return '-0'
    return v


def flat(t):
    return [enc(v) for v in t.detach().reshape(-1).tolist()]


def tens(t):
    return {'shape': list(t.shape), 'data': flat(t)}


# ---- tril / triu / repeat / tile ---------------------------------------

SHAPE_CASES = [
    ('tril square', 'tril', 0, [4, 4]),
    ('tril diagonal -1', 'tril', -1, [4, 4]),
    ('tril diagonal 2 wide', 'tril', 2, [3, 6]),
    ('tril diagonal -3 tall batched', 'tril', -3, [2, 6, 3]),
    ('tril diagonal beyond', 'tril', 9, [3, 3]),
    ('triu square', 'triu', 0, [4, 4]),
    ('triu diagonal 1 batched', 'triu', 1, [2, 3, 4, 4]),
    ('triu diagonal -2 tall', 'triu', -2, [6, 3]),
    ('triu diagonal -9', 'triu', -9, [3, 3]),
    ('repeat vector to matrix', 'repeat', [2, 3], [3]),
    ('repeat matrix', 'repeat', [3, 2], [2, 3]),
    ('repeat new leading dims', 'repeat', [2, 1, 2], [2, 2]),
    ('repeat size-1 dims', 'repeat', [2, 3, 4], [1, 2, 1]),
    ('repeat zero count', 'repeat', [2, 0], [2, 3]),
    ('repeat scalar', 'repeat', [3], []),
    ('tile short reps', 'tile', [2], [2, 3]),
    ('tile long reps', 'tile', [2, 1, 2], [3]),
    ('tile same rank', 'tile', [2, 2], [2, 2]),
    ('tile empty reps', 'tile', [], [2, 2]),
]


def apply(op, arg, x):
    if op == 'tril':
        return torch.tril(x, arg)
    if op == 'triu':
        return torch.triu(x, arg)
    if op == 'repeat':
        return x.repeat(*arg) if len(arg) > 0 else x.clone()
    return torch.tile(x, tuple(arg))


def shape_cases():
    rng = np.random.RandomState(20240611)
    cases = []
    for name, op, arg, shape in SHAPE_CASES:
        x64 = np.round(rng.randn(*shape) if shape else np.array(rng.randn()), 4)
        out_shape = list(apply(op, arg, torch.tensor(x64)).shape)
        r64 = np.round(rng.randn(*out_shape) if out_shape else np.array(rng.randn()), 4)
        case = {'name': name, 'op': op, 'arg': arg, 'x': {'shape': shape, 'data': [enc(v) for v in np.reshape(x64, -1)]}, 'r': [enc(v) for v in np.reshape(r64, -1)]}
        for dtype, key in ((torch.float64, 'float64'), (torch.float32, 'float32')):
            x = torch.tensor(x64, dtype=dtype, requires_grad=True)
            y = apply(op, arg, x)
            (y * torch.tensor(r64, dtype=dtype)).sum().backward()
            case[key] = {'output': tens(y), 'grad': flat(x.grad)}
        cases.append(case)
    return cases


# ---- activations on float32 edges --------------------------------------

def activation_inputs():
    specials = [0.0, -0.0, math.inf, -math.inf, math.nan, 1.401298464324817e-45, -1.401298464324817e-45, 1e-40, -1e-40,
                1.1754943508222875e-38, -1.1754943508222875e-38, 3.4028234663852886e38, -3.4028234663852886e38, 1e-30, 1e30,
                1.0, -1.0, 0.5, -0.5, 2.0, -2.0, 0.625, -0.625, 0.70710677, -0.70710677, 0.99999994, 1.0000001,
                3.92, -3.92, 9.01, -9.02, 16.6, -16.6, 88.72283172607422, 88.8, -87.33654, -103.97, -104.0, -110.0,
                -5.0, -6.0, -10.0, -13.0, -14.35, -14.85, -15.0, -20.0, 14.85, 20.0, 7e12, -7e12, -1e13,
                -88.0, -95.0, -100.0]
    rng = np.random.RandomState(7)
    rand = list(rng.randn(120) * 6) + list(np.exp(rng.uniform(-60, 60, 40)))
    return [float(np.float32(v)) for v in specials + rand]


FUNCS = {
    'exp': torch.exp,
    'log': torch.log,
    'sigmoid': torch.sigmoid,
    'tanh': torch.tanh,
    'gelu': F.gelu,
    'gelu_tanh': lambda t: F.gelu(t, approximate='tanh'),
    'erf': torch.erf,
}


mpmath.mp.dps = 50
SQRT_2_OVER_PI = mpmath.sqrt(2 / mpmath.pi)
EXACT = {
    'exp': mpmath.exp,
    'log': lambda x: mpmath.log(x) if x > 0 else (mpmath.mpf('-inf') if x == 0 else mpmath.nan),
    'sigmoid': lambda x: 1 / (1 + mpmath.exp(-x)),
    'tanh': mpmath.tanh,
    'gelu': lambda x: x * mpmath.ncdf(x),
    # 0.5x(1 + tanh u) = x*sigmoid(2u): the same number, without cancellation.
    'gelu_tanh': lambda x: x / (1 + mpmath.exp(-2 * SQRT_2_OVER_PI * (x + mpmath.mpf('0.044715') * x ** 3))),
    'erf': mpmath.erf,
}


def exact(name, x, torch64):
    if not math.isfinite(x):
        return torch64  # the limits: torch's float64 is exact there
    v = EXACT[name](mpmath.mpf(x))
    if v == 0:
        return math.copysign(0.0, x) if name in ('gelu', 'gelu_tanh', 'erf', 'tanh') else 0.0
    return float(v)


def activations():
    xs = activation_inputs()
    x32 = torch.tensor(xs, dtype=torch.float32)
    out = {'x': [enc(v) for v in xs]}
    for name, f in FUNCS.items():
        t64 = f(x32.to(torch.float64))
        out[name] = {'float32': flat(f(x32)), 'float64': flat(t64), 'exact': [enc(exact(name, x, y)) for x, y in zip(xs, t64.tolist())]}
    return out


# ---- sampling: what torch determines -----------------------------------

def sampling():
    g = torch.Generator().manual_seed(3)
    one_hot = torch.tensor([[0.0, 0.0, 2.0, 0.0], [0.5, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 1e-3]])
    w = torch.tensor([0.2, 0.0, 0.5, 0.0, 0.3])
    p = torch.tensor([0.0, 1.0, 1.0, 0.0, 0.0, 1.0])
    return {
        'multinomial_one_hot': {'probs': tens(one_hot), 'samples': torch.multinomial(one_hot, 1, generator=g).reshape(-1).tolist(),
                                'with_replacement': torch.multinomial(one_hot, 5, replacement=True, generator=g).reshape(-1).tolist()},
        'multinomial_all_nonzero': {'probs': tens(w), 'sorted': sorted(torch.multinomial(w, 3, generator=g).tolist())},
        'bernoulli_0_1': {'p': tens(p), 'samples': torch.bernoulli(p, generator=g).tolist()},
    }


def main():
    doc = {
        'generator': 'tools/golden_sampling_shape.py',
        'torch': torch.__version__.split('+')[0],
        'shape': shape_cases(),
        'activations': activations(),
        'sampling': sampling(),
    }
    with open(OUT, 'w') as f:
        json.dump(doc, f, separators=(',', ':'))
        f.write('\n')
    print(f'wrote {OUT}')


if __name__ == '__main__':
    main()
