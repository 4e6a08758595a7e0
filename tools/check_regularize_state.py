#!/usr/bin/python3
"""dl -> PyTorch for @dl/regularize batch-norm state dicts.

Reads a safetensors file written by packages/regularize/bench/write-bn-state.ts
(three float32 models holding BatchNorm1d / BatchNorm2d, trained for a few SGD
steps in dl; keys are '<model id>/<torch key>'), loads each model's state into
the same torch modules with load_state_dict(strict=True), and checks that:

  * the keys are exactly torch's and every tensor has torch's shape;
  * num_batches_tracked equals the number of training steps in the metadata, and
    the running statistics have moved off their initial 0 / 1;
  * torch's eval-mode output on the recorded input equals dl's recorded output
    within 1e-5 (float32).

    npx tsx --conditions=@dl/source packages/regularize/bench/write-bn-state.ts /tmp/dl-bn-state.safetensors
    /usr/bin/python3 tools/check_regularize_state.py /tmp/dl-bn-state.safetensors

Prints OK per model, or fails with an AssertionError. Tests never run this.
"""

import argparse
import json
import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from safetensors_fixture import load  # noqa: E402

MODELS = {
    'mlp-bn1d': lambda: nn.Sequential(nn.Linear(5, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 3)),
    'bn1d-ncl': lambda: nn.Sequential(nn.BatchNorm1d(3, momentum=None)),
    'bn2d': lambda: nn.Sequential(nn.BatchNorm2d(3, momentum=0.3, eps=1e-3), nn.ReLU(), nn.Flatten(), nn.Linear(48, 2)),
}
TOL = 1e-5


def check(path):
    with open(path, 'rb') as f:
        tensors, metadata, _ = load(f.read())
    assert metadata is not None and metadata.get('producer') == 'dl', f'unexpected metadata {metadata}'
    steps = int(metadata['steps'])
    ids = sorted({k.split('/', 1)[0] for k in tensors})
    assert ids == sorted(MODELS), f'models in the file: {ids}, expected {sorted(MODELS)}'
    torch.set_num_threads(1)
    for id_, make in MODELS.items():
        model = make()
        prefix = id_ + '/'
        state = {k[len(prefix):]: v for k, v in tensors.items() if k.startswith(prefix)}
        want_keys = list(model.state_dict().keys())
        assert sorted(state) == sorted(want_keys), f'{id_}: keys {sorted(state)} vs torch {sorted(want_keys)}'
        for k, v in model.state_dict().items():
            assert tuple(state[k].shape) == tuple(v.shape), f'{id_}/{k}: shape {tuple(state[k].shape)} vs torch {tuple(v.shape)}'
        model.load_state_dict(state, strict=True)  # raises on a missing or unexpected key
        for name, m in model.named_modules():
            if isinstance(m, nn.modules.batchnorm._BatchNorm):
                assert int(m.num_batches_tracked) == steps, f'{id_}/{name}: num_batches_tracked {int(m.num_batches_tracked)}, want {steps}'
                assert not torch.equal(m.running_mean, torch.zeros_like(m.running_mean)), f'{id_}/{name}: running_mean never updated'
                assert not torch.equal(m.running_var, torch.ones_like(m.running_var)), f'{id_}/{name}: running_var never updated'
        x = torch.tensor(json.loads(metadata[f'{id_}.input']), dtype=torch.float32).reshape(json.loads(metadata[f'{id_}.input_shape']))
        want = torch.tensor(json.loads(metadata[f'{id_}.output']), dtype=torch.float32).reshape(json.loads(metadata[f'{id_}.output_shape']))
        model.eval()
        with torch.no_grad():
            got = model(x)
        err = (got - want).abs().max().item()
        assert torch.allclose(got, want, rtol=TOL, atol=TOL), f'{id_}: eval output differs (max |Δ| {err:.3g}): torch {got.tolist()}, dl {want.tolist()}'
        print(f'OK {id_}: {len(state)} tensors load strictly; num_batches_tracked = {steps}; eval output {list(got.shape)} max |torch - dl| = {err:.2g}')
    print(f'OK: {path}')


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('file', nargs='?', default='/tmp/dl-bn-state.safetensors', help='written by packages/regularize/bench/write-bn-state.ts')
    check(parser.parse_args().file)


if __name__ == '__main__':
    sys.exit(main())
