#!/usr/bin/python3
"""PyTorch reference values for @dl/cnn's ops and layers.

Writes packages/cnn/test/fixtures/cnn-ops.json, read by the tests in
packages/cnn/test/ops/ and packages/cnn/test/modules/. The tests never run Python;
rerun this script only to change the fixture:

    /usr/bin/python3 tools/golden_cnn.py

Every case is computed in float64 and in float32 (the same inputs: drawn in float64,
rounded to float32 for the float32 case). Arrays are {shape, data}, row-major; int
arrays hold ints. Gradients are those of (output * gradOutput).sum().

  conv2d:          [{id, dtype, options {stride, padding, dilation, groups} (dl's names;
                    padding may be 'same' / 'valid'), x, weight, bias | null, gradOutput,
                    output, gradX, gradWeight, gradBias | null}]
  conv1d:          the same layout for F.conv1d
  convTranspose2d: [{id, dtype, options {stride, padding, outputPadding, dilation, groups},
                    x, weight, bias | null, gradOutput, output, gradX, gradWeight, gradBias | null}]
  maxPool2d:       [{id, dtype, options {kernelSize, stride, padding, dilation, ceilMode},
                    x, gradOutput, output, indices (int), gradX}]
  avgPool2d:       [{id, dtype, options {kernelSize, stride, padding, ceilMode, countIncludePad,
                    divisorOverride?}, x, gradOutput, output, gradX}]
  adaptiveAvgPool2d: [{id, dtype, outputSize, x, gradOutput, output, gradX}]
  adaptiveMaxPool2d: [{id, dtype, outputSize, x, gradOutput, output, indices (int), gradX}]
  localResponseNorm: [{id, dtype, options {size, alpha, beta, k}, x, gradOutput, output, gradX}]
  subsample2d:     [{id, dtype, options {kernelSize, stride?}, x, coefficient, bias, gradOutput,
                    output, gradX, gradCoefficient, gradBias}]
                   (torch: avg_pool2d(x, k, s, divisor_override=1) * coef[c] + bias[c]: LeNet-5's sum)
  modules:         [{id, module, args, options, stateDict {key: {shape, data}}, x, output}]
                   a torch layer seeded with torch.manual_seed(0), its state_dict as torch
                   writes it (float32), a float32 input and the layer's output on it.

Deterministic: each case draws from numpy RandomState seeded by crc32 of its id; torch
runs single-threaded. Values are written with Python's repr of the float64 (float32
values are exact in float64).
"""

import json
import os
import zlib

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, 'packages', 'cnn', 'test', 'fixtures', 'cnn-ops.json')

torch.set_num_threads(1)
DTYPES = {'float64': torch.float64, 'float32': torch.float32}


def rng(name):
    return np.random.RandomState(zlib.crc32(name.encode()) % 2**32)


def arr(t):
    t = torch.as_tensor(t).detach()
    if t.dtype in (torch.int64, torch.int32):
        return {'shape': list(t.shape), 'data': [int(v) for v in t.reshape(-1).tolist()]}
    return {'shape': list(t.shape), 'data': [float(v) for v in t.to(torch.float64).reshape(-1).tolist()]}


def leaf(r, shape, dtype, scale=1.0):
    return torch.tensor(r.standard_normal(shape) * scale, dtype=DTYPES[dtype]).requires_grad_()


def torch_padding(p):
    return p if isinstance(p, (str, int)) else tuple(p)


def pair_of(v):
    return tuple(v) if isinstance(v, (list, tuple)) else (v, v)


# ---- convolutions

