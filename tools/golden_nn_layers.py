#!/usr/bin/python3
"""PyTorch reference values for @dl/tensor's layers: BatchNorm, Dropout, LayerNorm, Embedding,
and state dicts of models using them (ModuleList / ModuleDict keys).

Writes packages/tensor/test/fixtures/nn-layers.json and three safetensors files next to it,
read by packages/tensor/test/nn/{batch-norm-layers,dropout,layer-norm,embedding,containers}.test.ts.
The tests never run Python; rerun this script only to change the fixtures:

    /usr/bin/python3 tools/golden_nn_layers.py

Layout of the JSON (every array is {shape, data} in row-major order; int arrays hold ints):
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
  bnStateDict: [{id, file, keys, input, output}]: a PyTorch model holding batch norm,
              trained for 3 steps, its state_dict() written with torch's own key names to
              <file> (safetensors, num_batches_tracked as I64), and its eval output on `input`.
  layerNorm: [{id, dtype, normalizedShape, eps, weight | null, bias | null, input,
               gradOutput, output, gradInput, gradWeight?, gradBias?}]
      y = F.layer_norm(input, normalizedShape, weight, bias, eps); gradients of
      (y * gradOutput).sum(). torch 1.13's nn.LayerNorm has no `bias` argument, so
      the weight-without-bias case calls F.layer_norm with bias=None (what
      nn.LayerNorm(bias=False) does in torch ≥ 2.1).
  embedding: [{id, numEmbeddings, embeddingDim, paddingIdx | null (as passed; may be negative),
               paddingIdxNormalized (torch's, ≥ 0), maxNorm | null, normType,
               weight (before), indices (int), gradOutput, output, weightAfter (after the
               forward: max_norm renormalizes the looked-up rows in place), gradWeight}]
  stateDict: {file, keys, config, input (int tokens), outputTag, outputScore}: EmbedNormNet below
              (Embedding + ModuleList of Linear/LayerNorm + ModuleDict of heads), its
              state_dict() written to <file>, and its outputs on `input` through each head.

Deterministic: each section draws from its own numpy RandomState (seeded by SEED and the
section's name), torch single-threaded with a fixed seed; float64 values are written with
Python's repr so both sides read the same doubles. Float32 cases store the float32 values
torch used (exactly representable as doubles).
"""

import json
import os
import sys
import zlib

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from safetensors_fixture import save as save_safetensors  # noqa: E402

SEED = 1234
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, 'packages', 'tensor', 'test', 'fixtures')
OUT = os.path.join(FIXTURES, 'nn-layers.json')

torch.set_num_threads(1)


def section_rng(name):
    torch.manual_seed(SEED + zlib.crc32(name.encode()) % 100000)
    return np.random.RandomState((SEED + zlib.crc32(name.encode())) % 2**32)


def arr(t):
    t = torch.as_tensor(t).detach()
    if t.dtype in (torch.int64, torch.int32):
        return {'shape': list(t.shape), 'data': [int(v) for v in t.reshape(-1).tolist()]}
    return {'shape': list(t.shape), 'data': [float(v) for v in t.to(torch.float64).reshape(-1).tolist()]}


def dtype_name(dtype):
    return 'float64' if dtype == torch.float64 else 'float32'


# ---- BatchNorm1d / BatchNorm2d: forward, backward, running statistics over train steps and an eval step
rng = section_rng('batchNorm')


def randn(*shape, scale=1.0, shift=0.0):
    return torch.tensor(rng.randn(*shape) * scale + shift)


def bn_case(id_, cls, num_features, shapes_modes, dtype=torch.float64, **options):
    m = cls(num_features, **options).to(dtype)
    case = {
        'id': id_,
        'module': cls.__name__,
        'numFeatures': num_features,
        'dtype': dtype_name(dtype),
        'options': {'eps': m.eps, 'momentum': m.momentum, 'affine': m.affine, 'trackRunningStats': m.track_running_stats},
        'steps': [],
    }
    if m.affine:
        with torch.no_grad():
            m.weight.copy_(randn(num_features, scale=0.5, shift=1.0))
            m.bias.copy_(randn(num_features, scale=0.5))
        case['init'] = {'weight': arr(m.weight), 'bias': arr(m.bias)}
    for shape, mode in shapes_modes:
        # Off-centre, unequal-scale channels make the statistics matter.
        x = randn(*shape, scale=2.0, shift=0.7).to(dtype)
        g = randn(*shape).to(dtype)
        x_leaf = x.clone().requires_grad_(True)
        m.train(mode == 'train')
        if m.affine:
            m.weight.grad = None
            m.bias.grad = None
        y = m(x_leaf)
        (y * g).sum().backward()
        step = {'mode': mode, 'input': arr(x), 'gradOutput': arr(g), 'output': arr(y), 'gradInput': arr(x_leaf.grad)}
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


