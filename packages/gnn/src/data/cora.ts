import { Tensor, ValueError } from '@dl/tensor';
import { Graph } from '../graph.js';
import { DataFormatError, fileExists, joinPath, lines, readText } from './files.js';

/** Cora as GCN/GAT papers use it. */
export interface CoraDataset {
  /** Undirected, coalesced citation graph (5278 undirected edges, both directions: 10556), `x` `[2708, 1433]` float32 bag-of-words, `y` int32 labels. */
  graph: Graph;
  /** The citations as they are in `cora.cites`: directed citing → cited, 5429 edges, no features (for co-citation hypergraphs). */
  citations: Graph;
  /** Class names, in label order (Planetoid's order with the public split). */
  classes: string[];
  /** Paper id of every node. */
  paperIds: string[];
  /** Node indices of the split (int32): 140 / 500 / 1000 with the public split. */
  trainIndex: Tensor;
  valIndex: Tensor;
  testIndex: Tensor;
}

/** The raw text of Cora's files. */
export interface CoraFiles {
  content: string;
  cites: string;
  /** `planetoid_index_map.tsv` (the Planetoid public split); absent: nodes in `cora.content` order and no split. */
  indexMap?: string;
}

/** Options of {@link loadCora} / {@link parseCora}. */
export interface CoraOptions {
  /** Divide each feature row by its sum (Kipf & Welling's preprocessing; default false). */
  normalizeFeatures?: boolean;
}

/** Planetoid's class order (one-hot column → class). */
export const PLANETOID_CLASSES = ['Theory', 'Reinforcement_Learning', 'Genetic_Algorithms', 'Neural_Networks', 'Probabilistic_Methods', 'Case_Based', 'Rule_Learning'];

/**
 * Parses Cora from the text of `cora.content` / `cora.cites` (and
 * `planetoid_index_map.tsv` for the public split: nodes numbered as
 * Planetoid numbers them, 140 train / 500 val / 1000 test). Malformed lines,
 * unknown paper ids, feature-count mismatches and split indices beyond the
 * node count throw errors naming the file and line.
 *
 * @example const cora = parseCora({ content, cites, indexMap });
 */
export function parseCora(files: CoraFiles, options: CoraOptions = {}): CoraDataset {
  return parseNamed('parseCora', files, options, { content: 'cora.content', cites: 'cora.cites', indexMap: 'planetoid_index_map.tsv' });
}

