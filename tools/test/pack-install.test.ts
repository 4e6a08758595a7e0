// The packages as a user gets them: packed with the release tooling (pnpm,
// as `changeset publish` packs), installed with npm alone into a fresh project
// outside the workspace, then used from ESM, from CommonJS, from both at once,
// and from TypeScript (strict; `bundler`, `node16` and `nodenext` resolution) — including
// every README example as written. Nothing is fetched: the tarballs have no
// runtime dependencies, and TypeScript comes from the workspace.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, packAll, root } from '../pack.mjs';

let dir = '';
let app = '';
let packed: { name: string; version: string; dir: string; tarball: string }[] = [];

function run(command: string, args: string[], options: { cwd?: string; allowFailure?: boolean } = {}) {
  const result = spawnSync(command, args, { cwd: options.cwd ?? app, encoding: 'utf8', env: cleanEnv(), timeout: 120_000 });
  if (!options.allowFailure && result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
  }
  return result;
}
const node = (file: string, flags: string[] = []) => run(process.execPath, [...flags, file]);
const json = (file: string) => JSON.parse(node(file).stdout.trim().split('\n').at(-1)!);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dl-pack-install-'));
  const tarballs = join(dir, 'tarballs');
  app = join(dir, 'app');
  mkdirSync(tarballs);
  mkdirSync(app);
  packed = packAll(tarballs);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'dl-smoke', private: true }, null, 2));
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--strict-peer-deps', '--ignore-scripts', ...packed.map((p) => p.tarball)]);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('packed with pnpm, installed with npm', () => {
  it('installs every package and nothing else: no runtime dependencies', () => {
    expect(packed.map((p) => p.name).sort()).toEqual(['@dl/attention', '@dl/autograd', '@dl/cnn', '@dl/gnn', '@dl/optim', '@dl/regularize', '@dl/rnn', '@dl/tensor']);
    expect(readdirSync(join(app, 'node_modules')).filter((f) => !f.startsWith('.'))).toEqual(['@dl']);
    expect(readdirSync(join(app, 'node_modules', '@dl')).sort()).toEqual(['attention', 'autograd', 'cnn', 'gnn', 'optim', 'regularize', 'rnn', 'tensor']);
    // npm's own view of the tree: every peer range satisfied.
    expect(run('npm', ['ls', '--all', '--offline']).status).toBe(0);
  });

  // One program, written once, loaded as ESM and as CommonJS.
  const body = `
const { Parameter, matmul, tensor } = tensorPkg;
const x = tensor([[1, 2], [3, 4]]);
const product = matmul(x, tensor([[5, 6], [7, 8]])).toArray();

const v = tensor([1, 2, 3], { requiresGrad: true });
autogradPkg.backward(v.mul(v).sum());
const gradient = v.grad.toArray();
const g = autogradPkg.grad((t) => t.mul(t).mul(t).sum())(tensor([2], { dtype: 'float64' })).toArray();

const w = new Parameter(tensor([1, -2], { dtype: 'float64' }));
const opt = new optimPkg.SGD([w], { lr: 0.1 });
opt.zeroGrad();
autogradPkg.backward(w.mul(w).sum());
opt.step();
const stepped = Array.from(w.data);

const bn = new regularizePkg.BatchNorm1d(2);
const normalized = bn.forward(tensor([[1, 10], [3, 30]])).toArray();
const dropout = new regularizePkg.Dropout(0.5);
dropout.eval();
const kept = dropout.forward(tensor([1, 2])).toArray();
const penalty = regularizePkg.l2Penalty([w], 0.1).item();
console.log(JSON.stringify({ product, gradient, g, stepped, normalized, kept, penalty }));
`;
  const expectSmoke = (out: Record<string, unknown>) => {
    expect(out.product).toEqual([[19, 22], [43, 50]]);
    expect(out.gradient).toEqual([2, 4, 6]);
    expect(out.g).toEqual([12]);
    expect(out.stepped).toEqual([0.8, -1.6]); // w − 0.1·2w
    const n = out.normalized as number[][];
    for (const [got, want] of [[n[0]![0], -1], [n[0]![1], -1], [n[1]![0], 1], [n[1]![1], 1]] as const) expect(got).toBeCloseTo(want, 3);
    expect(out.kept).toEqual([1, 2]);
    expect(out.penalty).toBeCloseTo(0.05 * (0.8 ** 2 + 1.6 ** 2), 12);
  };

  it('works from ESM: a matmul, gradients, an optimizer step, regularize layers', () => {
    writeFileSync(
      join(app, 'smoke.mjs'),
      `import * as tensorPkg from '@dl/tensor';\nimport * as autogradPkg from '@dl/autograd';\nimport * as optimPkg from '@dl/optim';\nimport * as regularizePkg from '@dl/regularize';\n${body}`,
    );
    expectSmoke(json('smoke.mjs'));
  });

  it('works from CommonJS, the same program', () => {
    writeFileSync(
      join(app, 'smoke.cjs'),
      `const tensorPkg = require('@dl/tensor');\nconst autogradPkg = require('@dl/autograd');\nconst optimPkg = require('@dl/optim');\nconst regularizePkg = require('@dl/regularize');\n${body}`,
    );
    const result = node('smoke.cjs');
    expect(result.stderr).toBe(''); // no ExperimentalWarning for require(esm) on the Node versions claimed
    expectSmoke(JSON.parse(result.stdout.trim()));
  });

  // require and import in one process: one copy of each package.
  const dual = `
const same = {
  tensorClass: cjs.Tensor === esm.Tensor,
  everyExport: Object.keys(esm).every((k) => cjs[k] === esm[k]),
  optimizerClass: cjsOptim.Optimizer === esmOptim.Optimizer,
  instanceOf: cjs.tensor([1]) instanceof esm.Tensor && esm.tensor([1]) instanceof cjs.Tensor,
};
const x = cjs.tensor([1, 2], { requiresGrad: true });
same.noGrad = cjs.noGrad(() => esm.mul(x, x)).requiresGrad === false && esm.noGrad(() => cjs.mul(x, x)).requiresGrad === false;
esmAutograd.backward(cjs.sum(esm.mul(x, x)));
same.crossGradient = x.grad.toArray();
cjs.setNumThreads(1);
same.threads = esm.getNumThreads();
console.log(JSON.stringify(same));
`;
  const expectOneCopy = (out: Record<string, unknown>) =>
    expect(out).toEqual({ tensorClass: true, everyExport: true, optimizerClass: true, instanceOf: true, noGrad: true, crossGradient: [2, 4], threads: 1 });

  it('require first, then import: the same Tensor class, recording state and thread setting', () => {
    writeFileSync(
      join(app, 'dual.cjs'),
      `const cjs = require('@dl/tensor');\nconst cjsOptim = require('@dl/optim');\n(async () => {\nconst esm = await import('@dl/tensor');\nconst esmOptim = await import('@dl/optim');\nconst esmAutograd = await import('@dl/autograd');\n${dual}})();`,
    );
    expectOneCopy(json('dual.cjs'));
  });

  it('import first, then require: the same', () => {
    writeFileSync(
      join(app, 'dual.mjs'),
      `import * as esm from '@dl/tensor';\nimport * as esmOptim from '@dl/optim';\nimport * as esmAutograd from '@dl/autograd';\nimport { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\nconst cjs = require('@dl/tensor');\nconst cjsOptim = require('@dl/optim');\n${dual}`,
    );
    expectOneCopy(json('dual.mjs'));
  });

  it('require() without require(esm) (Node before 20.19) fails with a message that says so', () => {
    writeFileSync(join(app, 'old-node.cjs'), `require('@dl/tensor');\n`);
    const result = run(process.execPath, ['--no-experimental-require-module', 'old-node.cjs'], { allowFailure: true });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('@dl/tensor: require() of this package needs Node.js ^20.19.0 || >=22.12.0');
    // import still works there
    writeFileSync(join(app, 'old-node.mjs'), `import { tensor } from '@dl/tensor';\nconsole.log(tensor([1, 2]).sum().item());\n`);
    expect(run(process.execPath, ['--no-experimental-require-module', 'old-node.mjs']).stdout.trim()).toBe('3');
  });
});

