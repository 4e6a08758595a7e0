#!/usr/bin/python3
"""torchvision models run by PyTorch, for @dl/cnn's architecture builders.

Writes packages/cnn/test/models/fixtures/torchvision-models.json and
torchvision-models.safetensors, read by packages/cnn/test/models/torchvision.test.ts.
The tests never run Python; rerun this script only to change the fixtures:

    /usr/bin/python3 tools/golden_cnn_models.py

For torchvision 0.14's resnet18, resnet50, vgg11, alexnet and googlenet (with its
auxiliary heads, dropout 0 so training-mode outputs are deterministic) it records the
state-dict keys and shapes, in torchvision's order, and the outputs on one input.

The weights are not stored: ResNet-18 alone is 45 MB and VGG-11 530 MB. Every tensor
is instead filled from a closed-form formula that the test reproduces bit for bit in
TypeScript (integer hashing, then float64 arithmetic in a fixed order, then one
rounding to float32):

  tensor j (0-based position in the state dict), element i (row-major):
    x = (i + 0x9E3779B9·(j + 1)) mod 2³²
    x ^= x >> 16;  x = x·0x7feb352d mod 2³²;  x ^= x >> 15;  x = x·0x846ca68b mod 2³²;  x ^= x >> 16
    u = x / 2³²                                   (in [0, 1), exact in float64)
    value = float32((2u − 1)·s + c)  with (s, c) by the key's last part and the rank:
      running_var              s = 0.5,  c = 1      (in [0.5, 1.5))
      running_mean             s = 0.1,  c = 0
      weight of rank 1 (BN γ)  s = 0.25, c = 1
      bias                     s = 0.1,  c = 0
      weight of rank ≥ 2       s = √(6 / fanIn), c = 0, fanIn = shape[1]·shape[2]·…  (He-uniform:
                               activations keep their scale through the ReLU layers)
      num_batches_tracked      0
  (x ^= x >> k is lowbias32 by C. Wellons: every output bit depends on every input bit.)

Layout of the JSON:
  formula: the lines above, in short;  torch, torchvision: versions
  input: name of the input tensor in the safetensors file ([2, 3, 64, 64], randn, seed SEED)
  counts: torchvision's published parameter counts (Weights.meta['num_params']) by builder name
  models: {name: {builder (the torchvision call), keys: [[key, shape]], params,
                  outputs: {tag: safetensors name}}}
The safetensors file holds `input` and every output, named `<model>.<tag>` (torch in float32)
and `<model>.<tag>.f64` (the same network and input in float64, the reference):
  eval                        model.eval()(input)
  train, train.aux1, train.aux2 (googlenet) the training-mode forward (batch statistics); aux1 is the
                              head on inception4a, aux2 on 4d, read from the heads by forward hooks
                              (torchvision 0.14's GoogLeNetOutputs names them the other way round)
  after_train.<key>           (resnet18) buffers after that training-mode forward (float32 only)
"""

import copy
import json
import math
import os
import sys

import numpy as np
import torch
import torchvision
import torchvision.models as tvm

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from safetensors_fixture import save as save_safetensors  # noqa: E402

SEED = 20261202
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, 'packages', 'cnn', 'test', 'models', 'fixtures')
BASE = 'torchvision-models'

torch.set_num_threads(1)

M32 = 0xFFFFFFFF


def hash_unit(n, j):
    """u in [0, 1) for elements 0..n-1 of tensor j (see the module docstring)."""
    x = np.arange(n, dtype=np.uint32) + np.uint32((0x9E3779B9 * (j + 1)) & M32)
    x ^= x >> np.uint32(16)
    x *= np.uint32(0x7FEB352D)
    x ^= x >> np.uint32(15)
    x *= np.uint32(0x846CA68B)
    x ^= x >> np.uint32(16)
    return x.astype(np.float64) / 4294967296.0


def scale_shift(key, shape):
    last = key.rsplit('.', 1)[-1]
    if last == 'running_var':
        return 0.5, 1.0
    if last == 'running_mean':
        return 0.1, 0.0
    if last == 'bias':
        return 0.1, 0.0
    if last == 'weight' and len(shape) == 1:
        return 0.25, 1.0
    if last == 'weight':
        return math.sqrt(6.0 / math.prod(shape[1:])), 0.0
    raise ValueError(f'no formula for {key} {shape}')


def fill_(model):
    with torch.no_grad():
        for j, (key, t) in enumerate(model.state_dict().items()):
            if key.endswith('num_batches_tracked'):
                t.zero_()
                continue
            s, c = scale_shift(key, tuple(t.shape))
            u = hash_unit(t.numel(), j)
            v = ((2.0 * u - 1.0) * s + c).astype(np.float32)
            t.copy_(torch.from_numpy(v).view(t.shape))


def manifest(model):
    return [[k, list(v.shape)] for k, v in model.state_dict().items()]


