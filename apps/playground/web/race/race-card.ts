// "Optimizer race": type f(x, y), pick a start, and watch SGD, Momentum, NAG,
// Adagrad, RMSprop, Adadelta, Adam and L-BFGS trace their paths over its
// contours. mathjs parses f and differentiates it symbolically; the optimizers
// step on dl's autograd gradient of the same f, computed in a Web Worker.
import './race.css';
import type { RaceRequest } from '../../src/race/config.js';
import { CUSTOM_NOTE } from '../../src/race/custom.js';
import { type Point, formatNumber, formatPoint } from '../../src/race/format.js';
import { PRESETS } from '../../src/race/presets.js';
import type { RaceBackend, RaceView } from '../../src/race/protocol.js';
import { LOST_WORDS } from '../../src/race/table.js';
import { ALLOWED_SUMMARY } from '../../src/race/to-dl.js';
import type { RaceShare } from '../../src/share/url-state.js';
import { createDerivativePanel } from './derivative-panel.js';
import { el, testId } from './dom.js';
import { createRaceForm } from './race-form.js';
import { createRacePlot } from './race-plot.js';
import { startRaceWorker } from './race-client.js';
import { createResultsTable } from './results-table.js';
import { createStepThrough } from './step-through.js';
import { createTuningPanel } from './tuning-panel.js';

/** Typing pauses this long before the expression is checked. */
const CHECK_DELAY_MS = 250;

function backendLine(info: RaceBackend): string {
  const variant = info.variant === 'relaxed' ? 'relaxed SIMD' : info.variant === 'plain' ? 'SIMD128' : 'no SIMD';
  return `race worker: ${info.backend} kernels (${variant}), ${info.threads} thread${info.threads === 1 ? '' : 's'} — two-element float64 tensors need no more`;
}

const seconds = (ms: number) => `${formatNumber(ms / 1000, 2)} s`;

/** What the card needs from the page: the race a shared link asked for, and where to report the race now shown. */
export interface RaceCardOptions {
  initial?: RaceShare;
  /** Called with the race settings whenever a race is started, for the page's address. */
  changed?(share: RaceShare): void;
}

