# The PyTorch side of the GAT target: a 2-layer GAT on Cora (8 heads x 8 hidden, ELU, 1 output head,
# dropout 0.6 on inputs and attention, Adam lr 0.005 wd 5e-4), full-batch training epochs/s, written in
# plain torch (gather, index_add, a per-target softmax by scatter_reduce amax) since PyG is not installable.
# Mirrors /work/shared/bench/pytorch_anchors.py's GCN anchor (same data loader, same timing loop).
# usage: /usr/bin/python3 pytorch_gat.py <threads> [repeats] [epochs per repeat]
import os, sys, time, statistics, torch, torch.nn as nn, torch.nn.functional as F
sys.path.insert(0, os.environ.get('DL_BENCH_DIR', '/work/shared/bench'))
import data
nth = int(sys.argv[1]); reps = int(sys.argv[2]) if len(sys.argv) > 2 else 5; steps = int(sys.argv[3]) if len(sys.argv) > 3 else 20
torch.set_num_threads(nth); torch.manual_seed(0)
x, y, e, vals, n = data.cora()
X = torch.from_numpy(x); Y = torch.from_numpy(y)
src = torch.from_numpy(e[:, 1].copy()); dst = torch.from_numpy(e[:, 0].copy())  # self-loops included
train_idx = torch.arange(140)

class GATLayer(nn.Module):
    def __init__(s, fin, fout, heads, concat):
        super().__init__(); s.h, s.c, s.concat = heads, fout, concat
        s.lin = nn.Linear(fin, heads * fout, bias=False)
        s.att_src = nn.Parameter(torch.randn(1, heads, fout) * 0.1); s.att_dst = nn.Parameter(torch.randn(1, heads, fout) * 0.1)
        s.bias = nn.Parameter(torch.zeros(heads * fout if concat else fout))
    def forward(s, x):
        h = s.lin(x).view(n, s.h, s.c)
        a = F.leaky_relu((h * s.att_src).sum(-1)[src] + (h * s.att_dst).sum(-1)[dst], 0.2)
        with torch.no_grad():  # the softmax is shift-invariant: the per-target max is a constant for the gradient
            m = torch.full((n, s.h), -1e30).scatter_reduce(0, dst[:, None].expand(-1, s.h), a, 'amax', include_self=True)
        w = torch.exp(a - m[dst])
        alpha = w / torch.zeros(n, s.h).index_add(0, dst, w)[dst]
        alpha = F.dropout(alpha, 0.6, training=s.training)
        out = torch.zeros(n, s.h, s.c).index_add(0, dst, alpha[:, :, None] * h[src])
        return (out.reshape(n, -1) if s.concat else out.mean(1)) + s.bias

class GAT(nn.Module):
    def __init__(s):
        super().__init__(); s.l1 = GATLayer(1433, 8, 8, True); s.l2 = GATLayer(64, 7, 1, False)
    def forward(s, x):
        x = F.dropout(x, 0.6, s.training); x = F.elu(s.l1(x)); x = F.dropout(x, 0.6, s.training); return s.l2(x)

m = GAT(); opt = torch.optim.Adam(m.parameters(), lr=0.005, weight_decay=5e-4)
def step():
    opt.zero_grad(); loss = F.cross_entropy(m(X)[train_idx], Y[train_idx]); loss.backward(); opt.step()
for _ in range(5): step()
res = []
for _ in range(reps):
    t0 = time.perf_counter()
    for _ in range(steps): step()
    res.append(steps / (time.perf_counter() - t0))
med = statistics.median(res)
print(f"RESULT torch{torch.__version__} gat threads={nth} train epochs/s (full batch): median {med:.1f} [min {min(res):.1f} - max {max(res):.1f}] per-rep={['%.1f'%r for r in res]}", flush=True)