def train3_eval(shape):
    return [(shape, 'train'), (shape, 'train'), (shape, 'train'), (shape, 'eval')]


batch_norm = [
    bn_case('bn1d/NC', nn.BatchNorm1d, 4, train3_eval((6, 4))),
    bn_case('bn1d/NCL', nn.BatchNorm1d, 3, train3_eval((4, 3, 5))),
    bn_case('bn2d', nn.BatchNorm2d, 2, train3_eval((3, 2, 4, 5))),
    bn_case('bn2d/momentum0.3/eps1e-3', nn.BatchNorm2d, 3, train3_eval((2, 3, 3, 3)), momentum=0.3, eps=1e-3),
    bn_case('bn1d/cumulative', nn.BatchNorm1d, 3, train3_eval((5, 3)), momentum=None),
    bn_case('bn2d/noAffine', nn.BatchNorm2d, 2, train3_eval((3, 2, 3, 4)), affine=False),
    bn_case('bn1d/noTrack', nn.BatchNorm1d, 3, [((5, 3), 'train'), ((5, 3), 'eval')], track_running_stats=False),
    bn_case('bn2d/float32', nn.BatchNorm2d, 3, train3_eval((4, 3, 5, 5)), dtype=torch.float32),
]


def bn_state_dict_case(id_, model, input_shape, file):
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
    with open(os.path.join(FIXTURES, file), 'wb') as f:
        f.write(save_safetensors(state))
    return {'id': id_, 'file': file, 'keys': list(state.keys()), 'input': arr(x), 'output': arr(y)}


bn_state_dict = [
    bn_state_dict_case('mlp-bn1d', nn.Sequential(nn.Linear(5, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 3)), (6, 5),
                       'torch-bn1d-mlp.safetensors'),
    bn_state_dict_case('bn2d', nn.Sequential(nn.BatchNorm2d(3, momentum=0.3)), (2, 3, 4, 4), 'torch-bn2d.safetensors'),
]

# ---- dropout: torch's convention (inverted scaling by 1/(1-p), identity in eval)
rng = section_rng('dropout')
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

# ---- LayerNorm: forward and the gradients of input, weight and bias
rng = section_rng('layerNorm')


def ln_case(id_, input_shape, normalized_shape, dtype=torch.float64, eps=1e-5, weight=True, bias=True, scale=1.5, shift=0.4):
    x = randn(*input_shape, scale=scale, shift=shift).to(dtype)
    g = randn(*input_shape).to(dtype)
    w = randn(*normalized_shape, scale=0.5, shift=1.0).to(dtype) if weight else None
    b = randn(*normalized_shape, scale=0.5).to(dtype) if bias else None
    leaves = [t.clone().requires_grad_(True) if t is not None else None for t in (x, w, b)]
    y = F.layer_norm(leaves[0], list(normalized_shape), leaves[1], leaves[2], eps)
    (y * g).sum().backward()
    case = {
        'id': id_,
        'dtype': dtype_name(dtype),
        'normalizedShape': list(normalized_shape),
        'eps': eps,
        'weight': arr(w) if w is not None else None,
        'bias': arr(b) if b is not None else None,
        'input': arr(x),
        'gradOutput': arr(g),
        'output': arr(y),
        'gradInput': arr(leaves[0].grad),
    }
    if w is not None:
        case['gradWeight'] = arr(leaves[1].grad)
    if b is not None:
        case['gradBias'] = arr(leaves[2].grad)
    return case


layer_norm = [
    ln_case('ln/[4,5]/last', (4, 5), (5,)),
    ln_case('ln/[2,3,4,6]/last2', (2, 3, 4, 6), (4, 6), eps=1e-3, shift=3.0),
    ln_case('ln/[3,2,5]/all/noAffine', (3, 2, 5), (3, 2, 5), weight=False, bias=False),
    ln_case('ln/[5,7]/weightNoBias', (5, 7), (7,), bias=False),
    ln_case('ln/float32/[8,16]', (8, 16), (16,), dtype=torch.float32),
    ln_case('ln/float32/[2,4,3,8]/last2', (2, 4, 3, 8), (3, 8), dtype=torch.float32, shift=2.0),
]

# ---- Embedding: lookup, weight gradient, padding_idx, max_norm renormalization
rng = section_rng('embedding')