/** Mounts the card into `root` (the page's `#race-card` section). */
export function mountRaceCard(root: HTMLElement, options: RaceCardOptions = {}): void {
  const status = testId(el('p', { className: 'race-status', textContent: 'Starting the race worker…' }), 'race-status');
  status.setAttribute('role', 'status');
  const error = testId(el('div', { className: 'race-error' }), 'race-error');
  error.setAttribute('role', 'alert');
  error.hidden = true;
  const about = el('p', { className: 'race-about' });
  const warning = testId(el('p', { className: 'race-warning' }), 'race-unbounded');
  warning.hidden = true;
  const backend = el('p', { className: 'race-backend', textContent: 'race worker: starting…' });
  const derivative = createDerivativePanel();
  // A click on the plot starts a new race from there (the form is created below; clicks come later).
  const plot = createRacePlot((start) => {
    form.setStart(start);
    run();
  });
  const results = createResultsTable();
  const tuning = createTuningPanel(() => {
    clearTimeout(tuneTimer);
    tuneTimer = setTimeout(run, 150);
  });
  const stepper = createStepThrough({
    request: (name) => client.trace(name),
    draw: (trace, k) => plot.showStep(trace, k),
  });

  const main = el('div', { className: 'race-main' }, plot.element, el('div', { className: 'race-side' }, derivative.element, stepper.element));
  // While an error shows, the last race stays on screen but faded: it is not the typed f's
  // (the gradient panel is not faded: it follows what is typed).
  const showError = (message: string) => {
    error.textContent = message;
    error.hidden = false;
    plot.element.classList.add('stale');
    results.element.classList.add('stale');
  };
  const clearError = () => {
    error.textContent = '';
    error.hidden = true;
  };
  const setStatus = (text: string, state: 'busy' | 'done' | 'error') => {
    status.textContent = text;
    status.className = `race-status ${state}`;
  };

  let checkTimer: ReturnType<typeof setTimeout> | undefined;
  let tuneTimer: ReturnType<typeof setTimeout> | undefined;
  // Bumped by every Race press and every refused run: a race still animating
  // when it is bumped must not report 'done' over the newer request's status.
  let request = 0;
  const client = startRaceWorker({
    backend: (info) => {
      backend.textContent = backendLine(info);
    },
    checked: (view, presetId) => {
      clearError();
      derivative.show(view);
      form.showSurface(presetId);
    },
    raced: (view) => void present(view),
    traced: (trace) => stepper.show(trace),
    failed: (message, _kind, during) => {
      showError(message);
      if (during === 'run') {
        request++;
        setStatus('Not raced: fix the expression or the start point above.', 'error');
      }
    },
  });

  const present = async (view: RaceView) => {
    const mine = ++request;
    clearError();
    plot.element.classList.remove('stale');
    results.element.classList.remove('stale');
    derivative.show(view.derivative);
    form.showSurface(view.presetId);
    tuning.show(view.lrs, view.momenta);
    about.textContent = view.presetId === null ? CUSTOM_NOTE : PRESETS[view.presetId].about;
    warning.textContent = view.unbounded ?? '';
    warning.hidden = view.unbounded === null;
    setStatus(`Tracing the paths: up to ${view.steps} steps each, arriving at ${view.target}…`, 'busy');
    results.clear('Racing…');
    const finished = await plot.show(view.scene);
    if (!finished || mine !== request) return;
    results.show(view.table);
    const lost = view.table.rows.filter((r) => r.cells.some((c) => c.endsWith(LOST_WORDS))).length;
    setStatus(
      `done: ${view.arrived} of ${view.scene.runs.length} optimizers reached ${view.target} and stayed${lost > 0 ? ` (${lost} got there but left again)` : ''}; the race took ${seconds(view.ms.race)} in the worker, the contour plot ${seconds(view.ms.plot)}.`,
      'done',
    );
  };

  const run = () => {
    clearTimeout(checkTimer);
    clearTimeout(tuneTimer);
    request++;
    const input = form.read();
    if ('error' in input) {
      showError(input.error);
      setStatus('Not raced: fix the expression or the start point above.', 'error');
      return;
    }
    const { lrs, momenta } = tuning.overrides();
    const race: RaceRequest = { expression: input.expression, start: input.start, lrs, momenta };
    // Say at once that a new race started: the worker may need seconds.
    plot.pending(input.start);
    stepper.reset();
    results.clear(`Racing from ${formatPoint(input.start)}…`);
    warning.hidden = true;
    setStatus(`Racing from ${formatPoint(input.start)} in the worker…`, 'busy');
    client.run(race);
    root.dataset['cancelledRaces'] = String(client.cancelled);
    options.changed?.({ expression: input.expression, start: input.start, lrs, momenta });
  };

  const form = createRaceForm({
    run,
    presetChosen: () => {
      // A new surface comes with its own rates.
      tuning.reset();
      run();
    },
    edited: () => {
      clearTimeout(checkTimer);
      checkTimer = setTimeout(() => {
        const input = form.read();
        if ('error' in input) showError(input.error);
        else client.check(input.expression, input.start);
      }, CHECK_DELAY_MS);
    },
  });

  root.replaceChildren(
    el('h2', { id: 'race-title', textContent: 'Optimizer race' }),
    el(
      'p',
      { className: 'race-intro', id: 'race-expr-help' },
      'Type a function of x and y — expressions parsed and differentiated symbolically by ',
      el('a', { href: 'https://mathjs.org', textContent: 'mathjs' }),
      ' — pick a start point (type it, or click the plot), and watch eight optimizers from ',
      el('code', { textContent: '@dl/optim' }),
      ` descend it. They step on the gradient dl’s autograd computes through the same formula; mathjs’s symbolic derivative is shown beside it as a cross-check. Allowed: ${ALLOWED_SUMMARY}.`,
    ),
    form.element,
    error,
    about,
    warning,
    status,
    main,
    results.element,
    tuning.element,
    backend,
  );
  root.dataset['cancelledRaces'] = '0';

  const initial = options.initial;
  if (initial?.expression !== undefined) {
    form.fill(initial.expression, initial.start);
    tuning.setOverrides({ lrs: initial.lrs ?? {}, momenta: initial.momenta ?? {} });
  } else {
    form.usePreset('rosenbrock');
    if (initial?.start) form.setStart(initial.start);
  }
  run();
}

