#!/usr/bin/python3
"""safetensors interop between PyTorch and @dl/tensor, without the `safetensors` package.

The `safetensors` Python package is not installed here (and PyPI is out of reach),
so this script carries a small writer and reader that follow the format and the
reference (Rust) implementation exactly:

  * 8 bytes: N, the header length, little-endian u64;
  * N bytes: UTF-8 JSON {"__metadata__": {str: str}?, name: {"dtype", "shape",
    "data_offsets": [begin, end]}, ...}, compact, padded with spaces to a multiple
    of 8 so the data that follows is aligned;
  * the data: every tensor's little-endian, row-major bytes, back to back. The
    writer orders tensors by descending dtype (the reference's alignment order:
    BOOL < U8 < I8 < F8_E5M2 < F8_E4M3 < I16 < U16 < F16 < BF16 < I32 < U32 < F32
    < F64 < I64 < U64), then by name; the JSON lists them in that order.

Two modes:

  /usr/bin/python3 tools/safetensors_fixture.py
      writes packages/tensor/test/fixtures/torch-written.safetensors (a seeded
      nn.Sequential(Linear(4, 3), ReLU(), Linear(3, 2)) state_dict in float32 plus
      one tensor of every other dtype dl reads) and torch-written.json with the
      expected values and the model's output on a fixed input.

  /usr/bin/python3 tools/safetensors_fixture.py --check FILE
      reads FILE as written by tools/write-dl-safetensors.ts, validates it as the
      reference reader does, compares every tensor to values computed here
      independently (bitwise), loads the weights into a torch nn.Sequential and
      compares its output with the one dl recorded in the metadata, and checks
      that re-serializing gives the same bytes (so dl's layout is the reference
      layout). Prints OK or fails with an AssertionError.
"""

import argparse
import json
import math
import os
import struct
import sys

import numpy as np
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, 'packages', 'tensor', 'test', 'fixtures')
MAX_HEADER_SIZE = 100_000_000

ORDER = ['BOOL', 'U8', 'I8', 'F8_E5M2', 'F8_E4M3', 'I16', 'U16', 'F16', 'BF16', 'I32', 'U32', 'F32', 'F64', 'I64', 'U64']
SIZE = {'BOOL': 1, 'U8': 1, 'I8': 1, 'F8_E5M2': 1, 'F8_E4M3': 1, 'I16': 2, 'U16': 2, 'F16': 2, 'BF16': 2,
        'I32': 4, 'U32': 4, 'F32': 4, 'F64': 8, 'I64': 8, 'U64': 8}
TORCH_TO_ST = {torch.bool: 'BOOL', torch.uint8: 'U8', torch.int8: 'I8', torch.int16: 'I16', torch.float16: 'F16',
               torch.bfloat16: 'BF16', torch.int32: 'I32', torch.float32: 'F32', torch.float64: 'F64',
               torch.int64: 'I64'}
ST_TO_TORCH = {v: k for k, v in TORCH_TO_ST.items()}
NUMPY_LE = {'BOOL': '?', 'U8': 'u1', 'I8': 'i1', 'I16': '<i2', 'F16': '<f2', 'I32': '<i4', 'F32': '<f4',
            'F64': '<f8', 'I64': '<i8'}


def tensor_bytes(t):
    t = t.detach().contiguous().cpu()
    if t.dtype == torch.bfloat16:  # numpy has no bfloat16: move the raw 16-bit words
        return t.view(torch.int16).numpy().astype('<i2').tobytes()
    return t.numpy().astype(NUMPY_LE[TORCH_TO_ST[t.dtype]]).tobytes()


