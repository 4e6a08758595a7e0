#!/usr/bin/python3
"""PyTorch reference values for @dl/rnn's sequence layers and cells.

Writes packages/rnn/test/fixtures/rnn-golden.json, read by packages/rnn/test/modules/golden.test.ts.
The tests never run Python; rerun this script only to change the fixture:

    /usr/bin/python3 tools/golden_rnn.py

Every case is computed in float64 and in float32 from the same draws (float64, rounded
to float32 for the float32 case). Arrays are {shape, data}, row-major.

  layers: [{id, dtype, module ('RNN' | 'GRU' | 'LSTM'), args [inputSize, hiddenSize],
            options (dl's names: numLayers, bias, batchFirst, bidirectional, nonlinearity,
            projSize), lengths | null, stateDict {torch key: array}, x, h0, c0 | null,
            gradOutput, gradH, gradC | null, output, h, c | null,
            grads {x, h0, c0?, <every parameter key>}}]
           The loss is sum(output * gradOutput) + sum(h_n * gradH) (+ sum(c_n * gradC)).
           With lengths, torch runs pack_padded_sequence(enforce_sorted=False) and
           pad_packed_sequence(total_length=T): outputs at padded steps are 0.
  cells:   [{id, dtype, module ('RNNCell' | 'GRUCell' | 'LSTMCell'), args, options, stateDict,
            x, h0, c0 | null, gradH, gradC | null, h, c | null, grads {...}}]

Deterministic: each case draws from numpy RandomState seeded by crc32 of its id.
"""

import json
import os
import zlib

import numpy as np
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, 'packages', 'rnn', 'test', 'fixtures', 'rnn-golden.json')
torch.set_num_threads(1)
DTYPES = {'float64': torch.float64, 'float32': torch.float32}


def rng(name):
    return np.random.RandomState(zlib.crc32(name.encode()) % 2**32)


def arr(t):
    t = torch.as_tensor(t).detach().to(torch.float64)
    return {'shape': list(t.shape), 'data': [float(v) for v in t.reshape(-1).tolist()]}


def layer_case(cid, module, inp, hid, opts, T, B, lengths):
    r = rng(cid)
    L = opts.get('numLayers', 1)
    D = 2 if opts.get('bidirectional', False) else 1
    proj = opts.get('projSize', 0)
    hout = proj if proj > 0 else hid
    torch_kw = dict(num_layers=L, bias=opts.get('bias', True), batch_first=opts.get('batchFirst', False), bidirectional=D == 2)
    if module == 'RNN':
        torch_kw['nonlinearity'] = opts.get('nonlinearity', 'tanh')
    if module == 'LSTM' and proj:
        torch_kw['proj_size'] = proj
    proto = getattr(nn, module)(inp, hid, **torch_kw)
    sd = {k: r.uniform(-0.6, 0.6, size=tuple(v.shape)) for k, v in proto.state_dict().items()}
    bf = opts.get('batchFirst', False)
    xshape = (B, T, inp) if bf else (T, B, inp)
    x64 = r.randn(*xshape)
    h064 = r.randn(L * D, B, hout) * 0.5
    c064 = r.randn(L * D, B, hid) * 0.5 if module == 'LSTM' else None
    gout64 = r.randn(*((B, T, D * hout) if bf else (T, B, D * hout)))
    gh64 = r.randn(L * D, B, hout)
    gc64 = r.randn(L * D, B, hid) if module == 'LSTM' else None
    cases = []
    for name, dt in DTYPES.items():
        m = getattr(nn, module)(inp, hid, **torch_kw).to(dt)
        m.load_state_dict({k: torch.tensor(v, dtype=dt) for k, v in sd.items()})
        x = torch.tensor(x64, dtype=dt, requires_grad=True)
        h0 = torch.tensor(h064, dtype=dt, requires_grad=True)
        c0 = torch.tensor(c064, dtype=dt, requires_grad=True) if c064 is not None else None
        state = (h0, c0) if module == 'LSTM' else h0
        if lengths is not None:
            packed = pack_padded_sequence(x, torch.tensor(lengths), batch_first=bf, enforce_sorted=False)
            out_p, st = m(packed, state)
            out, _ = pad_packed_sequence(out_p, batch_first=bf, total_length=T)
        else:
            out, st = m(x, state)
        hn, cn = (st if module == 'LSTM' else (st, None))
        loss = (out * torch.tensor(gout64, dtype=dt)).sum() + (hn * torch.tensor(gh64, dtype=dt)).sum()
        if cn is not None:
            loss = loss + (cn * torch.tensor(gc64, dtype=dt)).sum()
        loss.backward()
        grads = {'x': arr(x.grad), 'h0': arr(h0.grad)}
        if c0 is not None:
            grads['c0'] = arr(c0.grad)
        for k, p in m.named_parameters():
            grads[k] = arr(p.grad)
        cases.append({
            'id': cid, 'dtype': name, 'module': module, 'args': [inp, hid], 'options': opts,
            'lengths': lengths, 'stateDict': {k: arr(torch.tensor(v, dtype=dt)) for k, v in sd.items()},
            'x': arr(x), 'h0': arr(h0), 'c0': arr(c0) if c0 is not None else None,
            'gradOutput': arr(torch.tensor(gout64, dtype=dt)), 'gradH': arr(torch.tensor(gh64, dtype=dt)),
            'gradC': arr(torch.tensor(gc64, dtype=dt)) if gc64 is not None else None,
            'output': arr(out), 'h': arr(hn), 'c': arr(cn) if cn is not None else None, 'grads': grads,
        })
    return cases


