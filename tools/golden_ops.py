#!/usr/bin/python3
"""Golden fixtures for op compositions, computed by PyTorch.

Writes packages/autograd/test/fixtures/golden-ops.json. Every case is a small
composition of ops (the kind a model is built from); for each one the file holds
the inputs (float64 values rounded to 4 decimals, plus int32 indices and bool
masks), a fixed random cotangent R shaped like the output, and, in float64 and
in float32 (inputs and R cast to float32, everything computed by torch in
float32), the forward output and the gradients of sum(output * R) with respect
to every floating-point input.

packages/autograd/test/golden-ops.test.ts writes each case again with dl's API
and compares. The test never runs Python; rerun this script only to change the
fixture:

    /usr/bin/python3 tools/golden_ops.py

Deterministic: each case draws from its own numpy RandomState seeded by SEED
and the case's name, so adding a case does not change the others.
"""

import json
import math
import os
import zlib

import numpy as np
import torch
import torch.nn.functional as F

SEED = 1234
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, 'packages', 'autograd', 'test', 'fixtures', 'golden-ops.json')

torch.set_num_threads(1)


# ---- input samplers (rng -> numpy array); values are rounded to 4 decimals so
# the JSON stays small and the float64 inputs are exactly what both sides read.

def normal(*shape, scale=1.0):
    return lambda rng: np.round(rng.randn(*shape) * scale, 4)


def uniform(lo, hi, *shape):
    return lambda rng: np.round(rng.uniform(lo, hi, size=shape), 4)


def away(*shape, lo=0.1, hi=2.0):
    """Magnitudes in [lo, hi] with random signs: no value near a kink at 0."""
    def draw(rng):
        mag = rng.uniform(lo, hi, size=shape)
        sign = np.where(rng.rand(*shape) < 0.5, -1.0, 1.0)
        return np.round(sign * mag, 4)
    return draw


def distinct(*shape, gap=0.05):
    """A shuffled grid with spacing `gap` plus small noise: no ties anywhere (max, topk, sort)."""
    def draw(rng):
        n = int(np.prod(shape))
        v = (rng.permutation(n) - n / 2) * gap + rng.uniform(0, gap / 4, size=n)
        return np.round(v.reshape(shape), 4)
    return draw


def index(high, *shape):
    return lambda rng: ('int32', rng.randint(0, high, size=shape))


def const_index(values):
    return lambda rng: ('int32', np.array(values))


def mask(*shape):
    return lambda rng: ('bool', rng.rand(*shape) < 0.5)


def const_mask(values):
    return lambda rng: ('bool', np.array(values, dtype=bool))


def fixed(values):
    return lambda rng: np.array(values, dtype=np.float64)


CASES = []


def case(name, expr, **inputs):
    """Registers `fn(**tensors) -> tensor` as a case; `expr` is its one-line formula."""
    def register(fn):
        CASES.append((name, expr, inputs, fn))
        return fn
    return register


INF = float('inf')


@case('linear_softmax', 'softmax(x @ W + b, -1)', x=normal(4, 5), W=normal(5, 3), b=normal(3))
def _(x, W, b):
    return torch.softmax(x @ W + b, dim=-1)


@case('logsumexp_axes', 'logsumexp(x, dims (0, 2))', x=normal(3, 4, 5, scale=2))
def _(x):
    return torch.logsumexp(x, dim=(0, 2))


@case('logsumexp_keepdim_broadcast', 'x * logsumexp(2x, 1, keepdim)', x=normal(3, 4))
def _(x):
    return x * torch.logsumexp(2 * x, dim=1, keepdim=True)


@case('var_std_correction', 'var(x,1,corr 0)[:,None] * std(x,0,corr 1)[None,:] + var(x, all, corr 2)', x=normal(4, 6))
def _(x):
    a = torch.var(x, dim=1, correction=0)[:, None]
    b = torch.std(x, dim=0, correction=1)[None, :]
    return a * b + torch.var(x, dim=(0, 1), correction=2)


