import { Graph } from '../graph.js';
import { DataFormatError, intField, joinPath, lines, readText } from './files.js';

/**
 * Parses an edge list of `u v` lines (1-based by default, as
 * `karate.edgelist`) into an undirected, coalesced graph.
 *
 * @example parseEdgeList(text).numNodes // 34 for the karate club
 */
export function parseEdgeList(text: string, options: { oneBased?: boolean; fileName?: string } = {}): Graph {
  const op = 'parseEdgeList';
  const file = options.fileName ?? 'edge list';
  const base = options.oneBased ?? true ? 1 : 0;
  const src: number[] = [];
  const dst: number[] = [];
  for (const { line, text: t } of lines(text)) {
    if (t.trim() === '' || t.startsWith('#')) continue;
    const f = t.trim().split(/\s+/);
    if (f.length < 2) throw new DataFormatError(op, file, line, `${JSON.stringify(t)}; need "u v"`);
    const u = intField(op, file, line, f[0], 'u') - base;
    const v = intField(op, file, line, f[1], 'v') - base;
    if (u < 0 || v < 0) throw new DataFormatError(op, file, line, `node ${Math.min(u, v) + base} is below ${base} (edge index out of range)`);
    src.push(u);
    dst.push(v);
  }
  return new Graph({ edgeIndex: { src, dst } }).toUndirected();
}

/** Zachary's karate club (34 nodes, 78 undirected edges) from `karate.edgelist` in `dir` (Node.js). @example loadKarate('../shared/datasets/karate') */
export function loadKarate(dir: string): Graph {
  const path = joinPath(dir, 'karate.edgelist');
  return parseEdgeList(readText('loadKarate', path), { fileName: path });
}
