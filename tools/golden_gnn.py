"""Golden values for @dl/gnn: GCN, ChebNet (K=3), GIN, GraphSAGE (mean, max-pool, LSTM) and GAT layers on
Zachary's karate club, forward and gradients from the same weights, and the Laplacians' spectra.

PyG is not installable here, so every layer is written in plain torch from its paper / PyG's docstring.
Messages flow source -> target; the karate graph is undirected (each edge both ways), 34 nodes.

usage: /usr/bin/python3 tools/golden_gnn.py  (writes packages/gnn/test/fixtures/gnn-layers.json)
"""
import json, os
import torch
import torch.nn.functional as F

torch.manual_seed(0)
torch.set_default_dtype(torch.float64)
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KARATE = os.path.join(ROOT, '..', 'shared', 'datasets', 'karate', 'karate.edgelist')
if not os.path.exists(KARATE):
    KARATE = '/work/shared/datasets/karate/karate.edgelist'

pairs = [tuple(int(t) - 1 for t in line.split()) for line in open(KARATE) if line.strip()]
N = 34
src = torch.tensor([u for u, v in pairs] + [v for u, v in pairs])
dst = torch.tensor([v for u, v in pairs] + [u for u, v in pairs])
A = torch.zeros(N, N)
A[dst, src] = 1.0  # row = target
F_IN = 8
x0 = torch.randn(N, F_IN)


def arr(t):
    t = t.detach()
    return {'shape': list(t.shape), 'data': t.reshape(-1).tolist()}


def case(name, params, fwd, out_features, extra=None):
    """Forward on x, loss = sum(out * G) with a fixed random G; gradients of x and of every parameter."""
    x = x0.clone().requires_grad_(True)
    for p in params.values():
        p.requires_grad_(True)
        p.grad = None
    out = fwd(x)
    G = torch.randn(out.shape)
    (out * G).sum().backward()
    c = {'name': name, 'params': {k: arr(v) for k, v in params.items()}, 'output': arr(out), 'gradOutput': arr(G),
         'gradX': arr(x.grad), 'gradParams': {k: arr(v.grad) for k, v in params.items()}}
    if extra:
        c.update(extra)
    return c


def rnd(*shape, scale=0.3):
    return torch.randn(*shape) * scale


cases = []

# GCN: X' = D^-1/2 (A + I) D^-1/2 X W^T + b
W, b = rnd(16, F_IN), rnd(16)
Ah = A + torch.eye(N)
d = Ah.sum(1).rsqrt()
Anorm = d[:, None] * Ah * d[None, :]
cases.append(case('GCNConv', {'lin.weight': W, 'bias': b}, lambda x: Anorm @ (x @ W.T) + b, 16))

# ChebConv K=3, sym, lambda_max=2: Lhat = -D^-1/2 A D^-1/2
deg = A.sum(1)
Lhat = -(deg.rsqrt()[:, None] * A * deg.rsqrt()[None, :])
Ws = [rnd(16, F_IN) for _ in range(3)]
bc = rnd(16)
def cheb(x):
    t0, t1 = x, Lhat @ x
    t2 = 2 * (Lhat @ t1) - t0
    return t0 @ Ws[0].T + t1 @ Ws[1].T + t2 @ Ws[2].T + bc
cases.append(case('ChebConv', {'lins.0.weight': Ws[0], 'lins.1.weight': Ws[1], 'lins.2.weight': Ws[2], 'bias': bc}, cheb, 16, {'K': 3}))

# GIN: MLP((1 + eps) x + sum_j x_j), MLP = Linear(8,16) ReLU Linear(16,16), eps learnable
W1, b1, W2, b2 = rnd(16, F_IN), rnd(16), rnd(16, 16), rnd(16)
eps = torch.tensor([0.1])
def gin(x):
    h = (1 + eps) * x + A @ x
    return F.relu(h @ W1.T + b1) @ W2.T + b2
cases.append(case('GINConv', {'eps': eps, 'nn.0.weight': W1, 'nn.0.bias': b1, 'nn.2.weight': W2, 'nn.2.bias': b2}, gin, 16))

# SAGE mean: lin_l(mean_j x_j) + lin_r(x)
Wl, bl, Wr = rnd(16, F_IN), rnd(16), rnd(16, F_IN)
Amean = A / A.sum(1, keepdim=True)
cases.append(case('SAGEConv', {'lin_l.weight': Wl, 'lin_l.bias': bl, 'lin_r.weight': Wr}, lambda x: (Amean @ x) @ Wl.T + bl + x @ Wr.T, 16, {'aggr': 'mean'}))

# SAGE max-pool: lin_l(max_j relu(lin(x_j))) + lin_r(x)
Wp, bp = rnd(F_IN, F_IN), rnd(F_IN)
Wl2, bl2, Wr2 = rnd(16, F_IN), rnd(16), rnd(16, F_IN)
def sage_pool(x):
    p = F.relu(x @ Wp.T + bp)
    msgs = p[src]
    agg = torch.zeros(N, F_IN).scatter_reduce(0, dst[:, None].expand(-1, F_IN), msgs, 'amax', include_self=False)
    return agg @ Wl2.T + bl2 + x @ Wr2.T
