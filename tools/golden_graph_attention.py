#!/usr/bin/python3
"""PyTorch reference values for @dl/tensor's graph and attention primitives: segment reductions,
CSR × dense products and masked softmax, forward and gradients, on random data and on Zachary's
karate-club graph (../shared/datasets/karate/karate.edgelist, 1-based node ids).

Writes packages/tensor/test/fixtures/graph-attention.json, read by
packages/tensor/test/ops/graph-attention-golden.test.ts. Tests never run Python; rerun this
script only to change the fixture:

    /usr/bin/python3 tools/golden_graph_attention.py

Layout (every array is {shape, data} in row-major order; int arrays hold ints; ±∞ is written as
the string '-Infinity' / 'Infinity' (JSON has no infinities; Number() reads them); float32 cases
store the float32 values torch used, as the shortest decimals that read back as them):
  segment: [{id, reduce ('sum' | 'mean' | 'amax' | 'amin' | 'softmax'), dtype, x, ids,
             numSegments, gradOutput, output, grad, indices? (amax/amin: first entry holding
             the extreme per segment and column, -1 for an empty segment; computed with numpy,
             torch has no arg form)}]
      sum:  torch.zeros(S, ...).index_add_(0, ids, x)
      mean/amax/amin: torch.zeros(S, ...).scatter_reduce(0, ids ⊗ ones, x, reduce, include_self=False)
      softmax: exp(x - amax[ids]) / (sum of the same per segment)[ids], written with scatter_reduce
             and index_add (PyG's softmax, without its 1e-16)
      grad = ∂ sum(output · gradOutput) / ∂x by torch's autograd. The amax/amin cases avoid a
      segment extreme of exactly 0: torch 1.13 then also counts the zero it starts from as a
      tie (include_self=False notwithstanding) and halves the gradient; dl counts entries only.
  csr: [{id, dtype, rows, cols, values, shape, x, gradOutput, output, gradX, gradValues, heads}]
      A = torch.sparse_coo_tensor([rows, cols], values, shape) (duplicates allowed: they add up),
      output = torch.sparse.mm(A, x); gradX from autograd; gradValues[i] = A.grad (coalesced) at
      (rows[i], cols[i]) — every duplicate gets the gradient of its coordinate. Cases with
      heads > 1 (values [nnz, heads], x [cols, heads, F]) have no torch.sparse form: the
      reference is einsum('hrc,chf->rhf') over the dense per-head matrices.
  maskedSoftmax: [{id, dtype, x, axis, scale, keep? (bool as 0/1), additive?, gradOutput,
                   output, gradX, gradAdditive?}]
      softmax((x * scale + additive).masked_fill(~keep, -inf), axis); a row with nothing kept
      is 0 with zero gradient (dl's contract; torch gives NaN there, so those rows are
      computed unmasked and zeroed). gradAdditive is summed to the mask's shape.
  karate: {nodes, edges (directed, both ways, file order), dst, src}

Deterministic: each section draws from its own numpy RandomState (seeded by SEED and the
section's name), torch single-threaded; float64 values are written with Python's repr.
"""

import json
import os
import zlib

import numpy as np
import torch

SEED = 2718
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, 'packages', 'tensor', 'test', 'fixtures', 'graph-attention.json')
KARATE = os.path.join(os.path.dirname(ROOT), 'shared', 'datasets', 'karate', 'karate.edgelist')

torch.set_num_threads(1)


def section_rng(name):
    return np.random.RandomState((SEED + zlib.crc32(name.encode())) % 2**32)


def num(v):
    # JSON has no infinities: they are written as the strings JavaScript's Number() reads.
    v = float(v)
    return v if np.isfinite(v) else ('Infinity' if v > 0 else '-Infinity' if v < 0 else 'NaN')


def arr(t):
    t = torch.as_tensor(t).detach()
    if t.dtype in (torch.int64, torch.int32, torch.bool):
        return {'shape': list(t.shape), 'data': [int(v) for v in t.reshape(-1).tolist()]}
    if t.dtype == torch.float32:
        # The shortest decimal that reads back as the same float32 (rounding the double to nearest).
        return {'shape': list(t.shape), 'data': [num(np.format_float_positional(v, unique=True)) if np.isfinite(v) else num(v)
                                                 for v in t.numpy().reshape(-1)]}
    return {'shape': list(t.shape), 'data': [num(v) for v in t.reshape(-1).tolist()]}


def dtype_of(name):
    return torch.float64 if name == 'float64' else torch.float32