@case('norm_orders', 'stack([norm2, norm1, norm3, normInf] over dim 1)', x=away(3, 5))
def _(x):
    vn = torch.linalg.vector_norm
    return torch.stack([vn(x, 2, dim=1), vn(x, 1, dim=1), vn(x, 3, dim=1), vn(x, INF, dim=1)])


@case('normalize_keepdim', 'x / norm2(x, dims (1, 2), keepdim)', x=normal(2, 3, 4))
def _(x):
    return x / torch.linalg.vector_norm(x, 2, dim=(1, 2), keepdim=True)


@case('gelu_elu_leaky_chain', 'leaky_relu(elu(1.5 gelu(x) - 0.2, 0.7), 0.1)', x=normal(3, 5, scale=1.5))
def _(x):
    return F.leaky_relu(F.elu(1.5 * F.gelu(x) - 0.2, alpha=0.7), 0.1)


@case('softplus_sigmoid_tanh_chain', 'tanh(softplus(x) * sigmoid(y)) + sigmoid(x * y)', x=normal(3, 4, scale=2), y=normal(3, 4, scale=2))
def _(x, y):
    return torch.tanh(F.softplus(x) * torch.sigmoid(y)) + torch.sigmoid(x * y)


@case('gelu_tanh_approx', 'gelu_tanh(x) * x', x=normal(3, 4, scale=2))
def _(x):
    return F.gelu(x, approximate='tanh') * x


@case(
    'unary_zoo',
    'log1p(x) + expm1(x/2) sqrt(x) - rsqrt(x) + 1/(x+1) + |x-1| sin(x) + cos(x)^2 + erf(x-1) + 0.1 x^2 + log(x) exp(-x)',
    x=uniform(0.2, 3.0, 2, 5),
)
def _(x):
    return (torch.log1p(x) + torch.expm1(x / 2) * torch.sqrt(x) - torch.rsqrt(x) + torch.reciprocal(x + 1)
            + torch.abs(x - 1) * torch.sin(x) + torch.square(torch.cos(x)) + torch.erf(x - 1)
            + 0.1 * torch.square(x) + torch.log(x) * torch.exp(-x))


@case('pow_tensor_exponent', 'a ** b + c ** 3 + 2 ** b', a=uniform(0.5, 2.0, 3, 4), b=uniform(-1.5, 2.5, 4), c=normal(3, 4))
def _(a, b, c):
    return a ** b + c ** 3 + torch.pow(2.0, b)


@case('maximum_minimum_broadcast', 'maximum(a, b) * minimum(a, 0.3) + minimum(a, b)', a=distinct(3, 4, gap=0.11), b=distinct(4, gap=0.13))
def _(a, b):
    return torch.maximum(a, b) * torch.minimum(a, torch.tensor(0.3, dtype=a.dtype)) + torch.minimum(a, b)


@case('where_masks', 'where(m, 2x, exp(y)) + where(x > 0, x, 0.1 x)', m=mask(3, 4), x=away(3, 4), y=normal(4))
def _(m, x, y):
    return torch.where(m, 2 * x, torch.exp(y)) + torch.where(x > 0, x, 0.1 * x)


@case('cumsum_axes', 'cumsum(x, 1) * x + cumsum(x, 0)', x=normal(3, 4))
def _(x):
    return torch.cumsum(x, dim=1) * x + torch.cumsum(x, dim=0)


@case('cross_entropy_logsoftmax_gather', '-mean(gather(log_softmax(z, 1), 1, t[:, None]))', z=normal(6, 4, scale=2), t=index(4, 6))
def _(z, t):
    out = -torch.gather(F.log_softmax(z, dim=1), 1, t[:, None]).mean()
    assert torch.allclose(out, F.cross_entropy(z, t), rtol=1e-6 if z.dtype == torch.float32 else 1e-14)
    return out