cases.append(case('SAGEConv', {'lin.weight': Wp, 'lin.bias': bp, 'lin_l.weight': Wl2, 'lin_l.bias': bl2, 'lin_r.weight': Wr2}, sage_pool, 16, {'aggr': 'max', 'project': True}))

# SAGE LSTM: each node's in-neighbours in ascending source order through an LSTM (hidden = in), state after the last one
Hs = F_IN
lstm = torch.nn.LSTM(F_IN, Hs, batch_first=True)
lp = {k: v.detach().clone() for k, v in lstm.named_parameters()}
Wl3, bl3, Wr3 = rnd(16, F_IN), rnd(16), rnd(16, F_IN)
def sage_lstm(x):
    outs = []
    for i in range(N):
        nb = sorted(src[dst == i].tolist())
        seq = x[nb]
        h = torch.zeros(Hs); c = torch.zeros(Hs)
        for t in range(len(nb)):
            g = seq[t] @ lp['weight_ih_l0'].T + lp['bias_ih_l0'] + h @ lp['weight_hh_l0'].T + lp['bias_hh_l0']
            ii, ff, gg, oo = g.split(Hs)
            c = torch.sigmoid(ff) * c + torch.sigmoid(ii) * torch.tanh(gg)
            h = torch.sigmoid(oo) * torch.tanh(c)
        outs.append(h)
    agg = torch.stack(outs)
    return agg @ Wl3.T + bl3 + x @ Wr3.T
# cross-check the hand-written cell against torch.nn.LSTM on one node's sequence
with torch.no_grad():
    nb = sorted(src[dst == 0].tolist())
    ref = lstm(x0[nb][None])[0][0, -1]
h = torch.zeros(Hs); c = torch.zeros(Hs)
for t in range(len(nb)):
    g = x0[nb][t] @ lp['weight_ih_l0'].T + lp['bias_ih_l0'] + h @ lp['weight_hh_l0'].T + lp['bias_hh_l0']
    ii, ff, gg, oo = g.split(Hs)
    c = torch.sigmoid(ff) * c + torch.sigmoid(ii) * torch.tanh(gg)
    h = torch.sigmoid(oo) * torch.tanh(c)
assert torch.allclose(ref, h), 'hand-written LSTM cell differs from torch.nn.LSTM'
lstm_params = {'aggr_module.lstm.' + k: v for k, v in lp.items()}
lstm_params.update({'lin_l.weight': Wl3, 'lin_l.bias': bl3, 'lin_r.weight': Wr3})
cases.append(case('SAGEConv', lstm_params, sage_lstm, 16, {'aggr': 'lstm'}))

# GAT: heads 2, out 4; concat and mean
for concat in (True, False):
    H, C = 2, 4
    Wg, a_s, a_d = rnd(H * C, F_IN), rnd(1, H, C), rnd(1, H, C)
    bg = rnd(H * C if concat else C)
    s2 = torch.cat([src, torch.arange(N)])
    d2 = torch.cat([dst, torch.arange(N)])
    def gat(x, a_s=a_s, a_d=a_d, Wg=Wg, bg=bg, concat=concat):
        h = (x @ Wg.T).view(N, H, C)
        es = (h * a_s).sum(-1); ed = (h * a_d).sum(-1)
        e = F.leaky_relu(es[s2] + ed[d2], 0.2)  # [E, H]
        m = torch.full((N, H), -float('inf')).scatter_reduce(0, d2[:, None].expand(-1, H), e, 'amax', include_self=True)
        w = torch.exp(e - m[d2])
        den = torch.zeros(N, H).index_add(0, d2, w)
        alpha = w / den[d2]
        out = torch.zeros(N, H, C).index_add(0, d2, alpha[:, :, None] * h[s2])
        out = out.reshape(N, H * C) if concat else out.mean(1)
        return out + bg
    cases.append(case('GATConv', {'lin.weight': Wg, 'att_src': a_s, 'att_dst': a_d, 'bias': bg}, gat, H * C, {'heads': H, 'concat': concat, 'outChannels': C}))

# Laplacian spectra (combinatorial and symmetric normalised)
L = torch.diag(deg) - A
Lsym = torch.eye(N) - deg.rsqrt()[:, None] * A * deg.rsqrt()[None, :]
spectra = {'combinatorial': torch.linalg.eigvalsh(L).tolist(), 'sym': torch.linalg.eigvalsh(Lsym).tolist()}

out = {'torch': torch.__version__, 'graph': {'numNodes': N, 'src': src.tolist(), 'dst': dst.tolist()}, 'x': arr(x0), 'cases': cases, 'spectra': spectra}
path = os.path.join(ROOT, 'packages', 'gnn', 'test', 'fixtures', 'gnn-layers.json')
with open(path, 'w') as f:
    json.dump(out, f)
print('wrote', path, len(cases), 'cases')