describe('the prepack guard', () => {
  it('refuses npm pack (it would ship workspace: ranges and the workspace-only exports map)', () => {
    const result = run('npm', ['pack', '--dry-run'], { cwd: join(root, 'packages', 'optim'), allowFailure: true });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("@dl/optim: refusing to pack");
    expect(result.stderr).toContain("packed by 'npm/");
  });

  it('refuses a package whose dist/ is missing, even under pnpm', () => {
    const unbuilt = join(dir, 'unbuilt');
    mkdirSync(unbuilt);
    for (const file of ['package.json', 'README.md', 'LICENSE']) writeFileSync(join(unbuilt, file), readFileSync(join(root, 'packages', 'autograd', file)));
    const result = spawnSync(process.execPath, [join(root, 'tools', 'prepack.mjs')], {
      cwd: unbuilt,
      encoding: 'utf8',
      env: cleanEnv({ npm_config_user_agent: 'pnpm/12.4.2 npm/? node/v20 linux x64' }),
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('./dist/index.js is missing or empty: build first');
    expect(result.stderr).toContain('./dist/index.cjs is missing or empty');
    expect(result.stderr).not.toContain('packed by');
  });
});

// Every README example that a user would paste: the packages' "## Example"
// sections as shipped in the tarballs, and the root README's "Use it from npm".
function tsBlocks(markdown: string, heading: string): string[] {
  const start = markdown.indexOf(`\n${heading}\n`);
  if (start < 0) return [];
  const end = markdown.indexOf('\n## ', start + heading.length + 2);
  const section = markdown.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

describe('TypeScript over the installed packages', () => {
  const examples: string[] = [];

  beforeAll(() => {
    const sources: [string, string][] = [];
    for (const name of ['tensor', 'autograd', 'optim', 'regularize', 'cnn', 'rnn', 'gnn', 'attention']) {
      const readme = readFileSync(join(app, 'node_modules', '@dl', name, 'README.md'), 'utf8');
      tsBlocks(readme, '## Example').forEach((code, i) => sources.push([`readme-${name}-${i}`, code]));
    }
    tsBlocks(readFileSync(join(root, 'README.md'), 'utf8'), '## Use it from npm').forEach((code, i) => sources.push([`readme-root-${i}`, code]));
    for (const [file, code] of sources) {
      writeFileSync(join(app, `${file}.mts`), code);
      examples.push(file);
    }
    writeFileSync(join(app, 'types.mts'), TYPES);
    writeFileSync(join(app, 'types.cts'), TYPES_CJS);
    const base = {
      strict: true,
      noEmit: true,
      skipLibCheck: false, // our .d.ts files are checked too
      target: 'es2022',
      lib: ['es2022'],
      typeRoots: [join(root, 'node_modules', '@types')],
      types: ['node'],
    };
    const files = ['types.mts', ...examples.map((f) => `${f}.mts`)];
    writeFileSync(join(app, 'tsconfig.bundler.json'), JSON.stringify({ compilerOptions: { ...base, module: 'esnext', moduleResolution: 'bundler' }, files }));
    for (const mode of ['node16', 'nodenext']) {
      writeFileSync(join(app, `tsconfig.${mode}.json`), JSON.stringify({ compilerOptions: { ...base, module: mode, moduleResolution: mode }, files: [...files, 'types.cts'] }));
    }
  });

  it('finds the README examples (each package has one; the root README one per package)', () => {
    for (const name of ['tensor', 'autograd', 'optim', 'regularize', 'cnn', 'rnn', 'gnn', 'attention']) expect(examples.some((f) => f.startsWith(`readme-${name}-`))).toBe(true);
    expect(examples.filter((f) => f.startsWith('readme-root-')).length).toBeGreaterThanOrEqual(4);
  });

  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  it.each(['bundler', 'node16', 'nodenext'])('tsc --strict, %s resolution: every package\'s public types and the README examples check', (mode) => {
    const result = run(process.execPath, [tsc, '-p', `tsconfig.${mode}.json`], { allowFailure: true });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('the README examples run as written', () => {
    for (const file of examples) {
      const code = readFileSync(join(app, `${file}.mts`), 'utf8');
      const js = ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
      writeFileSync(join(app, `${file}.mjs`), js);
      const result = run(process.execPath, [`${file}.mjs`], { allowFailure: true });
      expect(result.stderr, `${file}: ${result.stderr}`).toBe('');
      expect(result.status, file).toBe(0);
    }
  });
});

// A file that uses every package's public types the way an app does.
const TYPES = `
import { Linear, Module, Parameter, Sequential, ReLU, Generator, Tensor, tensor, type DType, type FloatArray } from '@dl/tensor';
import { backward, grad, valueAndGrad, gradcheck, type BackwardOptions, type ValueAndGrads } from '@dl/autograd';
import { Adam, SGD, StepLR, clipGradNorm, miniBatches, type AnyOptimizer, type SGDOptions } from '@dl/optim';
import { BatchNorm1d, Dropout, EarlyStopping, l2Penalty, type EarlyStoppingOptions } from '@dl/regularize';
import { Conv2d, MaxPool2d, conv2d, maxPool2dWithIndices, type Conv2dOptions } from '@dl/cnn';
import { LSTM, type LSTMOutput } from '@dl/rnn';
import { GCNConv, Graph, type GCNConvOptions } from '@dl/gnn';
import { MultiheadAttention, type MultiheadAttentionResult } from '@dl/attention';

class Net extends Module {
  readonly body: Sequential;
  constructor(g: Generator) {
    super();
    this.body = this.module('body', new Sequential(new Linear(4, 8, { generator: g }), new BatchNorm1d(8), new ReLU(), new Dropout(0.1, { generator: g }), new Linear(8, 1, { generator: g })));
  }
  override forward(x: Tensor): Tensor {
    return this.body.forward(x);
  }
}
const net = new Net(new Generator(0));
const params: Parameter[] = [...net.parameters()];
const sgdOptions: Partial<SGDOptions> & { lr: number } = { lr: 0.1, momentum: 0.9 };
const optimizers: AnyOptimizer[] = [new SGD(params, sgdOptions), new Adam(params, { lr: 1e-3 })];
const schedule = new StepLR(optimizers[0]!, { stepSize: 10, gamma: 0.5 });
const stopping: EarlyStoppingOptions = { patience: 3, mode: 'min' };
const stopper = new EarlyStopping(stopping);
const options: BackwardOptions = { retainGraph: false };
const x: Tensor = tensor([[1, 2, 3, 4]]);
const loss: Tensor = net.forward(x).sum().add(l2Penalty(params, 1e-4));
backward(loss, options);
const norm: number = clipGradNorm(params, 1);
const dtype: DType = x.dtype;
const data: FloatArray = params[0]!.data as FloatArray;
const f = (t: Tensor): Tensor => t.mul(t).sum();
const df: (t: Tensor) => Tensor = grad(f);
const { value, grads: [gradient] }: ValueAndGrads = valueAndGrad(f)(x);
const ok: boolean = gradcheck(f, [tensor([1, 2], { dtype: 'float64' })]);
const convOptions: Conv2dOptions = { padding: 'same', groups: 1 };
const image: Tensor = new MaxPool2d(2).forward(new Conv2d(1, 2, 3, convOptions).forward(tensor([[[[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]]]])));
const [pooled, argmax]: [Tensor, Tensor] = maxPool2dWithIndices(conv2d(image, tensor([[[[1]], [[1]]]])), { kernelSize: 1 });
for (const [xb] of miniBatches([x], { batchSize: 1 })) xb!.shape satisfies readonly number[];
const sequence: LSTMOutput = new LSTM(2, 3, { numLayers: 2 }).forward(tensor([[[1, 2]], [[3, 4]]]));
const gcnOptions: GCNConvOptions = { bias: true };
const nodes: Tensor = new GCNConv(2, 4, gcnOptions).forward(tensor([[1, 0], [0, 1], [1, 1]]), Graph.fromEdges([[0, 1], [1, 2]]));
const tokens = tensor([[[1, 0, 0, 1]], [[0, 1, 1, 0]]]);
const attended: MultiheadAttentionResult = new MultiheadAttention(4, 2).forward(tokens, tokens, tokens, { isCausal: true });
schedule.step();
stopper.step(loss.item(), net);
export { norm, dtype, data, df, value, gradient, ok, pooled, argmax, sequence, nodes, attended };
`;

// The same packages required from a CommonJS TypeScript file (node16).
const TYPES_CJS = `
import { Tensor, tensor } from '@dl/tensor';
import autograd = require('@dl/autograd');
import optim = require('@dl/optim');
import regularize = require('@dl/regularize');
import cnn = require('@dl/cnn');
const w = tensor([1, 2], { requiresGrad: true });
import rnn = require('@dl/rnn');
import gnn = require('@dl/gnn');
import attention = require('@dl/attention');
const conv: cnn.Conv2d = new cnn.Conv2d(1, 1, 1);
const gru: rnn.GRU = new rnn.GRU(1, 2);
gru.forward(tensor([[[1]]]));
const graph: gnn.Graph = gnn.Graph.fromEdges([[0, 1]]);
const mha: attention.MultiheadAttention = new attention.MultiheadAttention(2, 1);
conv.forward(tensor([[[[1]]]]));
autograd.backward(w.mul(w).sum());
const opt: optim.AnyOptimizer = new optim.SGD([w], { lr: 0.1 });
opt.step();
const layer: regularize.BatchNorm1d = new regularize.BatchNorm1d(2);
const out: Tensor = layer.forward(tensor([[1, 2], [3, 4]]));
void graph;
void mha;
export = out;
`;