@case('one_hot_nll', '-sum(one_hot(t, 4) * log_softmax(z, 1), 1)', z=normal(5, 4), t=index(4, 5))
def _(z, t):
    return -(F.one_hot(t, 4).to(z.dtype) * F.log_softmax(z, dim=1)).sum(dim=1)


@case('scatter_add_repeats', 'sin(scatter_add(x, 1, idx, src))', x=normal(3, 5), idx=const_index([[0, 2, 2, 4], [1, 1, 1, 0], [3, 0, 4, 3]]), src=normal(3, 4))
def _(x, idx, src):
    return torch.sin(torch.scatter_add(x, 1, idx, src))


@case('scatter_add_axis0_partial', 'scatter_add(x, 0, idx [2,3], src [3,3]) ** 2', x=normal(4, 3), idx=const_index([[0, 3, 1], [3, 3, 0]]), src=normal(3, 3))
def _(x, idx, src):
    # Only src[:2] is read (the index's extent). torch 1.13's backward rejects a
    # larger src, so the crop is explicit here; dl's twin passes the whole src.
    return torch.scatter_add(x, 0, idx, src[:2]) ** 2


@case('gather_axis0', 'gather(x, 0, idx) * gather(x, 1, idx2)', x=normal(4, 3), idx=const_index([[3, 0, 0], [1, 1, 2]]), idx2=const_index([[2, 2, 0], [1, 0, 1]]))
def _(x, idx, idx2):
    return torch.gather(x, 0, idx) * torch.gather(x, 1, idx2)


@case('index_select_repeats', 'index_select(x, 0, i) * 2 + index_select(x, 1, j)[i]', x=normal(5, 3), i=const_index([4, 0, 0, 2, 4, 1]), j=const_index([2, 2, 0]))
def _(x, i, j):
    return torch.index_select(x, 0, i) * 2 + torch.index_select(torch.index_select(x, 1, j), 0, i)


@case('index_add_repeats', 'tanh(index_add(x, 0, i, src))', x=normal(4, 3), i=const_index([1, 3, 1, 0, 1]), src=normal(5, 3))
def _(x, i, src):
    return torch.tanh(torch.index_add(x, 0, i, src))


@case('pad_constant', 'pad(tanh(x), last (1,2), middle (0,1), first (1,0), value 0.5) * 3', x=normal(2, 3, 4))
def _(x):
    return F.pad(torch.tanh(x), (1, 2, 0, 1, 1, 0), mode='constant', value=0.5) * 3


@case('concat_stack', 'cat([cat([a, exp(b), c*a], 1).flat, stack([a, c], 1).flat])', a=normal(2, 3), b=normal(2, 2), c=normal(2, 3))
def _(a, b, c):
    return torch.cat([torch.cat([a, torch.exp(b), c * a], dim=1).reshape(-1), torch.stack([a, c], dim=1).reshape(-1)])


@case('split_narrow_chunk', 'cat([cat([2 p2, exp(p0), sin(p1)], 1), narrow(x,0,1,2) * chunk(x,3,0)[0]], 0), p = split(x, [1,2,3], 1)', x=normal(3, 6))
def _(x):
    p0, p1, p2 = torch.split(x, [1, 2, 3], dim=1)
    top = torch.cat([2 * p2, torch.exp(p0), torch.sin(p1)], dim=1)
    return torch.cat([top, x.narrow(0, 1, 2) * torch.chunk(x, 3, dim=0)[0]], dim=0)


@case('slice_steps', 'cat([x[1:, ::2, -2:], x[::-2] (flip), x[-1, 1:4:2] ** 2, x[-1:0:-2, 2]])', x=normal(5, 4, 3))
def _(x):
    a = x[1:, ::2, -2:]
    b = torch.flip(x, [0])[::2]  # x[::-2]: torch has no negative steps
    c = x[-1, 1:4:2] ** 2
    d = torch.flip(x, [0])[0:4:2, 2]  # x[-1:0:-2, 2] = rows 4, 2
    return torch.cat([a.reshape(-1), 2 * b.reshape(-1), c.reshape(-1), d.reshape(-1)])


