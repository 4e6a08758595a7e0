// The contour plot with the racers tracing their paths: the SVG comes from the
// same renderer as the CLI's file; the paths are then grown step by step.
import { type Point, formatPoint } from '../../src/race/format.js';
import type { RaceTrace } from '../../src/race/protocol.js';
import { type Scene, pixelToPoint, pointToPixel } from '../../src/race/scene.js';
import { renderSvg, runPathData } from '../../src/race/svg.js';
import { el } from './dom.js';

/** How long the race takes to watch. */
const DURATION_MS = 3500;
const SVG_NS = 'http://www.w3.org/2000/svg';

/** The plot area and how to show a race on it. */
export interface RacePlot {
  readonly element: HTMLElement;
  /** Draws the scene and animates the paths; resolves true when finished, false if superseded by a later call. */
  show(scene: Scene): Promise<boolean>;
  /**
   * A new race was asked for: the old paths and results go, and the new start
   * is marked at once (the race may take seconds in the worker).
   */
  pending(start: Point): void;
  /** Highlights one racer's path up to step `k`, with the step it takes there; null clears it. */
  showStep(trace: RaceTrace | null, k: number): void;
}

/** The last vertex index (exclusive) of a run whose step is ≤ `step`. */
function countUpTo(stepOf: readonly number[], step: number): number {
  let lo = 0;
  let hi = stepOf.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (stepOf[mid]! <= step) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Builds the (empty) plot area. A click inside the plotted window calls
 * `pick` with the (x, y) under the pointer: a new start point.
 */
export function createRacePlot(pick: (start: Point) => void): RacePlot {
  const element = el('div', { className: 'race-plot' });
  let generation = 0;
  let current: Scene | undefined;
  element.addEventListener('click', (event) => {
    const svg = element.querySelector('svg');
    const toSvg = svg?.getScreenCTM()?.inverse();
    if (!svg || !toSvg || !current) return;
    const p = new DOMPoint(event.clientX, event.clientY).matrixTransform(toSvg);
    const start = pixelToPoint(current, p.x, p.y);
    if (start) pick(start);
  });
  const reducedMotion = globalThis.matchMedia?.('(prefers-reduced-motion: reduce)').matches === true;

  const svgEl = (tag: string, attrs: Record<string, string | number>): SVGElement => {
    const e = document.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    return e;
  };

  return {
    element,
    pending(start) {
      // Stop any animation, then clear what belongs to the old race.
      generation++;
      const svg = element.querySelector('svg');
      if (!svg || !current) return;
      svg.classList.add('pending');
      for (const p of svg.querySelectorAll('path.race-path')) {
        p.setAttribute('d', '');
        p.removeAttribute('data-end-x');
        p.removeAttribute('data-end-y');
      }
      for (const e of svg.querySelectorAll('.race-end, .race-head, .race-start, .race-step')) e.remove();
      for (const e of svg.querySelectorAll('.race-legend-value')) e.setAttribute('visibility', 'hidden');
      const [px, py] = pointToPixel(current, start);
      const g = svgEl('g', { class: 'race-start race-start-pending', 'data-testid': 'race-pending-start' });
      g.append(svgEl('circle', { cx: px, cy: py, r: 6, fill: '#000', stroke: '#fff', 'stroke-width': 1.5 }));
      const label = svgEl('text', { x: px + 9, y: py - 9, 'font-size': 12, 'font-weight': 600, stroke: '#fff', 'stroke-width': 3, 'paint-order': 'stroke' });
      label.textContent = `racing from ${formatPoint(start)}…`;
      g.append(label);
      svg.querySelector('g[clip-path]')?.append(g);
    },
    showStep(trace, k) {
      const svg = element.querySelector('svg');
      svg?.querySelector('.race-step')?.remove();
      svg?.classList.toggle('stepping', trace !== null);
      if (!svg || !current || !trace) return;
      for (const p of svg.querySelectorAll('path.race-path')) p.classList.toggle('race-path-chosen', p.getAttribute('data-optimizer') === trace.name);
      const n = trace.losses.length;
      const at = Math.max(0, Math.min(k, n - 1));
      const px = (i: number): Point => pointToPixel(current!, [trace.points[2 * i]!, trace.points[2 * i + 1]!]);
      const g = svgEl('g', { class: 'race-step', 'data-testid': 'race-step-overlay', 'data-step': at });
      const walked: string[] = [];
      for (let i = 0; i <= at; i++) walked.push(`${i === 0 ? 'M' : 'L'}${px(i)[0].toFixed(1)},${px(i)[1].toFixed(1)}`);
      g.append(svgEl('path', { d: walked.join(''), fill: 'none', stroke: '#000', 'stroke-width': 3.5, 'stroke-linejoin': 'round', opacity: 0.85 }));
      const [x0, y0] = px(at);
      if (at + 1 < n) {
        const [x1, y1] = px(at + 1);
        // The step actually taken, and the steepest-descent direction −∇f drawn with the same length.
        const step = Math.hypot(x1 - x0, y1 - y0);
        const gx = trace.grads[2 * at]!;
        const gy = trace.grads[2 * at + 1]!;
        const gn = Math.hypot(gx, gy);
        if (gn > 0 && step > 0) {
          // Pixel y grows downwards while y grows upwards: −∇f = (−gx, −gy) in data is (−gx, +gy) on screen, scaled per axis.
          const sx = current.plot.w / (current.window.xMax - current.window.xMin);
          const sy = current.plot.h / (current.window.yMax - current.window.yMin);
          const dx = -gx * sx;
          const dy = gy * sy;
          const d = Math.hypot(dx, dy);
          g.append(arrow(x0, y0, x0 + (dx / d) * Math.max(step, 24), y0 + (dy / d) * Math.max(step, 24), '#777', true));
        }
        g.append(arrow(x0, y0, x1, y1, '#000', false));
      }
      g.append(svgEl('circle', { cx: x0, cy: y0, r: 5.5, fill: '#ffd400', stroke: '#000', 'stroke-width': 1.5 }));
      svg.querySelector('g[clip-path]')?.append(g);

      function arrow(ax: number, ay: number, bx: number, by: number, color: string, dashed: boolean): SVGElement {
        const a = svgEl('g', { class: dashed ? 'race-step-gradient' : 'race-step-move' });
        const len = Math.hypot(bx - ax, by - ay) || 1;
        const [ux, uy] = [(bx - ax) / len, (by - ay) / len];
        const head = Math.min(9, len / 2);
        a.append(svgEl('line', { x1: ax, y1: ay, x2: bx, y2: by, stroke: color, 'stroke-width': 2, ...(dashed ? { 'stroke-dasharray': '4 3' } : {}) }));
        a.append(
          svgEl('path', {
            d: `M${bx},${by}L${bx - ux * head - uy * head * 0.5},${by - uy * head + ux * head * 0.5}L${bx - ux * head + uy * head * 0.5},${by - uy * head - ux * head * 0.5}Z`,
            fill: color,
          }),
        );
        return a;
      }
    },
    show(scene) {
      const mine = ++generation;
      current = scene;
      element.innerHTML = renderSvg(scene, {
        pathsHidden: true,
        rootAttributes: {
          'data-testid': 'race-plot',
          role: 'img',
          'aria-label': `${scene.title}: the optimizers' paths over its contours; click the plot to start from there`,
        },
      });
      const svg = element.querySelector('svg')!;
      svg.removeAttribute('width');
      svg.removeAttribute('height');
      const clip = svg.querySelector('g[clip-path]')!;
      const lines = scene.runs.map((run) => svg.querySelector<SVGPathElement>(`path.race-path[data-optimizer="${run.name}"]`)!);
      // A moving dot at each racer's head while it runs.
      const heads = scene.runs.map((run) => {
        const c = document.createElementNS(SVG_NS, 'circle');
        c.setAttribute('r', '4');
        c.setAttribute('fill', run.color);
        c.setAttribute('stroke', '#fff');
        c.setAttribute('class', 'race-head');
        clip.append(c);
        return c;
      });
      const maxSteps = Math.max(1, ...scene.runs.map((r) => r.steps));

      const draw = (step: number) => {
        scene.runs.forEach((run, i) => {
          const n = countUpTo(run.stepOf, step);
          lines[i]!.setAttribute('d', runPathData(run, n));
          const head = heads[i]!;
          if (n === 0) return;
          head.setAttribute('cx', String(run.points[2 * (n - 1)]));
          head.setAttribute('cy', String(run.points[2 * (n - 1) + 1]));
        });
      };
      const finish = () => {
        draw(maxSteps);
        for (const h of heads) h.remove();
        scene.runs.forEach((run, i) => {
          lines[i]!.setAttribute('data-end-x', String(run.end[0]));
          lines[i]!.setAttribute('data-end-y', String(run.end[1]));
        });
        for (const hidden of svg.querySelectorAll('.race-end, .race-legend-value')) hidden.removeAttribute('visibility');
      };

      return new Promise<boolean>((resolve) => {
        if (reducedMotion) {
          finish();
          resolve(true);
          return;
        }
        const t0 = performance.now();
        const frame = (now: number) => {
          if (mine !== generation) return resolve(false);
          const u = Math.min(1, (now - t0) / DURATION_MS);
          // Step time runs as u²: the first steps, where most of the action is, get the most screen time.
          draw(Math.floor(maxSteps * u * u));
          if (u < 1) requestAnimationFrame(frame);
          else {
            finish();
            resolve(true);
          }
        };
        requestAnimationFrame(frame);
      });
    },
  };
}
