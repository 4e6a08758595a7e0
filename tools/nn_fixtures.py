#!/usr/bin/python3
"""PyTorch reference values for @dl/tensor's nn basics: losses, Linear, activations.

Writes packages/tensor/test/fixtures/nn-losses.json, read by
packages/tensor/test/nn/losses.test.ts, linear.test.ts and activations.test.ts,
which recompute every case with dl in float64 and compare to 1e-10. The tests
never run Python; rerun this script only to change the fixture:

    /usr/bin/python3 tools/nn_fixtures.py

Layout of the JSON:
  tensors:     name -> {dtype: 'float64' | 'int32', shape, data (row-major)}
  losses:      [{id, fn, input, target, options, tensorOptions, expected}] where fn is
               dl's function name, input/target and tensorOptions values name tensors,
               options holds plain values (reduction, labelSmoothing, ignoreIndex, delta)
  linear:      [{id, weight, bias | null, input, expected}]
  activations: [{id, module, args, input, expected}] with dl's class name and
               constructor arguments

Deterministic: numpy RandomState(SEED); values are float64 and written with
Python's repr, so both sides read the same doubles.
"""

import json
import os

import numpy as np
import torch
import torch.nn.functional as F

SEED = 20240607
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, 'packages', 'tensor', 'test', 'fixtures', 'nn-losses.json')
REDUCTIONS = ['mean', 'sum', 'none']

torch.set_num_threads(1)
rng = np.random.RandomState(SEED)
tensors = {}


def put(name, value):
    """Registers a tensor (numpy array or torch tensor) and returns it as a torch tensor."""
    t = torch.as_tensor(np.asarray(value))
    if t.dtype in (torch.int64, torch.int32):
        t = t.to(torch.int64)
        dtype = 'int32'
    else:
        t = t.to(torch.float64)
        dtype = 'float64'
    tensors[name] = {'dtype': dtype, 'shape': list(t.shape), 'data': t.reshape(-1).tolist()}
    return t


def out(t):
    return {'shape': list(t.shape), 'data': t.reshape(-1).tolist()}


# ---- inputs

x43 = put('x43', rng.randn(4, 3) * 1.5)
y43 = put('y43', rng.randn(4, 3))
logits54 = put('logits54', rng.randn(5, 4) * 2)
tgt5 = put('tgt5', np.array([0, 3, 1, 1, 2]))
tgt5_ign = put('tgt5_ign', np.array([0, -100, 1, 3, -100]))
w4 = put('w4', np.array([0.5, 1.5, 1.0, 2.0]))
probs54 = put('probs54', torch.softmax(torch.tensor(rng.randn(5, 4)), 1))
logits_k = put('logits_k', rng.randn(2, 3, 4))
tgt_k = put('tgt_k', np.array([[0, 2, 1, -100], [2, 2, 0, 1]]))
w3 = put('w3', np.array([2.0, 0.5, 1.25]))
probs_k = put('probs_k', torch.softmax(torch.tensor(rng.randn(2, 3, 4)), 1))
logits4 = put('logits4', rng.randn(4))
tgt0 = put('tgt0', np.array(2))
probs4 = put('probs4', torch.softmax(torch.tensor(rng.randn(4)), 0))
logp54 = put('logp54', F.log_softmax(logits54, 1))
logp_k = put('logp_k', F.log_softmax(logits_k, 1))
z43 = rng.randn(4, 3) * 3
z43[0, 0], z43[1, 2], z43[3, 1] = 50.0, -50.0, 0.0  # saturated and zero logits
z43 = put('z43', z43)
t43 = put('t43', rng.rand(4, 3))
hard43 = put('hard43', (rng.rand(4, 3) > 0.5).astype(np.float64))
wb3 = put('wb3', rng.rand(3) + 0.5)
wb43 = put('wb43', rng.rand(4, 3) + 0.5)
pw3 = put('pw3', np.array([0.5, 2.0, 3.0]))
p43 = 1 / (1 + np.exp(-rng.randn(4, 3) * 2))
p43[0, 0], p43[0, 1], p43[2, 2], p43[3, 0] = 0.0, 1.0, 0.0, 1.0  # exercise the log clamp at -100
p43 = put('p43', p43)

losses = []


