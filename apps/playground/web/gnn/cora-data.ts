// Cora for the page: the files fetched from the page's own folder (the vite
// plugin puts them there), parsed by @dl/gnn's loader, and the few arrays the
// page draws.
import { type CoraDataset, type CoraFiles, parseCora } from '@dl/gnn';
import type { CoraSummary } from './protocol.js';

/** A `fetch` as the loader uses it (the global one by default; tests pass their own). */
export type FetchLike = (url: string) => Promise<Response>;

/**
 * The URLs of Cora's files under `base` (the page's `document.baseURI`), so
 * the page works wherever it is hosted.
 *
 * @example coraUrls('https://x.org/play/').content // 'https://x.org/play/cora/cora.content'
 */
export function coraUrls(base: string): { content: string; cites: string; indexMap: string } {
  const at = (name: string) => new URL(`cora/${name}`, base).href;
  return { content: at('cora.content'), cites: at('cora.cites'), indexMap: at('planetoid_index_map.tsv') };
}

/** Fetches the three files' text; a missing file names itself and the folder the build copies it from. */
export async function fetchCoraFiles(base: string, fetchFn: FetchLike = fetch): Promise<CoraFiles> {
  const urls = coraUrls(base);
  const text = async (url: string): Promise<string> => {
    const res = await fetchFn(url);
    if (!res.ok) throw new Error(`could not fetch ${url} (HTTP ${res.status}); the page's build copies Cora from the shared data sets folder (datasets/cora)`);
    return res.text();
  };
  const [content, cites, indexMap] = await Promise.all([text(urls.content), text(urls.cites), text(urls.indexMap)]);
  return { content, cites, indexMap };
}

/** Fetches and parses Cora with the public split and row-normalised features (Kipf & Welling's preprocessing, as the CLI). */
export async function loadCoraFrom(base: string, fetchFn: FetchLike = fetch): Promise<CoraDataset> {
  return parseCora(await fetchCoraFiles(base, fetchFn), { normalizeFeatures: true });
}

/** What the page needs to draw `cora`: each undirected edge once, labels, ids and the split. */
export function summarizeCora(cora: CoraDataset): CoraSummary {
  const { graph } = cora;
  const s = graph.src.data as Int32Array;
  const d = graph.dst.data as Int32Array;
  // The graph holds both directions of every edge: keep the one with src < dst.
  let count = 0;
  for (let e = 0; e < s.length; e++) if (s[e]! < d[e]!) count++;
  const src = new Int32Array(count);
  const dst = new Int32Array(count);
  for (let e = 0, k = 0; e < s.length; e++) {
    if (s[e]! < d[e]!) {
      src[k] = s[e]!;
      dst[k++] = d[e]!;
    }
  }
  const split = new Uint8Array(graph.numNodes);
  const mark = (index: CoraDataset['trainIndex'], code: number) => {
    for (const i of index.data as Int32Array) split[i] = code;
  };
  mark(cora.trainIndex, 1);
  mark(cora.valIndex, 2);
  mark(cora.testIndex, 3);
  return { numNodes: graph.numNodes, src, dst, labels: Int32Array.from(graph.y!.data as Int32Array), classes: cora.classes.slice(), paperIds: cora.paperIds.slice(), split };
}