def save(tensors, metadata=None):
    """Serializes {name: torch.Tensor} like safetensors.torch.save(tensors, metadata)."""
    items = sorted(tensors.items(), key=lambda kv: (-ORDER.index(TORCH_TO_ST[kv[1].dtype]), kv[0].encode('utf-8')))
    header = {}
    if metadata is not None:
        header['__metadata__'] = metadata
    blobs = []
    offset = 0
    for name, t in items:
        b = tensor_bytes(t)
        header[name] = {'dtype': TORCH_TO_ST[t.dtype], 'shape': list(t.shape), 'data_offsets': [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    js = json.dumps(header, separators=(',', ':'), ensure_ascii=False).encode('utf-8')
    js += b' ' * ((8 - len(js) % 8) % 8)
    return struct.pack('<Q', len(js)) + js + b''.join(blobs)


def load(data):
    """Parses and validates like the reference reader; returns ({name: tensor} in file order, metadata, header keys)."""
    assert len(data) >= 8, 'header too small'
    (n,) = struct.unpack('<Q', data[:8])
    assert n <= MAX_HEADER_SIZE, 'header too large'
    assert 8 + n <= len(data), 'invalid header length'
    text = data[8:8 + n].decode('utf-8')
    assert text.startswith('{'), 'invalid header start'
    header = json.loads(text)
    metadata = header.pop('__metadata__', None)
    if metadata is not None:
        assert all(isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()), 'metadata must map str to str'
    entries = sorted(header.items(), key=lambda kv: tuple(kv[1]['data_offsets']))
    start = 0
    out = {}
    body = data[8 + n:]
    for name, info in entries:
        s, e = info['data_offsets']
        assert s == start and e >= s, f'invalid offset for {name}'
        dtype = info['dtype']
        nbytes = math.prod(info['shape']) * SIZE[dtype]
        assert e - s == nbytes, f'tensor invalid info for {name}'
        raw = body[s:e]
        if dtype == 'BOOL':
            assert set(raw) <= {0, 1}, f'{name}: BOOL bytes must be 0 or 1'
        if dtype == 'BF16':
            t = torch.from_numpy(np.frombuffer(raw, dtype='<i2').copy()).view(torch.bfloat16)
        else:
            t = torch.from_numpy(np.frombuffer(raw, dtype=NUMPY_LE[dtype]).copy())
        out[name] = t.reshape(info['shape'])
        start = e
    assert start == len(body), 'metadata incomplete buffer'
    return out, metadata, list(header.keys())


def flat(t):
    if t.dtype == torch.bfloat16 or t.dtype == torch.float16:
        t = t.to(torch.float32)  # exact: every half and bfloat16 value is a float32
    return t.reshape(-1).tolist()


def same_bits(a, b):
    """Bitwise equality (NaN payloads and signed zeros included)."""
    if a.dtype != b.dtype or a.shape != b.shape:
        return False
    if a.dtype in (torch.float32, torch.int32):
        return torch.equal(a.contiguous().view(torch.int32), b.contiguous().view(torch.int32))
    if a.dtype == torch.float64:
        return torch.equal(a.contiguous().view(torch.int64), b.contiguous().view(torch.int64))
    return torch.equal(a, b)


# ---- torch-written fixture

FORWARD_INPUT = [[1.5, 0.0, -0.75, 3.0], [1.0, 2.0, -1.0, 0.5], [-1.5, -0.5, 0.25, 2.0], [-2.0, 3.0, -2.5, -1.0]]


def write_fixture():
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.ReLU(), torch.nn.Linear(3, 2))
    tensors = dict(model.state_dict())
    tensors['extra.f64'] = torch.tensor([[0.1, -2.5, 1 / 3], [1e-300, -1e300, math.pi]], dtype=torch.float64)
    tensors['extra.i32'] = torch.tensor([-2 ** 31, -1, 0, 7, 2 ** 31 - 1], dtype=torch.int32)
    tensors['extra.i64'] = torch.tensor([[-3, 0], [5, 2 ** 31 - 1]], dtype=torch.int64)
    tensors['extra.bool'] = torch.tensor([True, False, False, True])
    tensors['extra.f16'] = torch.tensor([0.1, -2.5, 65504.0, 6e-8, 1e-5, -0.0, 1.0 / 3], dtype=torch.float16)
    tensors['extra.bf16'] = torch.tensor([1.0, -3.140625, 1e20, 1e-20, 0.1], dtype=torch.bfloat16)
    tensors['extra.u8'] = torch.tensor([0, 255, 7], dtype=torch.uint8)
    tensors['extra.i8'] = torch.tensor([-128, 127, 0], dtype=torch.int8)
    tensors['extra.i16'] = torch.tensor([[-32768, 32767], [12, -1]], dtype=torch.int16)
    tensors['extra.scalar'] = torch.tensor(1.5)
    tensors['extra.empty'] = torch.zeros(0, 3)
    metadata = {'format': 'pt', 'producer': 'tools/safetensors_fixture.py'}
    data = save(tensors, metadata)
    with open(os.path.join(FIXTURES, 'torch-written.safetensors'), 'wb') as f:
        f.write(data)

    with torch.no_grad():
        output = model(torch.tensor(FORWARD_INPUT))
    file_order = list(load(data)[0].keys())
    expected = {
        'metadata': metadata,
        'order': file_order,
        'tensors': {k: {'dtype': TORCH_TO_ST[t.dtype], 'shape': list(t.shape), 'data': flat(t)} for k, t in tensors.items()},
        'forward': {'input': FORWARD_INPUT, 'output': output.tolist()},
        'torch': torch.__version__,
    }
    with open(os.path.join(FIXTURES, 'torch-written.json'), 'w') as f:
        json.dump(expected, f, indent=1)
        f.write('\n')
    print(f'wrote torch-written.safetensors ({len(data)} bytes) and torch-written.json')


# ---- checking a file dl wrote (tools/write-dl-safetensors.ts)

def dl_expected():
    """The fixed tensors tools/write-dl-safetensors.ts writes, computed independently here."""
    return {
        'f64': torch.tensor([[0.1, -0.2, 1 / 3], [1e-300, -1e300, math.pi]], dtype=torch.float64),
        'i32': torch.tensor([-2 ** 31, -1, 0, 1, 2 ** 31 - 1], dtype=torch.int32),
        'mask': torch.tensor([[True, False, True], [False, False, True]]),
        'f32.special': torch.tensor([0.1, -0.0, 3.4028234663852886e38, 1.401298464324817e-45, float('nan'),
                                     float('inf'), float('-inf')], dtype=torch.float32),
        'scalar': torch.tensor(2.5, dtype=torch.float32),
        'empty': torch.zeros(0, 3, dtype=torch.float32),
    }


def check(path):
    with open(path, 'rb') as f:
        data = f.read()
    tensors, metadata, _ = load(data)
    assert metadata is not None and metadata.get('producer') == 'dl', f'unexpected metadata {metadata}'

    for name, want in dl_expected().items():
        assert name in tensors, f'missing tensor {name}'
        assert same_bits(tensors[name], want), f'{name}: got {tensors[name]}, want {want}'

    model = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.ReLU(), torch.nn.Linear(3, 2))
    weights = {k: v for k, v in tensors.items() if k[0].isdigit()}
    model.load_state_dict(weights, strict=True)
    x = torch.tensor(json.loads(metadata['forward_input']), dtype=torch.float32)
    want = torch.tensor(json.loads(metadata['forward_output']), dtype=torch.float32)
    with torch.no_grad():
        got = model(x)
    assert torch.allclose(got, want, rtol=1e-6, atol=1e-6), f'forward differs: torch {got.tolist()}, dl {want.tolist()}'

    assert save(tensors, metadata) == data, 're-serializing gave different bytes: layout differs from the reference writer'
    print(f'OK: {path} ({len(tensors)} tensors; values bitwise equal; torch forward matches dl within 1e-6; reference layout)')


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--check', metavar='FILE', help='verify a safetensors file written by tools/write-dl-safetensors.ts')
    args = parser.parse_args()
    if args.check:
        check(args.check)
    else:
        write_fixture()


if __name__ == '__main__':
    sys.exit(main())
