// The GNN card's drawing logic: the force layout (deterministic, edges
// shorter than random pairs), fitting it to the canvas, picking the node
// under the pointer, and the attention weights the edges are drawn with.
import { describe, expect, it } from 'vitest';
import { byWeight, edgeWeights } from '../../web/gnn/attention-weights.js';
import { createForceLayout } from '../../web/gnn/force-layout.js';
import { fitTransform, nearestNode, toScreen } from '../../web/gnn/view-transform.js';

/** Two rings of 30 nodes joined by one edge. */
function twoRings(): { n: number; src: Int32Array; dst: Int32Array } {
  const src: number[] = [];
  const dst: number[] = [];
  for (const base of [0, 30]) {
    for (let i = 0; i < 30; i++) {
      src.push(base + i);
      dst.push(base + ((i + 1) % 30));
    }
  }
  src.push(0);
  dst.push(30);
  return { n: 60, src: Int32Array.from(src), dst: Int32Array.from(dst) };
}

describe('createForceLayout', () => {
  it('settles in its tick budget, the same way every time, with edges shorter than random pairs', () => {
    const g = twoRings();
    const layout = createForceLayout(g.n, g.src, g.dst);
    expect(layout.ticks).toBe(300);
    layout.tick(120);
    expect(layout.done).toBe(120);
    layout.tick(1000);
    expect(layout.done).toBe(300);
    const p = layout.positions();
    expect(p).toHaveLength(120);
    expect(p.every(Number.isFinite)).toBe(true);
    const dist = (a: number, b: number) => Math.hypot(p[2 * a]! - p[2 * b]!, p[2 * a + 1]! - p[2 * b + 1]!);
    let edges = 0;
    for (let e = 0; e < g.src.length; e++) edges += dist(g.src[e]!, g.dst[e]!) / g.src.length;
    let pairs = 0;
    for (let a = 0; a < g.n; a++) for (let b = a + 1; b < g.n; b++) pairs += dist(a, b) / ((g.n * (g.n - 1)) / 2);
    expect(edges).toBeLessThan(pairs / 2);
    const again = createForceLayout(g.n, g.src, g.dst);
    again.tick(300);
    expect(again.positions()).toEqual(p);
  });

  it('rejects edges outside the nodes', () => {
    expect(() => createForceLayout(2, Int32Array.of(0), Int32Array.of(2))).toThrow(/edge 0 \(0–2\) leaves the 2 nodes/);
    expect(() => createForceLayout(2, Int32Array.of(0, 1), Int32Array.of(1))).toThrow(/2 sources but 1 targets/);
  });
});

describe('fitTransform / nearestNode', () => {
  const positions = Float32Array.of(-1, -1, 1, 1, 0, 0.5);

  it('fits the drawing in the canvas, centred, one scale for both axes', () => {
    const t = fitTransform(positions, 200, 100, 10);
    expect(t.scale).toBe(40);
    expect(toScreen(positions, t, 0)).toEqual([60, 10]);
    expect(toScreen(positions, t, 1)).toEqual([140, 90]);
    expect(fitTransform(new Float32Array(0), 200, 100, 10)).toEqual({ scale: 1, offsetX: 100, offsetY: 50 });
    // One node: no zero span to divide by.
    expect(Number.isFinite(fitTransform(Float32Array.of(3, 4), 200, 100, 10).offsetX)).toBe(true);
  });

  it('picks the nearest node within the distance, else −1', () => {
    const t = fitTransform(positions, 200, 100, 10);
    expect(nearestNode(positions, t, 62, 12, 8)).toBe(0);
    expect(nearestNode(positions, t, 100, 72, 8)).toBe(2);
    expect(nearestNode(positions, t, 100, 30, 8)).toBe(-1);
    // Two nodes on one spot: the first wins.
    expect(nearestNode(Float32Array.of(0, 0, 0, 0, 1, 1), fitTransform(Float32Array.of(0, 0, 0, 0, 1, 1), 100, 100, 0), 0, 0, 5)).toBe(0);
  });
});

describe('edgeWeights / byWeight', () => {
  const neighbours = [
    { node: 4, weights: [0.5, 0.2] },
    { node: 9, weights: [0.2, 0.7] },
    { node: 2, weights: [0.3, 0.1] },
  ];

  it('map each neighbour to its weight in a layer, leaving out the self-loop', () => {
    expect(edgeWeights(neighbours, 0, 4)).toEqual(new Map([[9, 0.2], [2, 0.3]]));
    expect(edgeWeights(neighbours, 1, 4)).toEqual(new Map([[9, 0.7], [2, 0.1]]));
  });

  it('sort by a layer’s weight, largest first', () => {
    expect(byWeight(neighbours, 0).map((n) => n.node)).toEqual([4, 2, 9]);
    expect(byWeight(neighbours, 1).map((n) => n.node)).toEqual([9, 4, 2]);
  });
});
