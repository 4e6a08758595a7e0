import { Tensor, ValueError } from '@dl/tensor';
import { Graph } from '../graph.js';
import { DataFormatError, fileExists, intField, joinPath, lines, readText } from './files.js';

/** A TU data set: one graph per entry, node labels one-hot as `x`, the graph's class as `y` (int32 `[1]`). */
export interface TUDataset {
  name: string;
  graphs: Graph[];
  /** Class of every graph, 0 … C−1 (original labels sorted: MUTAG's −1 → 0, 1 → 1). */
  labels: Int32Array;
  /** The original label values, in class order. */
  labelValues: number[];
  numClasses: number;
  /** Node features per node (the one-hot width of the node labels; 0 without node labels). */
  numFeatures: number;
}

/** The raw text of a TU data set's files (`<name>_A.txt` etc.). */
export interface TUFiles {
  A: string;
  graphIndicator: string;
  graphLabels: string;
  nodeLabels?: string;
  edgeLabels?: string;
}

/**
 * Parses a TU data set (Morris et al. 2020) from its text files: global 1-based
 * node ids in `A` (`row, col` per line), the graph of each node, each graph's
 * label, optional node labels (one-hot features) and edge labels (one-hot
 * `edgeAttr`). Edges are checked to lie inside one graph; errors name the file and line.
 *
 * @example parseTUDataset('MUTAG', files).graphs.length // 188
 */
export function parseTUDataset(name: string, files: TUFiles, fileNames?: Partial<Record<keyof TUFiles, string>>): TUDataset {
  const op = 'parseTUDataset';
  const fname = (k: keyof TUFiles, suffix: string): string => fileNames?.[k] ?? `${name}_${suffix}.txt`;
  const fInd = fname('graphIndicator', 'graph_indicator');
  const graphOf = lines(files.graphIndicator).map(({ line, text }) => intField(op, fInd, line, text, 'graph id'));
  const n = graphOf.length;
  const fLab = fname('graphLabels', 'graph_labels');
  const rawLabels = lines(files.graphLabels).map(({ line, text }) => intField(op, fLab, line, text, 'graph label'));
  const G = rawLabels.length;
  graphOf.forEach((g, i) => {
    if (g < 1 || g > G) throw new DataFormatError(op, fInd, i + 1, `graph id ${g} is out of range for the ${G} graphs of ${fLab}`);
    if (i > 0 && g < graphOf[i - 1]!) throw new DataFormatError(op, fInd, i + 1, `graph id ${g} after ${graphOf[i - 1]}; need non-decreasing ids (each graph's nodes contiguous)`);
  });
  const first = new Int32Array(G + 1).fill(-1);
  const count = new Int32Array(G);
  graphOf.forEach((g, i) => {
    if (first[g - 1] === -1) first[g - 1] = i;
    count[g - 1]!++;
  });
  let nodeLabel: number[] | null = null;
  let numNodeLabels = 0;
  let minNode = 0;
  if (files.nodeLabels !== undefined) {
    const f = fname('nodeLabels', 'node_labels');
    const ls = lines(files.nodeLabels);
    if (ls.length !== n) throw new DataFormatError(op, f, ls.length, `has ${ls.length} lines but ${fInd} has ${n} nodes; need one label per node (feature count mismatch)`);
    nodeLabel = ls.map(({ line, text }) => intField(op, f, line, text, 'node label'));
    minNode = Math.min(...nodeLabel);
    numNodeLabels = Math.max(...nodeLabel) - minNode + 1;
  }
  const fA = fname('A', 'A');
  const aLines = lines(files.A);
  let edgeLabel: number[] | null = null;
  let numEdgeLabels = 0;
  let minEdge = 0;
  if (files.edgeLabels !== undefined) {
    const f = fname('edgeLabels', 'edge_labels');
    const ls = lines(files.edgeLabels);
    if (ls.length !== aLines.length) throw new DataFormatError(op, f, ls.length, `has ${ls.length} lines but ${fA} has ${aLines.length} edges; need one label per edge`);
    edgeLabel = ls.map(({ line, text }) => intField(op, f, line, text, 'edge label'));
    minEdge = Math.min(...edgeLabel);
    numEdgeLabels = Math.max(...edgeLabel) - minEdge + 1;
  }
  const perGraph: { src: number[]; dst: number[]; lab: number[] }[] = Array.from({ length: G }, () => ({ src: [], dst: [], lab: [] }));
  for (let k = 0; k < aLines.length; k++) {
    const { line, text } = aLines[k]!;
    const parts = text.split(',');
    if (parts.length !== 2) throw new DataFormatError(op, fA, line, `${JSON.stringify(text)}; need "row, col"`);
    const u = intField(op, fA, line, parts[0], 'row') - 1;
    const v = intField(op, fA, line, parts[1], 'col') - 1;
    for (const w of [u, v]) if (w < 0 || w >= n) throw new DataFormatError(op, fA, line, `node ${w + 1} is out of range for the ${n} nodes of ${fInd} (edge index out of range)`);
    const g = graphOf[u]! - 1;
    if (graphOf[v]! - 1 !== g) throw new DataFormatError(op, fA, line, `edge ${u + 1} → ${v + 1} joins graph ${g + 1} to graph ${graphOf[v]}; need both ends in one graph`);
    perGraph[g]!.src.push(u - first[g]!);
    perGraph[g]!.dst.push(v - first[g]!);
    if (edgeLabel) perGraph[g]!.lab.push(edgeLabel[k]! - minEdge);
  }
  const labelValues = [...new Set(rawLabels)].sort((a, b) => a - b);
  const classOf = new Map(labelValues.map((v, i) => [v, i]));
  const labels = Int32Array.from(rawLabels, (v) => classOf.get(v)!);
  const graphs: Graph[] = [];
  for (let g = 0; g < G; g++) {
    const nn = count[g]!;
    if (nn === 0) throw new ValueError(op, `graph ${g + 1} has no nodes in ${fInd}`);
    let x: Tensor | null = null;
    if (nodeLabel) {
      const d = new Float32Array(nn * numNodeLabels);
      for (let i = 0; i < nn; i++) d[i * numNodeLabels + nodeLabel[first[g]! + i]! - minNode] = 1;
      x = new Tensor(d, [nn, numNodeLabels]);
    }
    const e = perGraph[g]!;
    let edgeAttr: Tensor | null = null;
    if (edgeLabel) {
      const d = new Float32Array(e.lab.length * numEdgeLabels);
      e.lab.forEach((l, i) => (d[i * numEdgeLabels + l] = 1));
      edgeAttr = new Tensor(d, [e.lab.length, numEdgeLabels]);
    }
    graphs.push(new Graph({ edgeIndex: { src: e.src, dst: e.dst }, numNodes: nn, x, edgeAttr, y: new Tensor(Int32Array.of(labels[g]!), [1]) }).coalesce());
  }
  return { name, graphs, labels, labelValues, numClasses: labelValues.length, numFeatures: numNodeLabels };
}

