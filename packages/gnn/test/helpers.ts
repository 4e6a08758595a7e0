import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Graph } from '@dl/gnn';
import { type Tensor, tensor } from '@dl/tensor';
import { expect } from 'vitest';

// The PyTorch fixture (tools/golden_gnn.py): the karate-club graph, its
// features, and per layer the weights, output and gradients.

export interface Arr {
  shape: number[];
  data: number[];
}

export interface LayerCase {
  name: string;
  params: Record<string, Arr>;
  output: Arr;
  gradOutput: Arr;
  gradX: Arr;
  gradParams: Record<string, Arr>;
  K?: number;
  aggr?: string;
  project?: boolean;
  heads?: number;
  concat?: boolean;
  outChannels?: number;
}

export interface Fixtures {
  torch: string;
  graph: { numNodes: number; src: number[]; dst: number[] };
  x: Arr;
  cases: LayerCase[];
  spectra: { combinatorial: number[]; sym: number[] };
}

let cached: Fixtures | null = null;

export function fixtures(): Fixtures {
  cached ??= JSON.parse(readFileSync(new URL('./fixtures/gnn-layers.json', import.meta.url), 'utf8')) as Fixtures;
  return cached;
}

/** A fixture array as a float64 tensor (optionally a leaf that requires grad). */
export function t(a: Arr, requiresGrad = false): Tensor {
  const x = tensor(a.data, { dtype: 'float64' }).reshape(a.shape);
  return requiresGrad ? x.detach().requiresGrad_(true) : x;
}

/** The karate-club graph of the fixture (both directions of every edge). */
export function karate(): Graph {
  const f = fixtures();
  return new Graph({ edgeIndex: { src: f.graph.src, dst: f.graph.dst }, numNodes: f.graph.numNodes });
}

/** Float64 comparison with torch: within `tol`·(1 + |want|). */
export function expectClose(what: string, got: Tensor, want: Arr, tol = 1e-10): void {
  expect(got.shape, `${what}: shape`).toEqual(want.shape);
  const g = got.data;
  for (let i = 0; i < want.data.length; i++) {
    const w = want.data[i]!;
    const err = Math.abs(g[i]! - w);
    if (!(err <= tol * (1 + Math.abs(w)))) expect.fail(`${what}[${i}]: got ${g[i]}, torch ${w} (|diff| ${err})`);
  }
}

/**
 * `$DL_DATASETS/<name>`, else `../shared/datasets/<name>` beside the repository,
 * else the workspace's `/work/shared/datasets/<name>` (a clean clone elsewhere, as CI makes,
 * has no folder beside it; without this fallback the real-data tests were skipped there).
 */
export function datasetPath(name: string): string {
  if (process.env.DL_DATASETS) return `${process.env.DL_DATASETS.replace(/\/$/, '')}/${name}`;
  const beside = fileURLToPath(new URL(`../../../../shared/datasets/${name}`, import.meta.url));
  return existsSync(beside) ? beside : `/work/shared/datasets/${name}`;
}
