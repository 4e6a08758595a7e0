#!/usr/bin/python3
"""PyTorch reference values for @dl/tensor's convolution and pooling kernels.

Writes packages/tensor/test/fixtures/conv-pool.json, read by
packages/tensor/test/kernels/conv-pool-golden.test.ts. The tests never run Python;
rerun this script only to change the fixtures:

    /usr/bin/python3 tools/golden_conv_pool.py

Layout (every array is {shape, data} in row-major order; int arrays hold ints):
  conv2d: [{id, dtype, geometry {batch, inChannels, height, width, outChannels, kernelH,
            kernelW, strideH, strideW, padH, padW, dilationH, dilationW, groups},
            x, weight, bias | null, gradOutput, output, gradInput, gradWeight, gradBias | null}]
      output = F.conv2d(x, weight, bias, stride, padding, dilation, groups); the gradients
      are those of (output * gradOutput).sum().
  convTranspose2d: [{id, dtype, stride [h, w], padding, outputPadding, dilation, groups,
            input [N, O, h, w], weight [O, C/groups, kH, kW], output [N, C, H, W]}]
      output = F.conv_transpose2d(input, weight, None, stride, padding, outputPadding,
      groups, dilation): the input gradient of the convolution with that weight.
  maxPool2d: [{id, dtype, kernel, stride, padding, dilation (pairs), ceilMode, input,
            output, indices (int), gradOutput, gradInput}]
      (output, indices) = F.max_pool2d(..., return_indices=True).
  avgPool2d: [{id, dtype, kernel, stride, padding, ceilMode, countIncludePad,
            divisorOverride | null, input, output, gradOutput, gradInput}]
  adaptiveAvgPool2d: [{id, dtype, outputSize [h, w], input, output, gradOutput, gradInput}]

Deterministic: each case draws from a numpy RandomState seeded by the case id; torch runs
single-threaded. Float64 values are written with Python's repr so both sides read the same
doubles; float32 cases store the float32 values torch used (exact as doubles).
"""

import json
import os
import zlib

import numpy as np
import torch
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, 'packages', 'tensor', 'test', 'fixtures', 'conv-pool.json')

torch.set_num_threads(1)


def rng(name):
    return np.random.RandomState(zlib.crc32(name.encode()) % 2**32)


def arr(t):
    t = torch.as_tensor(t).detach()
    if t.dtype in (torch.int64, torch.int32):
        return {'shape': list(t.shape), 'data': [int(v) for v in t.reshape(-1).tolist()]}
    return {'shape': list(t.shape), 'data': [float(v) for v in t.to(torch.float64).reshape(-1).tolist()]}


DTYPES = {'float64': torch.float64, 'float32': torch.float32}


def normal(r, shape, dtype):
    return torch.tensor(r.standard_normal(shape), dtype=DTYPES[dtype])