@case('flip_axes', 'flip(x, [0, 2]) * x', x=normal(2, 3, 4))
def _(x):
    return torch.flip(x, [0, 2]) * x


@case('permute_transpose_expand', 'x.permute(2,0,1).reshape(4,6) * y.expand(3,2).reshape(6) + (x.transpose(0,2).reshape(4,3,2) * y.squeeze(1)[None,:,None]).reshape(4,6)', x=normal(2, 3, 4), y=normal(3, 1))
def _(x, y):
    a = x.permute(2, 0, 1).reshape(4, 6) * y.expand(3, 2).reshape(6)
    b = x.transpose(0, 2).reshape(4, 3, 2) * y.squeeze(1).unsqueeze(0).unsqueeze(-1)
    return a + b.reshape(4, 6)


@case('batched_matmul_broadcast', 'a [2,1,3,4] @ b [5,4,2]', a=normal(2, 1, 3, 4), b=normal(5, 4, 2))
def _(a, b):
    return a @ b


@case('matmul_transposes_vectors', 'cat([(x @ W.T).flat, x.T @ u, v @ W.T, x @ v, u @ x])', x=normal(3, 4), W=normal(5, 4), v=normal(4), u=normal(3))
def _(x, W, v, u):
    return torch.cat([(x @ W.T).reshape(-1), x.T @ u, v @ W.T, x @ v, u @ x])


@case(
    'prod_with_zeros',
    'cat([prod(x, 1), prod(x, 0), prod(x[2])]) with one zero in row 0, two in row 1',
    x=fixed([[0.9, 0.0, -1.3, 1.1], [0.0, 1.4, 0.0, -0.7], [1.2, -0.8, 1.5, 0.6]]),
)
def _(x):
    return torch.cat([torch.prod(x, 1), torch.prod(x, 0), torch.prod(x[2]).reshape(1)])


@case('amax_amin', 'cat([amax(x, 1).flat, amin(x, (0, 2)), amax(x)])', x=distinct(3, 4, 5))
def _(x):
    return torch.cat([torch.amax(x, 1).reshape(-1), torch.amin(x, (0, 2)), torch.amax(x).reshape(1)])


@case('clamp_chain', 'clamp(1.5 x, -0.5, 0.7) * x + clamp(x, min=-0.2)', x=distinct(3, 5, gap=0.13))
def _(x):
    return torch.clamp(1.5 * x, -0.5, 0.7) * x + torch.clamp(x, min=-0.2)


@case('topk_sort_values', 'cat([topk(x,3,1).values, topk(x,2,0,smallest).values, sort(x,1,desc).values] flat)', x=distinct(3, 6))
def _(x):
    a = torch.topk(x, 3, dim=1).values
    b = torch.topk(x, 2, dim=0, largest=False).values
    c = torch.sort(x, dim=1, descending=True).values
    return torch.cat([a.reshape(-1), b.reshape(-1), c.reshape(-1)])


@case(
    'attention_causal',
    'softmax(where(mask, q @ k^T / sqrt(3), -inf), -1) @ v',
    q=normal(2, 4, 3), k=normal(2, 4, 3), v=normal(2, 4, 3),
    mask=const_mask(np.tril(np.ones((4, 4))) > 0),
)
def _(q, k, v, mask):
    scores = (q @ k.transpose(-1, -2)) / math.sqrt(3)
    return torch.softmax(scores.masked_fill(~mask, -INF), dim=-1) @ v


@case('layernorm_manual', '(x - mean) / sqrt(var_pop + 1e-5) * gamma + beta over the last axis', x=normal(4, 6), gamma=normal(6), beta=normal(6))
def _(x, gamma, beta):
    mu = x.mean(dim=-1, keepdim=True)
    var = x.var(dim=-1, unbiased=False, keepdim=True)
    out = (x - mu) / torch.sqrt(var + 1e-5) * gamma + beta
    ref = F.layer_norm(x, (6,), gamma, beta, eps=1e-5)
    assert torch.allclose(out, ref, rtol=1e-4 if x.dtype == torch.float32 else 1e-12, atol=1e-5 if x.dtype == torch.float32 else 1e-12)
    return out


