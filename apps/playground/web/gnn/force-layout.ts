// A force-directed layout of a graph with d3-force, ticked by hand (no timer)
// so a worker can run it in slices and send positions as they settle.
import { type SimulationLinkDatum, type SimulationNodeDatum, forceLink, forceManyBody, forceSimulation, forceX, forceY } from 'd3-force';

/** A layout being computed. */
export interface ForceLayout {
  /** Ticks a full run takes (until the simulation's temperature reaches its minimum). */
  readonly ticks: number;
  /** Ticks done so far. */
  readonly done: number;
  /** Advances `n` ticks (fewer at the end). */
  tick(n: number): void;
  /** `[x0, y0, x1, y1, …]`, a fresh array. */
  positions(): Float32Array;
}

/** Tuning of {@link createForceLayout}. */
export interface ForceLayoutOptions {
  /** Rest length of an edge (default 14). */
  linkDistance?: number;
  /** Many-body charge, negative repels (default −14). */
  charge?: number;
  /** Pull toward the origin; keeps Cora's 78 components from drifting apart (default 0.06). */
  gravity?: number;
}

/**
 * Lays out `numNodes` nodes joined by edges `src[e]`–`dst[e]`: springs on
 * edges, Barnes–Hut repulsion between all nodes, a weak pull to the origin.
 * d3-force starts from a phyllotaxis spiral and jiggles with its own seeded
 * generator, so the same graph always gets the same layout.
 *
 * @example const l = createForceLayout(3, Int32Array.of(0, 1), Int32Array.of(1, 2)); l.tick(l.ticks); l.positions();
 */
export function createForceLayout(numNodes: number, src: Int32Array, dst: Int32Array, options: ForceLayoutOptions = {}): ForceLayout {
  if (src.length !== dst.length) throw new RangeError(`createForceLayout: ${src.length} sources but ${dst.length} targets`);
  const nodes: SimulationNodeDatum[] = Array.from({ length: numNodes }, () => ({}));
  const links: SimulationLinkDatum<SimulationNodeDatum>[] = [];
  for (let e = 0; e < src.length; e++) {
    const s = src[e]!;
    const t = dst[e]!;
    if (s < 0 || s >= numNodes || t < 0 || t >= numNodes) throw new RangeError(`createForceLayout: edge ${e} (${s}–${t}) leaves the ${numNodes} nodes`);
    links.push({ source: s, target: t });
  }
  const gravity = options.gravity ?? 0.06;
  const simulation = forceSimulation(nodes)
    .force('link', forceLink(links).distance(options.linkDistance ?? 14))
    // A cut-off distance: far nodes hardly push each other, and Barnes–Hut visits fewer cells.
    .force('charge', forceManyBody().strength(options.charge ?? -14).distanceMax(250))
    .force('x', forceX(0).strength(gravity))
    .force('y', forceY(0).strength(gravity))
    .stop();
  const ticks = Math.ceil(Math.log(simulation.alphaMin()) / Math.log(1 - simulation.alphaDecay()));
  let done = 0;
  return {
    ticks,
    get done() {
      return done;
    },
    tick(n) {
      const k = Math.max(0, Math.min(n, ticks - done));
      if (k > 0) simulation.tick(k);
      done += k;
    },
    positions() {
      const out = new Float32Array(2 * numNodes);
      nodes.forEach((d, i) => {
        out[2 * i] = d.x ?? 0;
        out[2 * i + 1] = d.y ?? 0;
      });
      return out;
    },
  };
}