def emb_case(id_, num, dim, indices, padding_idx=None, max_norm=None, norm_type=2.0, weight_scale=1.0):
    m = nn.Embedding(num, dim, padding_idx=padding_idx, max_norm=max_norm, norm_type=norm_type).double()
    with torch.no_grad():
        m.weight.copy_(randn(num, dim, scale=weight_scale))
        if padding_idx is not None:
            # A non-zero padding row: its lookup returns it, its gradient stays 0.
            m.weight[padding_idx].fill_(0.25)
    before = m.weight.detach().clone()
    idx = torch.tensor(indices, dtype=torch.int64)
    y = m(idx)
    g = randn(*y.shape)
    (y * g).sum().backward()
    return {
        'id': id_,
        'numEmbeddings': num,
        'embeddingDim': dim,
        'paddingIdx': padding_idx,
        'paddingIdxNormalized': m.padding_idx,
        'maxNorm': max_norm,
        'normType': norm_type,
        'weight': arr(before),
        'indices': arr(idx),
        'gradOutput': arr(g),
        'output': arr(y),
        'weightAfter': arr(m.weight),
        'gradWeight': arr(m.weight.grad),
    }


embedding = [
    emb_case('emb/plain/[2,3]', 10, 4, [[1, 3, 3], [0, 9, 2]]),
    emb_case('emb/paddingIdx0/[3,4]', 7, 5, [[0, 1, 2, 0], [3, 0, 6, 6], [5, 4, 0, 1]], padding_idx=0),
    emb_case('emb/paddingIdx-1/[5]', 6, 3, [5, 1, 5, 2, 0], padding_idx=-1),
    emb_case('emb/maxNorm1/[2,4]', 8, 4, [[1, 2, 2, 7], [0, 1, 5, 5]], max_norm=1.0, weight_scale=2.0),
    emb_case('emb/maxNorm1.5/p1/[6]', 5, 3, [4, 0, 4, 3, 1, 0], max_norm=1.5, norm_type=1.0, weight_scale=1.5),
    emb_case('emb/scalarIndex', 4, 3, 2),
]

# ---- a state dict from a model using Embedding, LayerNorm, ModuleList and ModuleDict
rng = section_rng('stateDict')


class EmbedNormNet(nn.Module):
    """tokens [B, T] → embed → (Linear, tanh, LayerNorm) × 2 → heads[which] → [B, T, out]."""

    def __init__(self, vocab, dim, out):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim, padding_idx=0)
        self.blocks = nn.ModuleList([nn.Linear(dim, dim), nn.Linear(dim, dim)])
        self.norms = nn.ModuleList([nn.LayerNorm(dim), nn.LayerNorm(dim, elementwise_affine=False)])
        self.heads = nn.ModuleDict({'tag': nn.Linear(dim, out), 'score': nn.Linear(dim, 1)})
        self.final_norm = nn.LayerNorm([dim])

    def forward(self, tokens, which):
        h = self.embed(tokens)
        for lin, norm in zip(self.blocks, self.norms):
            h = norm(torch.tanh(lin(h)))
        return self.heads[which](self.final_norm(h))


net = EmbedNormNet(12, 6, 4).float()
with torch.no_grad():
    for name, p_ in net.named_parameters():
        p_.copy_(randn(*p_.shape, scale=0.5, shift=1.0 if 'norm' in name and name.endswith('weight') else 0.0))
tokens = torch.tensor(rng.randint(0, 12, size=(3, 5)), dtype=torch.int64)
tokens[0, 4] = 0  # a padding token
with torch.no_grad():
    out_tag = net(tokens, 'tag')
    out_score = net(tokens, 'score')
state = {k: v.detach().clone() for k, v in net.state_dict().items()}
STATE_FILE = 'torch-embed-norm-net.safetensors'
with open(os.path.join(FIXTURES, STATE_FILE), 'wb') as f:
    f.write(save_safetensors(state))
state_dict = {
    'file': STATE_FILE,
    'keys': list(state.keys()),
    'config': {'vocab': 12, 'dim': 6, 'out': 4},
    'input': arr(tokens),
    'outputTag': arr(out_tag),
    'outputScore': arr(out_score),
}

os.makedirs(FIXTURES, exist_ok=True)
with open(OUT, 'w') as f:
    json.dump({'seed': SEED, 'batchNorm': batch_norm, 'bnStateDict': bn_state_dict, 'dropout': dropout,
               'layerNorm': layer_norm, 'embedding': embedding, 'stateDict': state_dict}, f)
print(f'wrote {OUT} ({os.path.getsize(OUT)} bytes)')