def case(id_, fn, torch_fn, input_, target, options=None, tensor_options=None):
    options = options or {}
    tensor_options = tensor_options or {}
    for reduction in REDUCTIONS:
        kw = {'reduction': reduction}
        for k, v in options.items():
            kw[{'labelSmoothing': 'label_smoothing', 'ignoreIndex': 'ignore_index', 'delta': 'delta'}[k]] = v
        for k, v in tensor_options.items():
            kw[{'weight': 'weight', 'posWeight': 'pos_weight'}[k]] = globals()[v]
        expected = torch_fn(globals()[input_], globals()[target], **kw)
        losses.append({
            'id': f'{id_}/{reduction}',
            'fn': fn,
            'input': input_,
            'target': target,
            'options': {**options, 'reduction': reduction},
            'tensorOptions': tensor_options,
            'expected': out(expected),
        })


case('mse', 'mseLoss', F.mse_loss, 'x43', 'y43')
case('l1', 'l1Loss', F.l1_loss, 'x43', 'y43')
case('huber/default', 'huberLoss', F.huber_loss, 'x43', 'y43')
case('huber/delta0.5', 'huberLoss', F.huber_loss, 'x43', 'y43', {'delta': 0.5})

ce = F.cross_entropy
case('ce/idx', 'crossEntropy', ce, 'logits54', 'tgt5')
case('ce/idx/weight', 'crossEntropy', ce, 'logits54', 'tgt5', tensor_options={'weight': 'w4'})
case('ce/idx/ls', 'crossEntropy', ce, 'logits54', 'tgt5', {'labelSmoothing': 0.2})
case('ce/idx/weight+ls', 'crossEntropy', ce, 'logits54', 'tgt5', {'labelSmoothing': 0.2}, {'weight': 'w4'})
case('ce/idx/ignore', 'crossEntropy', ce, 'logits54', 'tgt5_ign')
case('ce/idx/ignore+weight', 'crossEntropy', ce, 'logits54', 'tgt5_ign', tensor_options={'weight': 'w4'})
case('ce/idx/ignore+ls', 'crossEntropy', ce, 'logits54', 'tgt5_ign', {'labelSmoothing': 0.15})
case('ce/idx/ignore+weight+ls', 'crossEntropy', ce, 'logits54', 'tgt5_ign', {'labelSmoothing': 0.15}, {'weight': 'w4'})
case('ce/idx/ignoreIndex1', 'crossEntropy', ce, 'logits54', 'tgt5', {'ignoreIndex': 1})
case('ce/idx/ignoreIndex1+weight+ls', 'crossEntropy', ce, 'logits54', 'tgt5', {'ignoreIndex': 1, 'labelSmoothing': 0.3}, {'weight': 'w4'})
case('ce/idx/ls1', 'crossEntropy', ce, 'logits54', 'tgt5', {'labelSmoothing': 1.0}, {'weight': 'w4'})
case('ce/kdim', 'crossEntropy', ce, 'logits_k', 'tgt_k')
case('ce/kdim/weight+ls', 'crossEntropy', ce, 'logits_k', 'tgt_k', {'labelSmoothing': 0.1}, {'weight': 'w3'})
case('ce/prob', 'crossEntropy', ce, 'logits54', 'probs54')
case('ce/prob/weight', 'crossEntropy', ce, 'logits54', 'probs54', tensor_options={'weight': 'w4'})
case('ce/prob/ls', 'crossEntropy', ce, 'logits54', 'probs54', {'labelSmoothing': 0.2})
case('ce/prob/weight+ls', 'crossEntropy', ce, 'logits54', 'probs54', {'labelSmoothing': 0.2}, {'weight': 'w4'})
case('ce/prob/kdim', 'crossEntropy', ce, 'logits_k', 'probs_k')
case('ce/prob/kdim/weight+ls', 'crossEntropy', ce, 'logits_k', 'probs_k', {'labelSmoothing': 0.25}, {'weight': 'w3'})
case('ce/unbatched/idx', 'crossEntropy', ce, 'logits4', 'tgt0')
case('ce/unbatched/idx/weight+ls', 'crossEntropy', ce, 'logits4', 'tgt0', {'labelSmoothing': 0.1}, {'weight': 'w4'})
case('ce/unbatched/prob', 'crossEntropy', ce, 'logits4', 'probs4')