CONV2D = [
    # id, x shape, (out, kh, kw), options (dl's names), bias
    ('3x3-pad1', (2, 3, 7, 6), (4, 3, 3), dict(padding=1), True),
    ('stride2', (2, 2, 9, 8), (3, 3, 3), dict(stride=2, padding=1), True),
    ('stride-pairs', (1, 2, 8, 11), (3, 2, 4), dict(stride=[1, 3], padding=[1, 2], dilation=[3, 1]), True),
    ('same-3x3', (2, 3, 6, 5), (4, 3, 3), dict(padding='same'), True),
    ('same-even-4x2', (1, 2, 7, 6), (3, 4, 2), dict(padding='same'), True),
    ('same-dilated', (1, 2, 8, 7), (2, 3, 2), dict(padding='same', dilation=[2, 3]), False),
    ('valid', (2, 2, 6, 6), (3, 3, 3), dict(padding='valid'), True),
    ('dilation2', (1, 2, 9, 8), (3, 3, 3), dict(padding=[2, 1], dilation=2), True),
    ('groups2', (2, 4, 6, 5), (6, 3, 3), dict(groups=2), True),
    ('depthwise', (2, 3, 6, 6), (3, 3, 3), dict(padding=1, groups=3), True),
    ('depthwise-x2', (1, 3, 5, 6), (6, 3, 3), dict(padding=1, groups=3, stride=2), False),
    ('1x1', (2, 5, 4, 3), (3, 1, 1), dict(), True),
    ('no-bias', (2, 3, 6, 6), (2, 5, 5), dict(padding=2), False),
    ('alexnet-like', (1, 4, 11, 11), (6, 5, 5), dict(stride=2, padding=2, groups=2), True),
]

CONV1D = [
    ('k3-pad1', (2, 3, 10), (4, 3), dict(padding=1), True),
    ('stride2-dil2', (2, 2, 13), (3, 3), dict(stride=2, dilation=2), True),
    ('same-even', (1, 3, 9), (2, 4), dict(padding='same'), False),
    ('groups', (2, 4, 8), (6, 3), dict(groups=2, padding='valid'), True),
]

CONVT = [
    # id, x shape (N, Cin, h, w), (Cout, kh, kw), options, bias
    ('stride2-outpad1', (2, 4, 4, 5), (3, 3, 3), dict(stride=2, padding=1, outputPadding=1), True),
    ('groups2-dilation', (1, 4, 5, 4), (6, 3, 2), dict(stride=[1, 2], padding=[2, 0], outputPadding=[0, 1], dilation=[2, 1], groups=2), True),
    ('plain', (2, 3, 3, 3), (2, 2, 2), dict(), False),
    ('upsample-x2', (1, 2, 4, 4), (2, 4, 4), dict(stride=2, padding=1), True),
]


