#!/usr/bin/python3
"""Golden fixture for a small MLP trained by PyTorch.

Writes packages/autograd/test/fixtures/golden-mlp.json: a 5 -> 7 -> 6 -> 3
multilayer perceptron (Linear, tanh, Linear, relu, Linear), torch.nn.Linear's
default initialization under a fixed seed, a batch of 8 inputs with class-index
targets, and

- float64: the logits, F.cross_entropy (mean) and the gradient of every weight
  and bias;
- float32: the same with parameters and inputs cast to float32 and everything
  computed by torch in float32;
- sgd: the loss before each of 3 steps of plain SGD (torch.optim.SGD, lr 0.1,
  no momentum or weight decay, gradients zeroed between steps) and the float64
  parameters after the third step.

packages/autograd/test/golden-mlp.test.ts rebuilds the network from dl's
functional ops and compares. Regenerate with:

    /usr/bin/python3 tools/golden_mlp.py
"""

import json
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

SEED = 7
SIZES = [5, 7, 6, 3]
BATCH = 8
LR = 0.1
STEPS = 3
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, 'packages', 'autograd', 'test', 'fixtures', 'golden-mlp.json')

torch.set_num_threads(1)


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(SIZES[0], SIZES[1])
        self.fc2 = nn.Linear(SIZES[1], SIZES[2])
        self.fc3 = nn.Linear(SIZES[2], SIZES[3])

    def hidden(self, x):
        """The pre-activation of the relu layer (checked to stay clear of its kink)."""
        return self.fc2(torch.tanh(self.fc1(x)))

    def forward(self, x):
        return self.fc3(F.relu(self.hidden(x)))


def arr(t):
    return {'shape': list(t.shape), 'data': [float(v) for v in t.detach().reshape(-1).tolist()]}


def arr32(t):
    # Shortest decimal that reads back as the same float32.
    return {'shape': list(t.shape), 'data': [float(repr(np.float32(v))) for v in t.detach().reshape(-1).numpy()]}


def forward_backward(model, x, y, fmt):
    model.zero_grad()
    logits = model(x)
    loss = F.cross_entropy(logits, y)
    loss.backward()
    margin = model.hidden(x).abs().min().item()
    assert margin > 1e-3, f'a relu pre-activation is {margin:.1e} from 0; float32 could land on the other side'
    return {
        'logits': fmt(logits),
        'loss': float(loss.item()) if fmt is arr else float(repr(np.float32(loss.item()))),
        'grads': {name: fmt(p.grad) for name, p in model.named_parameters()},
    }


def main():
    torch.manual_seed(SEED)
    model = MLP().double()
    x = torch.randn(BATCH, SIZES[0], dtype=torch.float64)
    y = torch.randint(0, SIZES[-1], (BATCH,))
    params = {name: arr(p) for name, p in model.named_parameters()}

    f64 = forward_backward(model, x, y, arr)

    model32 = MLP()
    model32.load_state_dict({k: v.float() for k, v in model.state_dict().items()})
    f32 = forward_backward(model32, x.float(), y, arr32)

    opt = torch.optim.SGD(model.parameters(), lr=LR)
    losses = []
    for _ in range(STEPS):
        opt.zero_grad()
        loss = F.cross_entropy(model(x), y)
        assert model.hidden(x).abs().min().item() > 1e-6
        losses.append(float(loss.item()))
        loss.backward()
        opt.step()

    doc = {
        'generator': 'tools/golden_mlp.py',
        'torch': torch.__version__,
        'seed': SEED,
        'sizes': SIZES,
        'activations': ['tanh', 'relu'],
        'note': 'Parameters use torch layout: weight [out, in], bias [out]. Loss: F.cross_entropy, mean over the batch.',
        'x': arr(x),
        'targets': [int(v) for v in y.tolist()],
        'params': params,
        'float64': f64,
        'float32': f32,
        'sgd': {
            'lr': LR,
            'steps': STEPS,
            'losses': losses,
            'params': {name: arr(p) for name, p in model.named_parameters()},
        },
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w') as f:
        json.dump(doc, f, separators=(',', ':'))
        f.write('\n')
    print(f'wrote {os.path.relpath(OUT, ROOT)} ({os.path.getsize(OUT) / 1024:.0f} KB); losses {", ".join(f"{v:.6f}" for v in losses)}')


if __name__ == '__main__':
    main()