# ---- karate club: 34 nodes, 78 undirected edges (1-based in the file)
def load_karate():
    edges = []
    with open(KARATE) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith('#'):
                continue
            a, b = (int(v) - 1 for v in line.split()[:2])
            edges.append((a, b))
    directed = []
    for a, b in edges:
        directed.append((a, b))
        directed.append((b, a))
    nodes = 1 + max(max(e) for e in edges)
    return nodes, directed


K_NODES, K_EDGES = load_karate()
K_SRC = torch.tensor([e[0] for e in K_EDGES])
K_DST = torch.tensor([e[1] for e in K_EDGES])

# ---- segment reductions
rng = section_rng('segment')


def first_extreme(x, ids, num_segments, mode):
    """numpy: index of the first entry holding the max/min per segment and column (-1 if empty)."""
    xs = x.reshape(x.shape[0], -1)
    width = xs.shape[1]
    out = -np.ones((num_segments, width), dtype=np.int64)
    best = np.zeros((num_segments, width))
    for e in range(xs.shape[0]):
        s = ids[e]
        for j in range(width):
            v = xs[e, j]
            if out[s, j] < 0 or (v > best[s, j] if mode == 'amax' else v < best[s, j]):
                out[s, j] = e
                best[s, j] = v
    return out.reshape((num_segments,) + x.shape[1:])


def segment_reference(reduce, x, ids, num_segments):
    shape = (num_segments,) + tuple(x.shape[1:])
    if reduce == 'sum':
        return torch.zeros(shape, dtype=x.dtype).index_add(0, ids, x)
    index = ids.reshape((-1,) + (1,) * (x.dim() - 1)).expand_as(x)
    if reduce in ('mean', 'amax', 'amin'):
        return torch.zeros(shape, dtype=x.dtype).scatter_reduce(0, index, x, reduce, include_self=False)
    assert reduce == 'softmax'
    m = torch.zeros(shape, dtype=x.dtype).scatter_reduce(0, index, x, 'amax', include_self=False)
    e = torch.exp(x - m[ids])
    s = torch.zeros(shape, dtype=x.dtype).index_add(0, ids, e)
    return e / s[ids]


def segment_case(id_, reduce, x, ids, num_segments, dtype='float64'):
    t = dtype_of(dtype)
    x = torch.tensor(x, dtype=t)
    ids = torch.tensor(ids, dtype=torch.int64)
    leaf = x.clone().requires_grad_(True)
    y = segment_reference(reduce, leaf, ids, num_segments)
    g = torch.tensor(rng.randn(*y.shape), dtype=t)
    (y * g).sum().backward()
    case = {'id': id_, 'reduce': reduce, 'dtype': dtype, 'x': arr(x), 'ids': arr(ids), 'numSegments': num_segments,
            'gradOutput': arr(g), 'output': arr(y), 'grad': arr(leaf.grad)}
    if reduce in ('amax', 'amin'):
        case['indices'] = arr(torch.tensor(first_extreme(x.numpy(), ids.numpy(), num_segments, reduce)))
        # dl splits the gradient among tied entries only; torch agrees unless a segment's extreme is 0.
        assert not (y == 0).logical_and(torch.tensor(case['indices']['data']).reshape(y.shape) >= 0).any(), id_
    return case


def ties(shape):
    """Values on a half-integer grid: many ties, never exactly 0."""
    return rng.randint(-3, 3, size=shape) + 0.5


ids40 = rng.randint(0, 12, size=40)  # segments 12 and 13 stay empty
sorted30 = np.sort(rng.randint(0, 9, size=30))
ids_big = rng.randint(0, 64, size=512)
kx = rng.randn(len(K_EDGES), 4)
segment = [
    segment_case('sum/unsorted/empty', 'sum', rng.randn(40, 3), ids40, 14),
    segment_case('sum/sorted/[30,2,2]', 'sum', rng.randn(30, 2, 2), sorted30, 9),
    segment_case('sum/1-D', 'sum', rng.randn(40), ids40, 14),
    segment_case('mean/unsorted/empty', 'mean', rng.randn(40, 3), ids40, 14),
    segment_case('mean/sorted', 'mean', rng.randn(30, 2, 2), sorted30, 9),
    segment_case('amax/ties', 'amax', ties((40, 3)), ids40, 14),
    segment_case('amin/ties', 'amin', ties((40, 3)), ids40, 14),
    segment_case('amax/sorted', 'amax', rng.randn(30, 2, 2), sorted30, 9),
    segment_case('softmax/unsorted', 'softmax', rng.randn(40, 3) * 2, ids40, 14),
    segment_case('softmax/sorted', 'softmax', rng.randn(30, 2, 2) * 2, sorted30, 9),
    segment_case('sum/float32/large', 'sum', rng.randn(512, 8), ids_big, 64, 'float32'),
    segment_case('softmax/float32/large', 'softmax', rng.randn(512, 8) * 2, ids_big, 64, 'float32'),
    segment_case('karate/sum', 'sum', kx, K_DST.numpy(), K_NODES),
    segment_case('karate/mean', 'mean', kx, K_DST.numpy(), K_NODES),
    segment_case('karate/amax', 'amax', kx, K_DST.numpy(), K_NODES),
    segment_case('karate/softmax', 'softmax', kx * 2, K_DST.numpy(), K_NODES),
    segment_case('karate/softmax/float32', 'softmax', kx * 2, K_DST.numpy(), K_NODES, 'float32'),
]