def cell_case(cid, module, inp, hid, opts, B):
    r = rng(cid)
    kw = {'bias': opts.get('bias', True)}
    if module == 'RNNCell':
        kw['nonlinearity'] = opts.get('nonlinearity', 'tanh')
    proto = getattr(nn, module)(inp, hid, **kw)
    sd = {k: r.uniform(-0.6, 0.6, size=tuple(v.shape)) for k, v in proto.state_dict().items()}
    x64 = r.randn(B, inp)
    h064 = r.randn(B, hid) * 0.5
    c064 = r.randn(B, hid) * 0.5 if module == 'LSTMCell' else None
    gh64 = r.randn(B, hid)
    gc64 = r.randn(B, hid) if module == 'LSTMCell' else None
    cases = []
    for name, dt in DTYPES.items():
        m = getattr(nn, module)(inp, hid, **kw).to(dt)
        m.load_state_dict({k: torch.tensor(v, dtype=dt) for k, v in sd.items()})
        x = torch.tensor(x64, dtype=dt, requires_grad=True)
        h0 = torch.tensor(h064, dtype=dt, requires_grad=True)
        c0 = torch.tensor(c064, dtype=dt, requires_grad=True) if c064 is not None else None
        if module == 'LSTMCell':
            h, c = m(x, (h0, c0))
        else:
            h, c = m(x, h0), None
        loss = (h * torch.tensor(gh64, dtype=dt)).sum()
        if c is not None:
            loss = loss + (c * torch.tensor(gc64, dtype=dt)).sum()
        loss.backward()
        grads = {'x': arr(x.grad), 'h0': arr(h0.grad)}
        if c0 is not None:
            grads['c0'] = arr(c0.grad)
        for k, p in m.named_parameters():
            grads[k] = arr(p.grad)
        cases.append({
            'id': cid, 'dtype': name, 'module': module, 'args': [inp, hid], 'options': opts,
            'stateDict': {k: arr(torch.tensor(v, dtype=dt)) for k, v in sd.items()},
            'x': arr(x), 'h0': arr(h0), 'c0': arr(c0) if c0 is not None else None,
            'gradH': arr(torch.tensor(gh64, dtype=dt)), 'gradC': arr(torch.tensor(gc64, dtype=dt)) if gc64 is not None else None,
            'h': arr(h), 'c': arr(c) if c is not None else None, 'grads': grads,
        })
    return cases


def main():
    layers = []
    T, B = 5, 3
    L2 = {'numLayers': 2, 'bidirectional': True}
    specs = [
        ('rnn-tanh-2layer-bidir', 'RNN', 4, 6, dict(L2), None),
        ('rnn-relu-batchfirst', 'RNN', 4, 6, {'nonlinearity': 'relu', 'batchFirst': True}, None),
        ('rnn-tanh-packed-bidir', 'RNN', 4, 6, dict(L2), [5, 2, 4]),
        ('gru-2layer-bidir', 'GRU', 4, 6, dict(L2), None),
        ('gru-batchfirst-nobias', 'GRU', 4, 6, {'batchFirst': True, 'bias': False}, None),
        ('gru-packed-bidir-batchfirst', 'GRU', 4, 6, {**L2, 'batchFirst': True}, [3, 5, 1]),
        ('lstm-2layer-bidir', 'LSTM', 4, 6, dict(L2), None),
        ('lstm-batchfirst', 'LSTM', 4, 6, {'batchFirst': True}, None),
        ('lstm-proj-2layer-bidir', 'LSTM', 4, 6, {**L2, 'projSize': 3}, None),
        ('lstm-packed-bidir', 'LSTM', 4, 6, dict(L2), [2, 5, 3]),
        ('lstm-proj-packed-batchfirst', 'LSTM', 4, 6, {'numLayers': 2, 'projSize': 3, 'batchFirst': True}, [4, 1, 5]),
    ]
    for cid, module, inp, hid, opts, lengths in specs:
        layers += layer_case(cid, module, inp, hid, opts, T, B, lengths)
    cells = []
    cells += cell_case('rnncell-tanh', 'RNNCell', 4, 5, {}, 3)
    cells += cell_case('rnncell-relu', 'RNNCell', 4, 5, {'nonlinearity': 'relu'}, 3)
    cells += cell_case('grucell', 'GRUCell', 4, 5, {}, 3)
    cells += cell_case('lstmcell', 'LSTMCell', 4, 5, {}, 3)
    cells += cell_case('lstmcell-nobias', 'LSTMCell', 4, 5, {'bias': False}, 3)
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w') as f:
        json.dump({'torch': torch.__version__, 'layers': layers, 'cells': cells}, f, separators=(',', ':'))
    print(f'wrote {OUT}: {len(layers)} layer cases, {len(cells)} cell cases')


if __name__ == '__main__':
    main()