@case('broadcast_arith', '(a * b - a / c) + (b - c) ** 2, a [3,1,4], b [2,1], c [4]', a=normal(3, 1, 4), b=normal(2, 1), c=away(4, lo=0.5))
def _(a, b, c):
    return (a * b - a / c) + (b - c) ** 2


@case('softmax_logsoftmax_axes', 'softmax(x, 0) * log_softmax(x, 1)', x=normal(2, 3, 4, scale=2))
def _(x):
    return torch.softmax(x, dim=0) * F.log_softmax(x, dim=1)


@case('mean_sum_keepdim', 'sum(x, 1, keepdim) * mean(x, (0, 2), keepdim) - mean(x)', x=normal(2, 3, 4))
def _(x):
    return x.sum(dim=1, keepdim=True) * x.mean(dim=(0, 2), keepdim=True) - x.mean()


def py_slice(x, *specs):
    """x[specs] with Python semantics (negative steps included) built from index_select and select."""
    for dim, s in enumerate(specs):
        if isinstance(s, slice):
            idx = torch.tensor(list(range(*s.indices(x.shape[dim]))), dtype=torch.int64)
            x = torch.index_select(x, dim, idx)
    for dim in reversed(range(len(specs))):
        if isinstance(specs[dim], int):
            x = x.select(dim, specs[dim])
    return x


@case(
    'slice_python_semantics',
    'cat of x[5:1:-2, ::-1], 2 x[-1:-8:-3, 1:-1], 3 x[10:-10:-3, -2], 4 x[-100:3, 2:100:4], x[3:1], 5 x[::-1, -1:-6:-2], all flat',
    x=normal(7, 5),
)
def _(x):
    parts = [
        py_slice(x, slice(5, 1, -2), slice(None, None, -1)),
        2 * py_slice(x, slice(-1, -8, -3), slice(1, -1)),
        3 * py_slice(x, slice(10, -10, -3), -2),
        4 * py_slice(x, slice(-100, 3), slice(2, 100, 4)),
        py_slice(x, slice(3, 1)),
        5 * py_slice(x, slice(None, None, -1), slice(-1, -6, -2)),
    ]
    return torch.cat([p.reshape(-1) for p in parts])


@case(
    'pow_negative_base_int_exponent',
    'a ** e.float() with negative and zero bases, integer exponents 0..3 (grad to a only)',
    a=fixed([[-1.5, 0.0, -0.7, 2.0], [0.0, -2.0, 0.0, -1.1], [1.3, 0.9, -0.4, 0.0]]),
    e=const_index([0, 1, 2, 3]),
)
def _(a, e):
    return a ** e.to(a.dtype)


@case('where_broadcast', 'where(m [3,1], x [4], y [3,1]) * y.expand(2, -1, 4)', m=mask(3, 1), x=normal(4), y=normal(3, 1))
def _(m, x, y):
    return torch.where(m, x, y) * y.expand(2, -1, 4)


@case('dot_and_outer', '(v @ w) * (v[:, None] @ w[None, :])', v=normal(4), w=normal(4))
def _(v, w):
    return (v @ w) * (v[:, None] @ w[None, :])


@case('batched_matmul_transposes', 'a [2,1,4,3]^T @ b [3,5,4]^T (last two dims transposed)', a=normal(2, 1, 4, 3), b=normal(3, 5, 4))
def _(a, b):
    return a.transpose(-1, -2) @ b.transpose(-1, -2)


@case('topk_sort_3d', 'cat([topk(x, 2, 1).values, sort(x, 0).values, topk(x, 1, 2, smallest).values] flat)', x=distinct(2, 4, 3))
def _(x):
    a = torch.topk(x, 2, dim=1).values
    b = torch.sort(x, dim=0).values
    c = torch.topk(x, 1, dim=2, largest=False).values
    return torch.cat([a.reshape(-1), b.reshape(-1), c.reshape(-1)])