/**
 * Loads a TU data set from a folder holding `<name>_A.txt`,
 * `<name>_graph_indicator.txt`, `<name>_graph_labels.txt` and optionally
 * `<name>_node_labels.txt` / `<name>_edge_labels.txt` (Node.js).
 *
 * @example const mutag = loadTUDataset('../shared/datasets/mutag', 'MUTAG');
 */
export function loadTUDataset(dir: string, name: string): TUDataset {
  const op = 'loadTUDataset';
  const path = (s: string): string => joinPath(dir, `${name}_${s}.txt`);
  const names = { A: path('A'), graphIndicator: path('graph_indicator'), graphLabels: path('graph_labels'), nodeLabels: path('node_labels'), edgeLabels: path('edge_labels') };
  const files: TUFiles = { A: readText(op, names.A), graphIndicator: readText(op, names.graphIndicator), graphLabels: readText(op, names.graphLabels) };
  if (fileExists(op, names.nodeLabels)) files.nodeLabels = readText(op, names.nodeLabels);
  if (fileExists(op, names.edgeLabels)) files.edgeLabels = readText(op, names.edgeLabels);
  return parseTUDataset(name, files, names);
}

/**
 * Stratified k-fold split of graph indices (deterministic for a seed): fold f
 * holds about 1/k of every class. Returns k `{ train, test }` index lists.
 *
 * @example kFold(mutag.labels, 10, 0)[0].test.length // 19
 */
export function kFold(labels: Int32Array, k: number, seed = 0): { train: number[]; test: number[] }[] {
  if (!Number.isInteger(k) || k < 2 || k > labels.length) throw new ValueError('kFold', `k must be an integer in [2, ${labels.length}], got ${k}`);
  let s = (seed ^ 0x9e3779b9) >>> 0;
  const rand = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const byClass = new Map<number, number[]>();
  labels.forEach((l, i) => {
    if (!byClass.has(l)) byClass.set(l, []);
    byClass.get(l)!.push(i);
  });
  const folds: number[][] = Array.from({ length: k }, () => []);
  let next = 0;
  for (const c of [...byClass.keys()].sort((a, b) => a - b)) {
    const items = byClass.get(c)!;
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    for (const it of items) folds[next++ % k]!.push(it);
  }
  return folds.map((test, f) => ({ train: folds.flatMap((fold, g) => (g === f ? [] : fold)), test }));
}