# ---- CSR × dense against torch.sparse.mm
rng = section_rng('csr')


def csr_case(id_, rows, cols, values, shape, x, dtype='float64'):
    t = dtype_of(dtype)
    rows = torch.tensor(rows, dtype=torch.int64)
    cols = torch.tensor(cols, dtype=torch.int64)
    values = torch.tensor(values, dtype=t)
    x = torch.tensor(x, dtype=t)
    heads = 1 if values.dim() == 1 else values.shape[1]
    xl = x.clone().requires_grad_(True)
    if heads == 1:
        a = torch.sparse_coo_tensor(torch.stack([rows, cols]), values, shape).requires_grad_(True)
        # torch.sparse.mm takes matrices: trailing dimensions are flattened and restored.
        y = torch.sparse.mm(a, xl.reshape(x.shape[0], -1)).reshape((shape[0],) + tuple(x.shape[1:]))
        g = torch.tensor(rng.randn(*y.shape), dtype=t)
        (y * g).sum().backward()
        ga = a.grad.coalesce()
        lookup = {(int(r), int(c)): float(v) for (r, c), v in zip(ga.indices().t().tolist(), ga.values().tolist())}
        grad_values = torch.tensor([lookup.get((int(r), int(c)), 0.0) for r, c in zip(rows, cols)], dtype=t)
    else:
        vl = values.clone().requires_grad_(True)
        dense = torch.zeros((heads,) + tuple(shape), dtype=t).index_put((torch.arange(heads).repeat(len(rows)),
                                                                           rows.repeat_interleave(heads),
                                                                           cols.repeat_interleave(heads)),
                                                                          vl.reshape(-1), accumulate=True)
        y = torch.einsum('hrc,chf->rhf', dense, xl)
        g = torch.tensor(rng.randn(*y.shape), dtype=t)
        (y * g).sum().backward()
        grad_values = vl.grad
    return {'id': id_, 'dtype': dtype, 'heads': heads, 'rows': arr(rows), 'cols': arr(cols), 'values': arr(values),
            'shape': list(shape), 'x': arr(x), 'gradOutput': arr(g), 'output': arr(y), 'gradX': arr(xl.grad),
            'gradValues': arr(grad_values)}


def random_coo(r, c, nnz, duplicates=0):
    flat = rng.choice(r * c, size=nnz - duplicates, replace=False)
    flat = np.concatenate([flat, rng.choice(flat, size=duplicates)])
    rng.shuffle(flat)
    return flat // c, flat % c


def gcn_adjacency(nodes, src, dst):
    """Â = D^-1/2 (A + I) D^-1/2 as COO (rows = dst, cols = src), degrees with self-loops."""
    loops = torch.arange(nodes)
    r = torch.cat([dst, loops])
    c = torch.cat([src, loops])
    deg = torch.zeros(nodes, dtype=torch.float64).index_add(0, r, torch.ones(len(r), dtype=torch.float64))
    w = deg[r].rsqrt() * deg[c].rsqrt()
    return r.numpy(), c.numpy(), w.numpy()