@case('index_select_middle_axis', 'index_select(x [2,4,3], 1, i) * index_select(index_select(x, 2, j).sum(2, keepdim), 1, i)', x=normal(2, 4, 3), i=const_index([3, 3, 0, 1, 2]), j=const_index([1, 1]))
def _(x, i, j):
    return torch.index_select(x, 1, i) * torch.index_select(x, 2, j).sum(2, keepdim=True).index_select(1, i)


@case(
    'maximum_minimum_ties',
    'maximum(a, b) * 2 + minimum(a, b) * 3 with exact ties (torch splits the gradient in half)',
    a=fixed([[0.5, -1.25, 2.0, 0.75], [1.5, 0.0, -0.5, 3.0]]),
    b=fixed([[0.5, -1.0, 2.0, -0.25], [1.5, 0.0, 0.25, 3.0]]),
)
def _(a, b):
    return torch.maximum(a, b) * 2 + torch.minimum(a, b) * 3


@case(
    'kinks_at_zero',
    'relu(x) + leaky_relu(x, 0.2) + elu(x, 0.7) + |x| + clamp(x, -0.5, 0.75), x hitting 0 and both bounds exactly',
    x=fixed([[0.0, -0.5, 0.75, 1.25], [-1.5, 0.0, 0.3, -0.2]]),
)
def _(x):
    return F.relu(x) + F.leaky_relu(x, 0.2) + F.elu(x, alpha=0.7) + torch.abs(x) + torch.clamp(x, -0.5, 0.75)


@case('norm_zero_row', 'norm2(z, dim 1) * 2 + norm2(z) with an all-zero row (gradient 0 there)', z=fixed([[0.0, 0.0, 0.0], [0.6, -0.8, 1.2]]))
def _(z):
    return torch.linalg.vector_norm(z, 2, dim=1) * 2 + torch.linalg.vector_norm(z)


@case('log_softmax_large_logits', 'log_softmax(40 x, 1) + softmax(40 x, 0)', x=normal(3, 5))
def _(x):
    return F.log_softmax(40 * x, dim=1) + torch.softmax(40 * x, dim=0)


@case('logsumexp_masked_neg_inf', 'logsumexp(where(m, x, -inf), 1), every row keeping one entry or more', x=normal(3, 5), m=const_mask([[1, 0, 1, 0, 0], [0, 0, 0, 1, 0], [1, 1, 1, 1, 1]]))
def _(x, m):
    return torch.logsumexp(torch.where(m, x, torch.tensor(-INF, dtype=x.dtype)), dim=1)


@case('std_all_keepdim', '(x - mean(x)) / std(x, all dims, corr 1, keepdim) + var(x, (0, 2), corr 0)[None, :, None]', x=normal(2, 3, 4))
def _(x):
    z = (x - x.mean()) / torch.std(x, dim=(0, 1, 2), correction=1, keepdim=True)
    return z + torch.var(x, dim=(0, 2), correction=0)[None, :, None]


@case(
    'rounding_ops',
    'x * floor(x) + 2 ceil(x) + 3 round(x) + 4 sign(x) (round halves to even; all but x * floor(x) have zero gradient)',
    x=fixed([[2.5, -0.5, 1.5, -2.5], [0.3, -1.7, 0.5, 3.49]]),
)
def _(x):
    return x * torch.floor(x) + 2 * torch.ceil(x) + 3 * torch.round(x) + 4 * torch.sign(x)


@case('chunk_uneven', 'cat([(i + 1) * c_i for c_i in chunk(x [2,6], 4, 1)], 1): torch gives 3 chunks of 2', x=normal(2, 6))
def _(x):
    chunks = torch.chunk(x, 4, dim=1)
    assert len(chunks) == 3
    return torch.cat([(i + 1) * c for i, c in enumerate(chunks)], dim=1)