nll = F.nll_loss
case('nll', 'nllLoss', nll, 'logp54', 'tgt5')
case('nll/weight', 'nllLoss', nll, 'logp54', 'tgt5', tensor_options={'weight': 'w4'})
case('nll/ignore+weight', 'nllLoss', nll, 'logp54', 'tgt5_ign', tensor_options={'weight': 'w4'})
case('nll/ignoreIndex3+weight', 'nllLoss', nll, 'logp54', 'tgt5', {'ignoreIndex': 3}, {'weight': 'w4'})
case('nll/kdim/weight', 'nllLoss', nll, 'logp_k', 'tgt_k', tensor_options={'weight': 'w3'})

bcel = F.binary_cross_entropy_with_logits
case('bceLogits', 'binaryCrossEntropyWithLogits', bcel, 'z43', 't43')
case('bceLogits/hard', 'binaryCrossEntropyWithLogits', bcel, 'z43', 'hard43')
case('bceLogits/weight', 'binaryCrossEntropyWithLogits', bcel, 'z43', 't43', tensor_options={'weight': 'wb3'})
case('bceLogits/posWeight', 'binaryCrossEntropyWithLogits', bcel, 'z43', 't43', tensor_options={'posWeight': 'pw3'})
case('bceLogits/weight+posWeight', 'binaryCrossEntropyWithLogits', bcel, 'z43', 'hard43', tensor_options={'weight': 'wb43', 'posWeight': 'pw3'})

bce = F.binary_cross_entropy
case('bce', 'binaryCrossEntropy', bce, 'p43', 't43')
case('bce/hard', 'binaryCrossEntropy', bce, 'p43', 'hard43')
case('bce/weight', 'binaryCrossEntropy', bce, 'p43', 'hard43', tensor_options={'weight': 'wb3'})

# ---- Linear

lin_w = put('lin_w', rng.randn(3, 4))
lin_b = put('lin_b', rng.randn(3))
lin_x2 = put('lin_x2', rng.randn(5, 4))
lin_x3 = put('lin_x3', rng.randn(2, 5, 4))
lin_x1 = put('lin_x1', rng.randn(4))
linear = []
for x_name in ['lin_x2', 'lin_x3', 'lin_x1']:
    for bias in ['lin_b', None]:
        y = F.linear(globals()[x_name], lin_w, globals()[bias] if bias else None)
        linear.append({'id': f'{x_name}/{bias or "nobias"}', 'weight': 'lin_w', 'bias': bias, 'input': x_name, 'expected': out(y)})

# ---- activations (values spread over [-30, 30], including the softplus threshold region)

act_x = put('act_x', np.concatenate([rng.randn(20) * 3, [-30.0, -5.0, -0.5, 0.0, 0.5, 2.4, 2.6, 5.0, 10.1, 30.0]]).reshape(5, 6))
nn = torch.nn
activations = []


def act(id_, module_name, args, torch_module):
    activations.append({'id': id_, 'module': module_name, 'args': args, 'input': 'act_x',
                        'expected': out(torch_module(act_x))})


act('relu', 'ReLU', [], nn.ReLU())
act('leaky0.2', 'LeakyReLU', [0.2], nn.LeakyReLU(0.2))
act('leakyDefault', 'LeakyReLU', [], nn.LeakyReLU())
act('elu0.7', 'ELU', [0.7], nn.ELU(0.7))
act('gelu', 'GELU', [], nn.GELU())
act('geluTanh', 'GELU', ['tanh'], nn.GELU('tanh'))
act('sigmoid', 'Sigmoid', [], nn.Sigmoid())
act('tanh', 'Tanh', [], nn.Tanh())
act('softmax0', 'Softmax', [0], nn.Softmax(0))
act('softmax1', 'Softmax', [1], nn.Softmax(1))
act('logSoftmax1', 'LogSoftmax', [1], nn.LogSoftmax(1))
act('softplus', 'Softplus', [], nn.Softplus())
act('softplus2_5', 'Softplus', [2, 5], nn.Softplus(2, 5))
act('softplus0.5', 'Softplus', [0.5], nn.Softplus(0.5))
act('identity', 'Identity', [], nn.Identity())
act('flatten', 'Flatten', [0], nn.Flatten(0))

os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, 'w') as f:
    json.dump({'seed': SEED, 'torch': torch.__version__, 'tensors': tensors, 'losses': losses,
               'linear': linear, 'activations': activations}, f, indent=1)
    f.write('\n')
print(f'wrote {OUT}: {len(losses)} loss cases, {len(linear)} linear cases, {len(activations)} activation cases')