def main():
    os.makedirs(FIXTURES, exist_ok=True)
    g = torch.Generator().manual_seed(SEED)
    x = torch.randn(2, 3, 64, 64, generator=g)
    tensors = {'input': x}
    models = {}

    def record(name, builder, model, train=False):
        fill_(model)
        entry = {'builder': builder, 'keys': manifest(model), 'params': sum(p.numel() for p in model.parameters()), 'outputs': {}}
        # The same network in float64: the reference both float32 runs (torch's and dl's) are measured against.
        model64 = copy.deepcopy(model).double()

        def put(tag, t, t64):
            tensors[f'{name}.{tag}'] = t.detach().float().contiguous()
            tensors[f'{name}.{tag}.f64'] = t64.detach().contiguous()
            entry['outputs'][tag] = f'{name}.{tag}'

        def run(m, inp):
            heads = {}
            hooks = [getattr(m, h).register_forward_hook(lambda _m, _i, o, h=h: heads.__setitem__(h, o))
                     for h in ('aux1', 'aux2') if getattr(m, h, None) is not None]
            with torch.no_grad():
                out = m(inp)
            for hook in hooks:
                hook.remove()
            if isinstance(out, tuple):
                # Taken from the heads themselves: torchvision 0.14's GoogLeNetOutputs swaps them
                # (its aux_logits1 holds self.aux2's output, on 4d, and aux_logits2 self.aux1's).
                return {'train': out.logits, 'train.aux1': heads['aux1'], 'train.aux2': heads['aux2']}
            return {'train' if m.training else 'eval': out}

        for mode in ['eval', 'train'] if train else ['eval']:
            model.train(mode == 'train')
            model64.train(mode == 'train')
            outs, outs64 = run(model, x), run(model64, x.double())
            for tag in outs:
                put(tag, outs[tag], outs64[tag])
        models[name] = entry
        return model

    torch.manual_seed(SEED)
    r18 = record('resnet18', 'torchvision.models.resnet18()', tvm.resnet18(), train=True)
    for key in ['bn1.running_mean', 'bn1.running_var', 'layer4.1.bn2.running_mean', 'layer4.1.bn2.running_var']:
        tensors[f'resnet18.after_train.{key}'] = r18.state_dict()[key].detach().clone()
        models['resnet18']['outputs'][f'after_train.{key}'] = f'resnet18.after_train.{key}'
    record('resnet50', 'torchvision.models.resnet50()', tvm.resnet50())
    record('vgg11', 'torchvision.models.vgg11()', tvm.vgg11())
    record('alexnet', 'torchvision.models.alexnet()', tvm.alexnet())
    record('googlenet', 'torchvision.models.googlenet(aux_logits=True, init_weights=False, dropout=0.0, dropout_aux=0.0)',
           tvm.googlenet(aux_logits=True, init_weights=False, dropout=0.0, dropout_aux=0.0), train=True)

    counts = {}
    for name, weights in [
        ('alexnet', tvm.AlexNet_Weights), ('vgg11', tvm.VGG11_Weights), ('vgg11_bn', tvm.VGG11_BN_Weights),
        ('vgg13', tvm.VGG13_Weights), ('vgg13_bn', tvm.VGG13_BN_Weights), ('vgg16', tvm.VGG16_Weights),
        ('vgg16_bn', tvm.VGG16_BN_Weights), ('vgg19', tvm.VGG19_Weights), ('vgg19_bn', tvm.VGG19_BN_Weights),
        ('googlenet', tvm.GoogLeNet_Weights), ('resnet18', tvm.ResNet18_Weights), ('resnet34', tvm.ResNet34_Weights),
        ('resnet50', tvm.ResNet50_Weights), ('resnet101', tvm.ResNet101_Weights), ('resnet152', tvm.ResNet152_Weights),
    ]:
        counts[name] = weights.IMAGENET1K_V1.meta['num_params']

    doc = {
        'formula': 'tensor j, element i: x = lowbias32((i + 0x9E3779B9*(j+1)) mod 2^32); u = x/2^32; '
                   'value = float32((2u-1)*s + c); running_var (0.5, 1), running_mean (0.1, 0), bias (0.1, 0), '
                   'rank-1 weight (0.25, 1), weight sqrt(6/fanIn), 0; num_batches_tracked 0',
        'torch': torch.__version__,
        'torchvision': torchvision.__version__,
        'input': 'input',
        'counts': counts,
        'models': models,
    }
    with open(os.path.join(FIXTURES, BASE + '.json'), 'w') as f:
        json.dump(doc, f, indent=1)
        f.write('\n')
    with open(os.path.join(FIXTURES, BASE + '.safetensors'), 'wb') as f:
        f.write(save_safetensors(tensors, {'source': 'tools/golden_cnn_models.py'}))
    for name, m in models.items():
        print(f"{name}: {len(m['keys'])} keys, {m['params']:,} parameters, outputs {', '.join(m['outputs'])}")


if __name__ == '__main__':
    main()