def conv_case(cid, dtype, n, c, h, w, o, kh, kw, stride=(1, 1), padding=(0, 0), dilation=(1, 1), groups=1, bias=True):
    r = rng(f'conv2d/{cid}/{dtype}')
    x = normal(r, (n, c, h, w), dtype).requires_grad_()
    wt = normal(r, (o, c // groups, kh, kw), dtype).requires_grad_()
    b = normal(r, (o,), dtype).requires_grad_() if bias else None
    y = F.conv2d(x, wt, b, stride, padding, dilation, groups)
    gy = normal(r, tuple(y.shape), dtype)
    (y * gy).sum().backward()
    return {
        'id': cid,
        'dtype': dtype,
        'geometry': {
            'batch': n, 'inChannels': c, 'height': h, 'width': w, 'outChannels': o, 'kernelH': kh, 'kernelW': kw,
            'strideH': stride[0], 'strideW': stride[1], 'padH': padding[0], 'padW': padding[1],
            'dilationH': dilation[0], 'dilationW': dilation[1], 'groups': groups,
        },
        'x': arr(x), 'weight': arr(wt), 'bias': arr(b) if bias else None, 'gradOutput': arr(gy),
        'output': arr(y), 'gradInput': arr(x.grad), 'gradWeight': arr(wt.grad), 'gradBias': arr(b.grad) if bias else None,
    }


CONV = [
    # id, (n, c, h, w, o, kh, kw), options
    ('3x3-pad1', (2, 3, 7, 6, 4, 3, 3), dict(padding=(1, 1))),
    ('groups2', (2, 4, 6, 5, 6, 3, 3), dict(groups=2)),
    ('depthwise', (2, 3, 6, 6, 6, 3, 3), dict(padding=(1, 1), groups=3)),
    ('dilation2', (1, 2, 9, 8, 3, 3, 3), dict(padding=(2, 1), dilation=(2, 2))),
    ('stride2-pad1', (3, 2, 9, 8, 4, 3, 3), dict(stride=(2, 2), padding=(1, 1))),
    ('1x1', (2, 5, 4, 3, 3, 1, 1), dict()),
    ('1x1-stride2', (2, 4, 7, 6, 5, 1, 1), dict(stride=(2, 2), bias=False)),
    ('lenet-c1', (3, 1, 12, 12, 6, 5, 5), dict(padding=(2, 2))),
    ('asymmetric', (2, 2, 8, 11, 3, 2, 4), dict(stride=(1, 3), padding=(1, 2), dilation=(3, 1))),
]

CONV_T = [
    # id, (n, o, h, w) input, (c, kh, kw), stride, padding, output_padding, dilation, groups
    ('stride2-outpad1', (2, 4, 4, 5), (3, 3, 3), (2, 2), (1, 1), (1, 1), (1, 1), 1),
    ('groups2-dilation2', (1, 4, 5, 4), (6, 3, 2), (1, 2), (2, 0), (0, 1), (2, 1), 2),
]


def conv_t_case(cid, dtype, inp, cw, stride, padding, outpad, dilation, groups):
    r = rng(f'convT/{cid}/{dtype}')
    n, o, h, w = inp
    c, kh, kw = cw
    x = normal(r, inp, dtype)
    wt = normal(r, (o, c // groups, kh, kw), dtype)
    y = F.conv_transpose2d(x, wt, None, stride, padding, outpad, groups, dilation)
    return {
        'id': cid, 'dtype': dtype, 'stride': list(stride), 'padding': list(padding), 'outputPadding': list(outpad),
        'dilation': list(dilation), 'groups': groups, 'input': arr(x), 'weight': arr(wt), 'output': arr(y),
    }


MAX = [
    # id, (n, c, h, w), kernel, stride, padding, dilation, ceil, integer data (ties)
    ('2x2', (2, 3, 6, 8), (2, 2), (2, 2), (0, 0), (1, 1), False, False),
    ('3x3-s2-p1', (1, 2, 9, 7), (3, 3), (2, 2), (1, 1), (1, 1), False, False),
    ('ceil-pad', (1, 2, 7, 6), (3, 2), (2, 2), (1, 1), (1, 1), True, False),
    ('dilation2-ceil', (2, 1, 9, 10), (2, 3), (2, 2), (1, 1), (2, 2), True, False),
    ('overlap-ties', (1, 2, 6, 7), (3, 3), (1, 1), (1, 1), (1, 1), False, True),
]

AVG = [
    # id, (n, c, h, w), kernel, stride, padding, ceil, count_include_pad, divisor_override
    ('2x2', (2, 3, 6, 8), (2, 2), (2, 2), (0, 0), False, True, None),
    ('3x3-s2-p1-include', (1, 2, 9, 7), (3, 3), (2, 2), (1, 1), False, True, None),
    ('3x3-s2-p1-exclude', (1, 2, 9, 7), (3, 3), (2, 2), (1, 1), False, False, None),
    ('ceil-include', (1, 2, 7, 6), (3, 2), (2, 2), (1, 1), True, True, None),
    ('ceil-exclude', (1, 2, 7, 6), (3, 2), (2, 2), (1, 1), True, False, None),
    ('divisor-override', (1, 1, 5, 5), (2, 3), (1, 2), (1, 1), True, True, 4),
]

ADAPTIVE = [
    ('7to3x5', (2, 2, 7, 9), (3, 5)),
    ('global', (2, 3, 5, 4), (1, 1)),
    ('upsample', (1, 2, 3, 2), (5, 4)),
]


def max_case(cid, dtype, shape, k, s, p, d, ceil, ties):
    r = rng(f'max/{cid}/{dtype}')
    if ties:
        x = torch.tensor(r.randint(-3, 4, size=shape), dtype=DTYPES[dtype])
    else:
        x = normal(r, shape, dtype)
    x.requires_grad_()
    y, idx = F.max_pool2d(x, k, s, p, d, ceil_mode=ceil, return_indices=True)
    gy = normal(r, tuple(y.shape), dtype)
    (y * gy).sum().backward()
    return {
        'id': cid, 'dtype': dtype, 'kernel': list(k), 'stride': list(s), 'padding': list(p), 'dilation': list(d), 'ceilMode': ceil,
        'input': arr(x), 'output': arr(y), 'indices': arr(idx), 'gradOutput': arr(gy), 'gradInput': arr(x.grad),
    }


def avg_case(cid, dtype, shape, k, s, p, ceil, include, divisor):
    r = rng(f'avg/{cid}/{dtype}')
    x = normal(r, shape, dtype).requires_grad_()
    y = F.avg_pool2d(x, k, s, p, ceil_mode=ceil, count_include_pad=include, divisor_override=divisor)
    gy = normal(r, tuple(y.shape), dtype)
    (y * gy).sum().backward()
    return {
        'id': cid, 'dtype': dtype, 'kernel': list(k), 'stride': list(s), 'padding': list(p), 'ceilMode': ceil,
        'countIncludePad': include, 'divisorOverride': divisor,
        'input': arr(x), 'output': arr(y), 'gradOutput': arr(gy), 'gradInput': arr(x.grad),
    }


def adaptive_case(cid, dtype, shape, out):
    r = rng(f'adaptive/{cid}/{dtype}')
    x = normal(r, shape, dtype).requires_grad_()
    y = F.adaptive_avg_pool2d(x, out)
    gy = normal(r, tuple(y.shape), dtype)
    (y * gy).sum().backward()
    return {'id': cid, 'dtype': dtype, 'outputSize': list(out), 'input': arr(x), 'output': arr(y), 'gradOutput': arr(gy), 'gradInput': arr(x.grad)}


def main():
    fixtures = {
        'torch': torch.__version__,
        'conv2d': [conv_case(cid, dt, *dims, **opts) for dt in DTYPES for cid, dims, opts in CONV],
        'convTranspose2d': [conv_t_case(cid, dt, *rest) for dt in DTYPES for cid, *rest in CONV_T],
        'maxPool2d': [max_case(cid, dt, *rest) for dt in DTYPES for cid, *rest in MAX],
        'avgPool2d': [avg_case(cid, dt, *rest) for dt in DTYPES for cid, *rest in AVG],
        'adaptiveAvgPool2d': [adaptive_case(cid, dt, *rest) for dt in DTYPES for cid, *rest in ADAPTIVE],
    }
    with open(OUT, 'w') as f:
        json.dump(fixtures, f, separators=(',', ':'))
        f.write('\n')
    print(f'wrote {OUT} ({os.path.getsize(OUT)} bytes)')


if __name__ == '__main__':
    main()