def conv_case(kind, cid, dtype, xshape, wdims, options, bias):
    r = rng(f'{kind}/{cid}')
    x = leaf(r, xshape, dtype)
    c = xshape[1]
    g = options.get('groups', 1)
    if kind == 'convTranspose2d':
        cout, kh, kw = wdims
        w = leaf(r, (c, cout // g, kh, kw), dtype, 0.5)
        b = leaf(r, (cout,), dtype) if bias else None
        y = F.conv_transpose2d(x, w, b, pair_of(options.get('stride', 1)), pair_of(options.get('padding', 0)),
                               pair_of(options.get('outputPadding', 0)), g, pair_of(options.get('dilation', 1)))
    elif kind == 'conv1d':
        o, k = wdims
        w = leaf(r, (o, c // g, k), dtype, 0.5)
        b = leaf(r, (o,), dtype) if bias else None
        y = F.conv1d(x, w, b, options.get('stride', 1), options.get('padding', 0), options.get('dilation', 1), g)
    else:
        o, kh, kw = wdims
        w = leaf(r, (o, c // g, kh, kw), dtype, 0.5)
        b = leaf(r, (o,), dtype) if bias else None
        y = F.conv2d(x, w, b, pair_of(options.get('stride', 1)), torch_padding(options.get('padding', 0)),
                     pair_of(options.get('dilation', 1)), g)
    gy = torch.tensor(r.standard_normal(tuple(y.shape)), dtype=DTYPES[dtype])
    (y * gy).sum().backward()
    return {
        'id': cid, 'dtype': dtype, 'options': options,
        'x': arr(x), 'weight': arr(w), 'bias': arr(b) if bias else None, 'gradOutput': arr(gy),
        'output': arr(y), 'gradX': arr(x.grad), 'gradWeight': arr(w.grad), 'gradBias': arr(b.grad) if bias else None,
    }


# ---- pooling

MAX = [
    # id, x shape, options
    ('2x2', (2, 3, 6, 8), dict(kernelSize=2)),
    ('3x3-s2-p1', (1, 2, 9, 7), dict(kernelSize=3, stride=2, padding=1)),
    ('ceil-pad', (1, 2, 7, 6), dict(kernelSize=[3, 2], stride=2, padding=1, ceilMode=True)),
    ('ceil-5x5', (2, 2, 5, 5), dict(kernelSize=2, ceilMode=True)),
    ('dilation2', (2, 1, 9, 10), dict(kernelSize=[2, 3], stride=2, padding=1, dilation=2, ceilMode=True)),
    ('overlap-ties', (1, 2, 6, 7), dict(kernelSize=3, stride=1, padding=1)),
]

AVG = [
    ('2x2', (2, 3, 6, 8), dict(kernelSize=2)),
    ('p1-include', (1, 2, 9, 7), dict(kernelSize=3, stride=2, padding=1, countIncludePad=True)),
    ('p1-exclude', (1, 2, 9, 7), dict(kernelSize=3, stride=2, padding=1, countIncludePad=False)),
    ('ceil-include', (1, 2, 7, 6), dict(kernelSize=[3, 2], stride=2, padding=1, ceilMode=True, countIncludePad=True)),
    ('ceil-exclude', (1, 2, 7, 6), dict(kernelSize=[3, 2], stride=2, padding=1, ceilMode=True, countIncludePad=False)),
    ('divisor-override', (1, 1, 5, 5), dict(kernelSize=[2, 3], stride=[1, 2], padding=1, ceilMode=True, divisorOverride=4)),
]

ADAPTIVE = [
    ('7x9to3x5', (2, 2, 7, 9), [3, 5]),
    ('global', (2, 3, 5, 4), [1, 1]),
    ('upsample', (1, 2, 3, 2), [5, 4]),
    ('10to7', (1, 2, 10, 10), [7, 7]),
]

LRN = [
    ('alexnet', (2, 7, 3, 4), dict(size=5, alpha=1e-4, beta=0.75, k=2.0), 3.0),
    ('strong', (2, 6, 2, 3), dict(size=3, alpha=0.5, beta=0.75, k=1.0), 1.0),
    ('even-size', (1, 5, 3, 3), dict(size=4, alpha=0.3, beta=0.6, k=1.5), 1.0),
    ('size1-3d', (2, 4, 5), dict(size=1, alpha=0.2, beta=1.0, k=1.0), 1.0),
    ('wide-window', (1, 3, 2, 2), dict(size=7, alpha=0.9, beta=0.5, k=0.5), 1.0),
]

SUBSAMPLE = [
    ('2x2', (2, 3, 6, 8), dict()),
    ('3x3-stride2', (1, 2, 7, 7), dict(kernelSize=3, stride=2)),
]


def max_case(cid, dtype, shape, o):
    r = rng(f'max/{cid}')
    if cid == 'overlap-ties':
        x = torch.tensor(r.randint(-3, 4, size=shape), dtype=DTYPES[dtype]).requires_grad_()
    else:
        x = leaf(r, shape, dtype)
    y, idx = F.max_pool2d(x, pair_of(o['kernelSize']), pair_of(o.get('stride', o['kernelSize'])), pair_of(o.get('padding', 0)),
                          pair_of(o.get('dilation', 1)), ceil_mode=o.get('ceilMode', False), return_indices=True)
    gy = torch.tensor(r.standard_normal(tuple(y.shape)), dtype=DTYPES[dtype])
    (y * gy).sum().backward()
    return {'id': cid, 'dtype': dtype, 'options': o, 'x': arr(x), 'gradOutput': arr(gy), 'output': arr(y), 'indices': arr(idx), 'gradX': arr(x.grad)}


def avg_case(cid, dtype, shape, o):
    r = rng(f'avg/{cid}')
    x = leaf(r, shape, dtype)
    y = F.avg_pool2d(x, pair_of(o['kernelSize']), pair_of(o.get('stride', o['kernelSize'])), pair_of(o.get('padding', 0)),
                     ceil_mode=o.get('ceilMode', False), count_include_pad=o.get('countIncludePad', True),
                     divisor_override=o.get('divisorOverride'))
    gy = torch.tensor(r.standard_normal(tuple(y.shape)), dtype=DTYPES[dtype])
    (y * gy).sum().backward()
    return {'id': cid, 'dtype': dtype, 'options': o, 'x': arr(x), 'gradOutput': arr(gy), 'output': arr(y), 'gradX': arr(x.grad)}


def adaptive_case(cid, dtype, shape, out):
    r = rng(f'adaptive/{cid}')
    x = leaf(r, shape, dtype)
    y = F.adaptive_avg_pool2d(x, out)
    gy = torch.tensor(r.standard_normal(tuple(y.shape)), dtype=DTYPES[dtype])
    (y * gy).sum().backward()
    return {'id': cid, 'dtype': dtype, 'outputSize': out, 'x': arr(x), 'gradOutput': arr(gy), 'output': arr(y), 'gradX': arr(x.grad)}


def adaptive_max_case(cid, dtype, shape, out):
    r = rng(f'adaptive-max/{cid}')
    x = leaf(r, shape, dtype)
    y, idx = F.adaptive_max_pool2d(x, out, return_indices=True)
    gy = torch.tensor(r.standard_normal(tuple(y.shape)), dtype=DTYPES[dtype])
    (y * gy).sum().backward()
    return {'id': cid, 'dtype': dtype, 'outputSize': out, 'x': arr(x), 'gradOutput': arr(gy), 'output': arr(y), 'indices': arr(idx), 'gradX': arr(x.grad)}


def lrn_case(cid, dtype, shape, o, scale):
    r = rng(f'lrn/{cid}')
    x = leaf(r, shape, dtype, scale)
    y = F.local_response_norm(x, o['size'], o['alpha'], o['beta'], o['k'])
    gy = torch.tensor(r.standard_normal(tuple(y.shape)), dtype=DTYPES[dtype])
    (y * gy).sum().backward()
    return {'id': cid, 'dtype': dtype, 'options': o, 'x': arr(x), 'gradOutput': arr(gy), 'output': arr(y), 'gradX': arr(x.grad)}


def subsample_case(cid, dtype, shape, o):
    r = rng(f'subsample/{cid}')
    x = leaf(r, shape, dtype)
    c = shape[1]
    coef = leaf(r, (c,), dtype)
    b = leaf(r, (c,), dtype)
    k = o.get('kernelSize', 2)
    s = F.avg_pool2d(x, k, o.get('stride', k), divisor_override=1)
    y = s * coef.view(1, c, 1, 1) + b.view(1, c, 1, 1)
    gy = torch.tensor(r.standard_normal(tuple(y.shape)), dtype=DTYPES[dtype])
    (y * gy).sum().backward()
    return {'id': cid, 'dtype': dtype, 'options': o, 'x': arr(x), 'coefficient': arr(coef), 'bias': arr(b), 'gradOutput': arr(gy),
            'output': arr(y), 'gradX': arr(x.grad), 'gradCoefficient': arr(coef.grad), 'gradBias': arr(b.grad)}


# ---- layers: state-dict keys, shapes and a forward with torch's weights

MODULES = [
    # id, dl class, positional args, dl options, torch constructor, x shape
    ('conv2d', 'Conv2d', [3, 8, 3], dict(padding=1), lambda: nn.Conv2d(3, 8, 3, padding=1), (2, 3, 6, 6)),
    ('conv2d-nobias-groups', 'Conv2d', [4, 6, [3, 1]], dict(stride=[2, 1], groups=2, bias=False),
     lambda: nn.Conv2d(4, 6, (3, 1), stride=(2, 1), groups=2, bias=False), (1, 4, 7, 5)),
    ('conv2d-same', 'Conv2d', [2, 3, 4], dict(padding='same', dilation=2), lambda: nn.Conv2d(2, 3, 4, padding='same', dilation=2), (1, 2, 9, 8)),
    ('conv1d', 'Conv1d', [3, 5, 3], dict(stride=2, padding=1), lambda: nn.Conv1d(3, 5, 3, stride=2, padding=1), (2, 3, 11)),
    ('convTranspose2d', 'ConvTranspose2d', [4, 6, 3], dict(stride=2, padding=1, outputPadding=1, groups=2),
     lambda: nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1, output_padding=1, groups=2), (1, 4, 4, 3)),
    ('maxPool2d', 'MaxPool2d', [3], dict(stride=2, padding=1, ceilMode=True), lambda: nn.MaxPool2d(3, 2, 1, ceil_mode=True), (1, 2, 8, 7)),
    ('avgPool2d', 'AvgPool2d', [3], dict(stride=2, padding=1, countIncludePad=False), lambda: nn.AvgPool2d(3, 2, 1, count_include_pad=False), (1, 2, 8, 7)),
    ('adaptiveAvgPool2d', 'AdaptiveAvgPool2d', [[2, 3]], dict(), lambda: nn.AdaptiveAvgPool2d((2, 3)), (1, 2, 7, 8)),
    ('adaptiveMaxPool2d', 'AdaptiveMaxPool2d', [[3, 2]], dict(), lambda: nn.AdaptiveMaxPool2d((3, 2)), (1, 2, 7, 8)),
    ('localResponseNorm', 'LocalResponseNorm', [5], dict(alpha=1e-4, beta=0.75, k=2.0), lambda: nn.LocalResponseNorm(5, 1e-4, 0.75, 2.0), (1, 8, 3, 3)),
]


def module_case(mid, cls, args, options, make, xshape):
    torch.manual_seed(0)
    m = make()
    r = rng(f'module/{mid}')
    x = torch.tensor(r.standard_normal(xshape), dtype=torch.float32)
    with torch.no_grad():
        y = m(x)
    return {'id': mid, 'module': cls, 'args': args, 'options': options,
            'stateDict': {k: arr(v) for k, v in m.state_dict().items()}, 'x': arr(x), 'output': arr(y)}


def main():
    fixtures = {
        'torch': torch.__version__,
        'conv2d': [conv_case('conv2d', *c[:1], dt, *c[1:]) for dt in DTYPES for c in CONV2D],
        'conv1d': [conv_case('conv1d', *c[:1], dt, *c[1:]) for dt in DTYPES for c in CONV1D],
        'convTranspose2d': [conv_case('convTranspose2d', *c[:1], dt, *c[1:]) for dt in DTYPES for c in CONVT],
        'maxPool2d': [max_case(cid, dt, *rest) for dt in DTYPES for cid, *rest in MAX],
        'avgPool2d': [avg_case(cid, dt, *rest) for dt in DTYPES for cid, *rest in AVG],
        'adaptiveAvgPool2d': [adaptive_case(cid, dt, *rest) for dt in DTYPES for cid, *rest in ADAPTIVE],
        'adaptiveMaxPool2d': [adaptive_max_case(cid, dt, *rest) for dt in DTYPES for cid, *rest in ADAPTIVE],
        'localResponseNorm': [lrn_case(cid, dt, *rest) for dt in DTYPES for cid, *rest in LRN],
        'subsample2d': [subsample_case(cid, dt, *rest) for dt in DTYPES for cid, *rest in SUBSAMPLE],
        'modules': [module_case(*m) for m in MODULES],
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w') as f:
        json.dump(fixtures, f, separators=(',', ':'))
        f.write('\n')
    print(f'wrote {OUT} ({os.path.getsize(OUT)} bytes)')


if __name__ == '__main__':
    main()
