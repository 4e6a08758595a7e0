#!/usr/bin/python3
"""PyTorch reference values for @dl/attention's layers.

Writes packages/attention/test/fixtures/attention.json, read by the tests in
packages/attention/test/. The tests never run Python; rerun this script only to
change the fixture:

    /usr/bin/python3 tools/golden_attention.py

Every case is a torch layer built with torch.manual_seed(crc32(id)), converted to
float64, in eval mode (no dropout). Inputs are drawn from numpy RandomState seeded
by crc32 of the id. Gradients are those of (output * gradOutput).sum() with respect
to every parameter (by state-dict key) and every float input. Arrays are
{shape, data}, row-major; bool masks hold 0/1.

  cases: [{id, module ('MultiheadAttention' | 'TransformerEncoderLayer' |
           'TransformerDecoderLayer' | 'RnnPositionalEncoding' (x + proj(nn.RNN(x)), the
           RNN's keys without their 'rnn.' prefix)), args [...], options {dl's option names},
           forward {dl's forward option names -> mask arrays and flags},
           inputs {name: array}, masks {name: {dtype 'bool' | 'float64', shape, data}},
           stateDict {key: array}, output, weights | null, gradOutput,
           grads {key: array}, inputGrads {name: array}}]
"""

import json
import os
import zlib

import numpy as np
import torch
import torch.nn as nn

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, 'packages', 'attention', 'test', 'fixtures', 'attention.json')

torch.set_num_threads(1)


def arr(t):
    t = t.detach()
    if t.dtype == torch.bool:
        return {'shape': list(t.shape), 'data': [int(v) for v in t.reshape(-1).tolist()]}
    return {'shape': list(t.shape), 'data': [float(v) for v in t.double().reshape(-1).tolist()]}


def mask_json(t):
    a = arr(t)
    a['dtype'] = 'bool' if t.dtype == torch.bool else 'float64'
    return a


def rng(case_id):
    return np.random.RandomState(zlib.crc32(case_id.encode()))


def randn(r, *shape):
    return torch.tensor(r.standard_normal(shape), dtype=torch.float64, requires_grad=True)


def run(case_id, module_name, args, options, torch_kwargs, make, inputs, masks, fwd_dl, fwd_torch, returns_weights):
    torch.manual_seed(zlib.crc32(case_id.encode()))
    m = make().double().eval()
    out = m(*inputs.values(), **fwd_torch)
    weights = None
    if returns_weights:
        out, weights = out
    r = rng(case_id + '/grad')
    go = torch.tensor(r.standard_normal(tuple(out.shape)), dtype=torch.float64)
    params = dict(m.named_parameters())
    loss = (out * go).sum()
    loss.backward()
    return {
        'id': case_id,
        'module': module_name,
        'args': args,
        'options': options,
        'forward': fwd_dl,
        'inputs': {k: arr(v) for k, v in inputs.items()},
        'masks': {k: mask_json(v) for k, v in masks.items()},
        'stateDict': {k: arr(v) for k, v in m.state_dict().items()},
        'output': arr(out),
        'weights': None if weights is None else arr(weights),
        'gradOutput': arr(go),
        'grads': {k: arr(p.grad) for k, p in params.items()},
        'inputGrads': {k: arr(v.grad) for k, v in inputs.items()},
    }


cases = []

# MultiheadAttention, self-attention, [L, N, E] layout, key padding mask, averaged weights.
r = rng('mha-padding')
L, N, E, H = 5, 2, 8, 2
x = randn(r, L, N, E)
kpm = torch.tensor([[False] * 5, [False, False, False, True, True]])
cases.append(run('mha-padding', 'MultiheadAttention', [E, H], {}, {},
                 lambda: nn.MultiheadAttention(E, H),
                 {'query': x}, {'keyPaddingMask': kpm},
                 {'keyPaddingMask': 'keyPaddingMask', 'self': True}, {'key': x, 'value': x, 'key_padding_mask': kpm},
                 True))

# Batch first, causal boolean mask, per-head weights.
r = rng('mha-causal')
x = randn(r, 2, 6, E)
causal = torch.triu(torch.ones(6, 6, dtype=torch.bool), 1)
cases.append(run('mha-causal', 'MultiheadAttention', [E, 4], {'batchFirst': True}, {},
                 lambda: nn.MultiheadAttention(E, 4, batch_first=True),
                 {'query': x}, {'attnMask': causal},
                 {'attnMask': 'attnMask', 'averageAttnWeights': False, 'self': True},
                 {'key': x, 'value': x, 'attn_mask': causal, 'average_attn_weights': False}, True))