# ---- running and writing

def to_torch(value, dtype):
    if isinstance(value, tuple):
        kind, arr = value
        return torch.tensor(arr, dtype=torch.int64 if kind == 'int32' else torch.bool)
    return torch.tensor(value, dtype=dtype, requires_grad=True)


def run(fn, raw, r, dtype):
    tensors = {k: to_torch(v, dtype) for k, v in raw.items()}
    out = fn(**tensors)
    floats = [k for k, t in tensors.items() if t.is_floating_point()]
    loss = (out * torch.tensor(r, dtype=dtype)).sum()
    grads = torch.autograd.grad(loss, [tensors[k] for k in floats])
    return out.detach(), {k: g for k, g in zip(floats, grads)}


def f64_list(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def f32_list(t):
    # The shortest decimal that reads back as the same float32: a third of float64's digits.
    return [float(repr(np.float32(v))) for v in t.detach().reshape(-1).numpy()]


def check_consistent(name, out64, g64, out32, g32):
    """float32 must tell the same story as float64; a kink crossed (relu, clamp, max) would show here."""
    pairs = [('output', out64, out32)] + [(k, g64[k], g32[k]) for k in g64]
    for what, a, b in pairs:
        a = a.numpy()
        b = b.double().numpy()
        assert np.all(np.isfinite(a)) and np.all(np.isfinite(b)), f'{name}: non-finite {what}'
        err = np.max(np.abs(a - b) / (1 + np.abs(a)), initial=0.0)
        assert err < 1e-4, f'{name}: float32 {what} differs from float64 by {err:.2e}'


def build_case(name, expr, specs, fn):
    rng = np.random.RandomState((SEED * 1000003 + zlib.crc32(name.encode())) % 2**32)
    raw = {k: draw(rng) for k, draw in specs.items()}
    with torch.no_grad():
        probe = fn(**{k: to_torch(v, torch.float64).detach() for k, v in raw.items()})
    r = np.round(rng.randn(*probe.shape), 4)
    out64, g64 = run(fn, raw, r, torch.float64)
    out32, g32 = run(fn, raw, r, torch.float32)
    check_consistent(name, out64, g64, out32, g32)
    inputs = {}
    for k, v in raw.items():
        if isinstance(v, tuple):
            kind, arr = v
            data = [bool(b) for b in arr.reshape(-1)] if kind == 'bool' else [int(i) for i in arr.reshape(-1)]
            inputs[k] = {'dtype': kind, 'shape': list(arr.shape), 'data': data}
        else:
            inputs[k] = {'dtype': 'float64', 'shape': list(v.shape), 'data': [float(x) for x in v.reshape(-1)]}
    return {
        'name': name,
        'expr': expr,
        'inputs': inputs,
        'r': {'shape': list(r.shape), 'data': [float(x) for x in r.reshape(-1)]},
        'float64': {
            'output': {'shape': list(out64.shape), 'data': f64_list(out64)},
            'grads': {k: f64_list(g) for k, g in g64.items()},
        },
        'float32': {
            'output': {'shape': list(out32.shape), 'data': f32_list(out32)},
            'grads': {k: f32_list(g) for k, g in g32.items()},
        },
    }


def main():
    names = [c[0] for c in CASES]
    assert len(names) == len(set(names)), 'duplicate case names'
    cases = [build_case(*c) for c in CASES]
    doc = {
        'generator': 'tools/golden_ops.py',
        'torch': torch.__version__,
        'seed': SEED,
        'note': 'Gradients are of sum(output * r) w.r.t. every float input. float32 results: inputs and r cast to float32, computed by torch in float32.',
        'cases': cases,
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w') as f:
        json.dump(doc, f, separators=(',', ':'))
        f.write('\n')
    print(f'wrote {len(cases)} cases to {os.path.relpath(OUT, ROOT)} ({os.path.getsize(OUT) / 1024:.0f} KB)')


if __name__ == '__main__':
    main()
