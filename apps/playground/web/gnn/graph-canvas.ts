// Cora on a canvas: edges in one stroke, nodes in one fill per colour (2,708
// nodes and 5,278 edges redraw in a few milliseconds, where SVG elements would
// not), training nodes ringed, a picked node's edges drawn by weight.
import { el } from '../train/dom.js';
import { UNKNOWN_COLOUR, classColour } from './palette.js';
import type { CoraSummary } from './protocol.js';
import { type ViewTransform, fitTransform, nearestNode, toScreen } from './view-transform.js';

/** The picked node's edges: weights in [0, 1] per neighbour (the node itself excluded), or null to draw them all alike. */
export interface Highlight {
  node: number;
  weights: Map<number, number> | null;
}

/** The graph view's handle. */
export interface GraphView {
  readonly root: HTMLElement;
  readonly canvas: HTMLCanvasElement;
  setGraph(cora: CoraSummary): void;
  setPositions(positions: Float32Array): void;
  /** Colour per node (class index, −1 for none yet). */
  setColours(colours: Int32Array | null): void;
  setHighlight(h: Highlight | null): void;
}

const MAX_HEIGHT = 540;
const RADIUS = 2.6;
const PICK_PIXELS = 9;

/** Creates the view; `onPick` gets the node under a click (or −1). */
export function createGraphView(onPick: (node: number) => void): GraphView {
  const canvas = el('canvas', { className: 'gnn-graph', title: 'Cora: click a node' });
  canvas.dataset['testid'] = 'gnn-graph';
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', 'Cora citation graph, nodes coloured by class');
  const root = el('div', { className: 'gnn-graph-wrap' }, canvas);
  let cora: CoraSummary | undefined;
  let positions: Float32Array | undefined;
  let colours: Int32Array | null = null;
  let highlight: Highlight | null = null;
  let transform: ViewTransform = { scale: 1, offsetX: 0, offsetY: 0 };
  let width = 600;
  // Near-square on a phone, where 540 px of height would be mostly empty margin around a round graph.
  let height = MAX_HEIGHT;
  let hub = -1;
  let queued = false;

  const schedule = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      draw();
    });
  };

  function draw(): void {
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    const dpr = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(width * dpr) || canvas.height !== Math.round(height * dpr)) {
      canvas.width = Math.round(width * dpr);
      canvas.height = Math.round(height * dpr);
      canvas.style.width = `${width}px`;
      canvas.style.height = `${height}px`;
    }
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, width, height);
    if (!cora || !positions) return;
    const pos = positions;
    transform = fitTransform(pos, width, height, 12);
    const at = (i: number) => toScreen(pos, transform, i);
    ctx.lineWidth = 0.5;
    ctx.strokeStyle = highlight ? 'rgba(90, 100, 115, 0.12)' : 'rgba(90, 100, 115, 0.28)';
    ctx.beginPath();
    for (let e = 0; e < cora.src.length; e++) {
      const [x0, y0] = at(cora.src[e]!);
      const [x1, y1] = at(cora.dst[e]!);
      ctx.moveTo(x0, y0);
      ctx.lineTo(x1, y1);
    }
    ctx.stroke();
    // One path per colour: seven fills instead of 2,708.
    const groups = new Map<number, number[]>();
    for (let i = 0; i < cora.numNodes; i++) {
      const c = colours ? colours[i]! : -1;
      let g = groups.get(c);
      if (!g) groups.set(c, (g = []));
      g.push(i);
    }
    for (const [c, nodes] of groups) {
      ctx.fillStyle = c >= 0 ? classColour(c) : UNKNOWN_COLOUR;
      ctx.beginPath();
      for (const i of nodes) {
        const [x, y] = at(i);
        const r = cora.split[i] === 1 ? RADIUS + 1 : RADIUS;
        ctx.moveTo(x + r, y);
        ctx.arc(x, y, r, 0, 2 * Math.PI);
      }
      ctx.fill();
    }
    ctx.strokeStyle = '#111';
    ctx.lineWidth = 1.2;
    ctx.beginPath();
    for (let i = 0; i < cora.numNodes; i++) {
      if (cora.split[i] !== 1) continue;
      const [x, y] = at(i);
      ctx.moveTo(x + RADIUS + 1, y);
      ctx.arc(x, y, RADIUS + 1, 0, 2 * Math.PI);
    }
    ctx.stroke();
    if (highlight) drawHighlight(ctx, cora, highlight, at);
    const [hx, hy] = at(hub);
    canvas.dataset['hub'] = String(hub);
    canvas.dataset['hubX'] = hx.toFixed(1);
    canvas.dataset['hubY'] = hy.toFixed(1);
  }

  canvas.addEventListener('click', (event) => {
    if (!positions) return;
    onPick(nearestNode(positions, transform, event.offsetX, event.offsetY, PICK_PIXELS));
  });
  new ResizeObserver(() => {
    const w = Math.max(280, Math.floor(root.clientWidth));
    if (w !== width) {
      width = w;
      height = Math.max(300, Math.min(MAX_HEIGHT, Math.round(0.9 * w)));
      schedule();
    }
  }).observe(root);

  return {
    root,
    canvas,
    setGraph(c) {
      cora = c;
      // The best-connected node: the page suggests it as a first click (and the e2e test clicks it).
      const degree = new Int32Array(c.numNodes);
      for (let e = 0; e < c.src.length; e++) {
        degree[c.src[e]!]!++;
        degree[c.dst[e]!]!++;
      }
      hub = degree.indexOf(Math.max(...degree));
      schedule();
    },
    setPositions(p) {
      positions = p;
      schedule();
    },
    setColours(c) {
      colours = c;
      let n = 0;
      if (c) for (const v of c) if (v >= 0) n++;
      canvas.dataset['coloured'] = String(n);
      schedule();
    },
    setHighlight(h) {
      highlight = h;
      canvas.dataset['highlight'] = h ? String(h.node) : '';
      schedule();
    },
  };
}

function drawHighlight(ctx: CanvasRenderingContext2D, cora: CoraSummary, h: Highlight, at: (i: number) => [number, number]): void {
  const [x, y] = at(h.node);
  const neighbours: number[] = [];
  for (let e = 0; e < cora.src.length; e++) {
    if (cora.src[e] === h.node) neighbours.push(cora.dst[e]!);
    else if (cora.dst[e] === h.node) neighbours.push(cora.src[e]!);
  }
  // Width and opacity in proportion to the weight, scaled by the node's largest weight — but never by less
  // than 4× the uniform 1/(edges + 1), so a node that attends to all its edges alike gets thin lines, not a blot.
  let scale = 4 / (neighbours.length + 1);
  if (h.weights) for (const w of h.weights.values()) scale = Math.max(scale, w);
  ctx.lineCap = 'round';
  for (const j of neighbours) {
    const t = h.weights ? Math.min(1, (h.weights.get(j) ?? 0) / scale) : 0.4;
    ctx.strokeStyle = `rgba(214, 39, 40, ${(0.15 + 0.85 * t).toFixed(3)})`;
    ctx.lineWidth = 0.6 + 5 * t;
    const [nx, ny] = at(j);
    ctx.beginPath();
    ctx.moveTo(x, y);
    ctx.lineTo(nx, ny);
    ctx.stroke();
  }
  ctx.strokeStyle = '#d62728';
  ctx.lineWidth = 2.5;
  ctx.beginPath();
  ctx.arc(x, y, RADIUS + 4, 0, 2 * Math.PI);
  ctx.stroke();
}