r1, c1 = random_coo(7, 9, 20, duplicates=3)
r2, c2 = random_coo(120, 100, 600)
r3, c3 = random_coo(6, 5, 12, duplicates=1)
r4, c4 = random_coo(5, 4, 0)
kr, kc, kw = gcn_adjacency(K_NODES, K_SRC, K_DST)
csr = [
    csr_case('random/duplicates', r1, c1, rng.randn(20), (7, 9), rng.randn(9, 3)),
    csr_case('random/vector-trailing', r1, c1, rng.randn(20), (7, 9), rng.randn(9, 2, 2)),
    csr_case('random/float32/large', r2, c2, rng.randn(600), (120, 100), rng.randn(100, 8), 'float32'),
    csr_case('heads', r3, c3, rng.randn(12, 3), (6, 5), rng.randn(5, 3, 2)),
    csr_case('empty', r4, c4, np.zeros(0), (5, 4), rng.randn(4, 3)),
    csr_case('karate/gcn/16', kr, kc, kw, (K_NODES, K_NODES), rng.randn(K_NODES, 16)),
    csr_case('karate/gcn/16/float32', kr, kc, kw, (K_NODES, K_NODES), rng.randn(K_NODES, 16), 'float32'),
    csr_case('karate/gat-heads', kr, kc, rng.rand(len(kr), 4), (K_NODES, K_NODES), rng.randn(K_NODES, 4, 4)),
]

# ---- masked softmax
rng = section_rng('maskedSoftmax')


def masked_case(id_, x_shape, axis=-1, scale=1.0, keep=None, additive=None, dtype='float64'):
    t = dtype_of(dtype)
    x = torch.tensor(rng.randn(*x_shape) * 2, dtype=t)
    xl = x.clone().requires_grad_(True)
    al = None if additive is None else torch.tensor(additive, dtype=t).requires_grad_(True)
    z = xl * scale
    if al is not None:
        z = z + al
    if keep is not None:
        keep_t = torch.tensor(keep, dtype=torch.bool)
        z = z.masked_fill(~keep_t, float('-inf'))
    # Rows with nothing left: dl returns 0 with zero gradient; torch would give NaN.
    empty = torch.isneginf(z).all(dim=axis, keepdim=True)
    y = torch.softmax(z.masked_fill(empty, 0.0), dim=axis).masked_fill(empty, 0.0)
    g = torch.tensor(rng.randn(*y.shape), dtype=t)
    (y * g).sum().backward()
    case = {'id': id_, 'dtype': dtype, 'x': arr(x), 'axis': axis, 'scale': scale, 'gradOutput': arr(g), 'output': arr(y),
            'gradX': arr(xl.grad)}
    if keep is not None:
        case['keep'] = arr(torch.tensor(keep, dtype=torch.bool))
    if al is not None:
        case['additive'] = arr(al)
        case['gradAdditive'] = arr(al.grad)
    return case


def causal(t):
    return np.tril(np.ones((t, t), dtype=bool))


padding = np.ones((2, 1, 1, 6), dtype=bool)
padding[0, 0, 0, 4:] = False
padding[1, 0, 0, :] = False  # the whole second sequence is padding: its rows are 0
bias = rng.randn(4, 4)
bias[0, 1] = float('-inf')
bias[2, :] = float('-inf')  # a row left empty by the additive mask alone
k_adj = np.eye(K_NODES, dtype=bool)
k_adj[K_DST.numpy(), K_SRC.numpy()] = True
masked = [
    masked_case('causal/[2,3,5,5]/scale', (2, 3, 5, 5), scale=0.5, keep=causal(5)),
    masked_case('padding/[2,2,4,6]/keep[2,1,1,6]', (2, 2, 4, 6), keep=padding),
    masked_case('additive/[3,4,4]/bias[4,4]', (3, 4, 4), additive=bias),
    masked_case('keep+additive/[2,2,3,3]', (2, 2, 3, 3), scale=0.7, keep=causal(3), additive=rng.randn(2, 1, 3, 3)),
    masked_case('axis1/[3,5,2]/keep[5,1]', (3, 5, 2), axis=1, keep=np.array([[True], [False], [True], [True], [False]])),
    masked_case('no-mask/scale', (4, 7), scale=1.5),
    masked_case('causal/float32/[2,2,16,16]', (2, 2, 16, 16), scale=0.25, keep=causal(16), dtype='float32'),
    masked_case('additive/float32/[2,2,16,16]', (2, 2, 16, 16), additive=rng.randn(16, 16), dtype='float32'),
    masked_case('karate/adjacency/[1,34,34]', (1, K_NODES, K_NODES), scale=0.5, keep=k_adj),
]

fixture = {
    'segment': segment,
    'csr': csr,
    'maskedSoftmax': masked,
    'karate': {'nodes': K_NODES, 'edges': len(K_EDGES), 'src': arr(K_SRC), 'dst': arr(K_DST)},
}
with open(OUT, 'w') as f:
    json.dump(fixture, f, separators=(',', ':'), allow_nan=False)
    f.write('\n')
print(f'wrote {OUT}: {len(segment)} segment, {len(csr)} csr, {len(masked)} masked-softmax cases')