# Cross-attention with kdim/vdim, float additive mask, no bias.
r = rng('mha-kdim-vdim')
q = randn(r, 3, 2, E)
k = randn(r, 4, 2, 6)
v = randn(r, 4, 2, 5)
fmask = torch.tensor(r.standard_normal((3, 4)), dtype=torch.float64)
cases.append(run('mha-kdim-vdim', 'MultiheadAttention', [E, 2], {'kdim': 6, 'vdim': 5}, {},
                 lambda: nn.MultiheadAttention(E, 2, kdim=6, vdim=5),
                 {'query': q, 'key': k, 'value': v}, {'attnMask': fmask},
                 {'attnMask': 'attnMask'}, {'attn_mask': fmask}, True))

# Encoder layers: post-norm ReLU with padding, pre-norm GELU causal.
for norm_first, act in [(False, 'relu'), (True, 'gelu')]:
    cid = f'encoder-{"pre" if norm_first else "post"}-{act}'
    r = rng(cid)
    x = randn(r, 2, 5, E)
    if norm_first:
        masks = {'srcMask': torch.triu(torch.ones(5, 5, dtype=torch.bool), 1)}
        fwd_dl = {'srcMask': 'srcMask'}
        fwd_t = {'src_mask': masks['srcMask']}
    else:
        masks = {'srcKeyPaddingMask': torch.tensor([[False] * 5, [False, False, False, False, True]])}
        fwd_dl = {'srcKeyPaddingMask': 'srcKeyPaddingMask'}
        fwd_t = {'src_key_padding_mask': masks['srcKeyPaddingMask']}
    cases.append(run(cid, 'TransformerEncoderLayer', [E, 2],
                     {'dimFeedforward': 16, 'dropout': 0.0, 'activation': act, 'batchFirst': True, 'normFirst': norm_first}, {},
                     lambda: nn.TransformerEncoderLayer(E, 2, dim_feedforward=16, dropout=0.0, activation=act, batch_first=True, norm_first=norm_first),
                     {'src': x}, masks, fwd_dl, fwd_t, False))

# Decoder layers: both norm orders, causal target mask, memory padding.
for norm_first in [False, True]:
    cid = f'decoder-{"pre" if norm_first else "post"}'
    r = rng(cid)
    tgt = randn(r, 4, 2, E)
    mem = randn(r, 6, 2, E)
    masks = {'tgtMask': torch.triu(torch.ones(4, 4, dtype=torch.bool), 1),
             'memoryKeyPaddingMask': torch.tensor([[False] * 6, [False] * 4 + [True] * 2])}
    cases.append(run(cid, 'TransformerDecoderLayer', [E, 2],
                     {'dimFeedforward': 16, 'dropout': 0.0, 'normFirst': norm_first}, {},
                     lambda: nn.TransformerDecoderLayer(E, 2, dim_feedforward=16, dropout=0.0, norm_first=norm_first),
                     {'tgt': tgt, 'memory': mem}, masks,
                     {'tgtMask': 'tgtMask', 'memoryKeyPaddingMask': 'memoryKeyPaddingMask'},
                     {'tgt_mask': masks['tgtMask'], 'memory_key_padding_mask': masks['memoryKeyPaddingMask']}, False))

# RNN-based positional encoding: x + proj(RNN(x)), with torch.nn.RNN (tanh) supplying the recurrence.
class RnnEncoding(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.rnn = nn.RNN(d, h, batch_first=True)
        self.proj = nn.Linear(h, d)

    def forward(self, x):
        return x + self.proj(self.rnn(x)[0])


r = rng('rnn-encoding')
x = randn(r, 2, 5, 4)
rnn_case = run('rnn-encoding', 'RnnPositionalEncoding', [4], {'hiddenSize': 3}, {},
               lambda: RnnEncoding(4, 3), {'x': x}, {}, {}, {}, False)
# dl's module holds the RNN's tensors at its top level (no 'rnn.' prefix).
for key in ('stateDict', 'grads'):
    rnn_case[key] = {k.replace('rnn.', ''): v for k, v in rnn_case[key].items()}
cases.append(rnn_case)

os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, 'w') as f:
    json.dump({'torch': torch.__version__, 'cases': cases}, f, separators=(',', ':'))
print(f'wrote {len(cases)} cases to {OUT}')