function parseNamed(op: string, files: CoraFiles, options: CoraOptions, names: { content: string; cites: string; indexMap: string }): CoraDataset {
  const contentLines = lines(files.content);
  let width = -1;
  const ids: string[] = [];
  const labels: string[] = [];
  const rows: Float32Array[] = [];
  for (const { line, text } of contentLines) {
    const f = text.split('\t');
    if (f.length < 3) throw new DataFormatError(op, names.content, line, `has ${f.length} tab-separated fields; need <paper_id> <features...> <class_label>`);
    const w = f.length - 2;
    if (width < 0) width = w;
    else if (w !== width) throw new DataFormatError(op, names.content, line, `has ${w} features but line 1 has ${width}; need the same feature count on every line`);
    const row = new Float32Array(w);
    for (let j = 0; j < w; j++) {
      const s = f[j + 1]!;
      if (s === '1') row[j] = 1;
      else if (s !== '0') {
        const v = Number(s);
        if (s.trim() === '' || !Number.isFinite(v)) throw new DataFormatError(op, names.content, line, `feature ${j} is ${JSON.stringify(s)}; need a number`);
        row[j] = v;
      }
    }
    ids.push(f[0]!);
    labels.push(f[w + 1]!);
    rows.push(row);
  }
  const n = ids.length;
  if (n === 0) throw new DataFormatError(op, names.content, 1, 'is empty');
  // Node numbering: Planetoid's with the index map, else file order.
  const lineOf = new Map<string, number>();
  ids.forEach((id, i) => {
    if (lineOf.has(id)) throw new DataFormatError(op, names.content, i + 1, `paper id ${id} appears twice (first on line ${lineOf.get(id)! + 1})`);
    lineOf.set(id, i);
  });
  let nodeOfLine = Int32Array.from({ length: n }, (_, i) => i);
  const split: { train: number[]; val: number[]; test: number[] } = { train: [], val: [], test: [] };
  let classes = [...new Set(labels)].sort();
  if (files.indexMap !== undefined) {
    const file = names.indexMap;
    nodeOfLine = new Int32Array(n).fill(-1);
    const mapLines = lines(files.indexMap);
    const header = mapLines[0]?.text.split('\t') ?? [];
    const col = (name: string): number => {
      const c = header.indexOf(name);
      if (c < 0) throw new DataFormatError(op, file, 1, `header lacks the column '${name}' (need planetoid_index, paper_id, content_line, split)`);
      return c;
    };
    const [ci, cp, cl, cs] = [col('planetoid_index'), col('paper_id'), col('content_line'), col('split')];
    for (const { line, text } of mapLines.slice(1)) {
      const f = text.split('\t');
      const idx = Number(f[ci]);
      const at = Number(f[cl]);
      if (!Number.isInteger(idx) || !Number.isInteger(at)) throw new DataFormatError(op, file, line, `planetoid_index ${JSON.stringify(f[ci])} / content_line ${JSON.stringify(f[cl])} must be integers`);
      if (idx < 0 || idx >= n) throw new DataFormatError(op, file, line, `planetoid_index ${idx} is beyond the node count (${n} nodes in cora.content); need 0 ≤ index < ${n}`);
      if (at < 0 || at >= n) throw new DataFormatError(op, file, line, `content_line ${at} is beyond cora.content's ${n} lines`);
      if (ids[at] !== f[cp]) throw new DataFormatError(op, file, line, `paper ${f[cp]} is not on cora.content line ${at + 1} (found ${ids[at]})`);
      nodeOfLine[at] = idx;
      const s = f[cs];
      if (s === 'train' || s === 'val' || s === 'test') split[s].push(idx);
      else if (s !== 'none') throw new DataFormatError(op, file, line, `split ${JSON.stringify(s)}; need train, val, test or none`);
    }
    const missing = nodeOfLine.indexOf(-1);
    if (missing >= 0) throw new DataFormatError(op, file, mapLines.length, `has no row for cora.content line ${missing + 1} (paper ${ids[missing]})`);
    if (classes.every((c) => PLANETOID_CLASSES.includes(c)) && classes.length === PLANETOID_CLASSES.length) classes = PLANETOID_CLASSES.slice();
  }
  const classOf = new Map(classes.map((c, i) => [c, i]));
  const x = new Float32Array(n * width);
  const y = new Int32Array(n);
  const paperIds = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const node = nodeOfLine[i]!;
    const row = rows[i]!;
    if (options.normalizeFeatures) {
      let s = 0;
      for (let j = 0; j < width; j++) s += row[j]!;
      if (s > 0) for (let j = 0; j < width; j++) row[j] = row[j]! / s;
    }
    x.set(row, node * width);
    y[node] = classOf.get(labels[i]!)!;
    paperIds[node] = ids[i]!;
  }
  const src: number[] = [];
  const dst: number[] = [];
  for (const { line, text } of lines(files.cites)) {
    const f = text.split('\t');
    if (f.length !== 2) throw new DataFormatError(op, names.cites, line, `has ${f.length} fields; need <cited_id>\\t<citing_id>`);
    const a = lineOf.get(f[0]!);
    const b = lineOf.get(f[1]!);
    if (a === undefined) throw new DataFormatError(op, names.cites, line, `paper id ${f[0]} is not in cora.content (edge index out of range)`);
    if (b === undefined) throw new DataFormatError(op, names.cites, line, `paper id ${f[1]} is not in cora.content (edge index out of range)`);
    // citing → cited
    src.push(nodeOfLine[b]!);
    dst.push(nodeOfLine[a]!);
  }
  const citations = new Graph({ edgeIndex: { src, dst }, numNodes: n });
  const graph = citations.with({ x: new Tensor(x, [n, width]), y: new Tensor(y, [n]) }).toUndirected().removeSelfLoops();
  const idx = (a: number[]): Tensor => new Tensor(Int32Array.from(a.sort((p, q) => p - q)), [a.length]);
  return { graph, citations, classes, paperIds, trainIndex: idx(split.train), valIndex: idx(split.val), testIndex: idx(split.test) };
}

/**
 * Loads Cora from a folder with `cora.content`, `cora.cites` and (for the
 * public split) `planetoid_index_map.tsv` (Node.js).
 *
 * @example const cora = loadCora('../shared/datasets/cora', { normalizeFeatures: true });
 */
export function loadCora(dir: string, options: CoraOptions = {}): CoraDataset {
  const op = 'loadCora';
  if (typeof dir !== 'string' || dir === '') throw new ValueError(op, 'need the folder holding cora.content and cora.cites');
  const names = { content: joinPath(dir, 'cora.content'), cites: joinPath(dir, 'cora.cites'), indexMap: joinPath(dir, 'planetoid_index_map.tsv') };
  const files: CoraFiles = { content: readText(op, names.content), cites: readText(op, names.cites) };
  if (fileExists(op, names.indexMap)) files.indexMap = readText(op, names.indexMap);
  return parseNamed(op, files, options, names);
}
