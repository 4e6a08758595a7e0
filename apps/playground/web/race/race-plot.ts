// The contour plot with the racers tracing their paths: the SVG comes from the
// same renderer as the CLI's file; the paths are then grown step by step.
import type { Point } from '../../src/race/format.js';
import { type Scene, pixelToPoint } from '../../src/race/scene.js';
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

  return {
    element,
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
