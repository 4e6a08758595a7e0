// One optimizer's path, step by step: where it is, the gradient there, and
// the step it actually takes (which only plain gradient descent takes along −∇f).
import { describeStep } from '../../src/race/describe-step.js';
import { OPTIMIZER_NAMES, type OptimizerName, isOptimizerName } from '../../src/race/optimizers.js';
import type { RaceTrace } from '../../src/race/protocol.js';
import { el, testId } from './dom.js';

/** The panel and how to drive it. */
export interface StepThrough {
  readonly element: HTMLElement;
  /** The trace the card asked for has arrived. */
  show(trace: RaceTrace): void;
  /** A new race: close the step view. */
  reset(): void;
}

/** What the panel asks of the card. */
export interface StepThroughHandlers {
  /** Fetch `name`'s full path from the worker (answered with {@link StepThrough.show}). */
  request(name: OptimizerName): void;
  /** Draw the path up to step `k` on the plot (null: stop drawing). */
  draw(trace: RaceTrace | null, k: number): void;
}

/** Builds the panel. */
export function createStepThrough(handlers: StepThroughHandlers): StepThrough {
  const pick = testId(el('select', {}), 'race-step-optimizer');
  for (const name of OPTIMIZER_NAMES) pick.append(el('option', { value: name, textContent: name }));
  const toggle = testId(el('button', { type: 'button', textContent: 'Step through' }), 'race-step-toggle');
  const prev = testId(el('button', { type: 'button', textContent: '◀', title: 'previous step' }), 'race-step-prev');
  const next = testId(el('button', { type: 'button', textContent: '▶', title: 'next step' }), 'race-step-next');
  prev.setAttribute('aria-label', 'previous step');
  next.setAttribute('aria-label', 'next step');
  const slider = testId(el('input', { type: 'range', min: '0', max: '0', step: '1', value: '0' }), 'race-step-slider');
  slider.setAttribute('aria-label', 'step');
  const readout = testId(el('p', { className: 'race-step-readout' }), 'race-step-readout');
  readout.setAttribute('aria-live', 'polite');
  const controls = el('div', { className: 'race-step-controls' }, prev, slider, next);
  controls.hidden = true;
  let trace: RaceTrace | null = null;
  let waiting = false;

  const go = (k: number) => {
    if (!trace) return;
    const at = Math.max(0, Math.min(trace.losses.length - 1, k));
    slider.value = String(at);
    readout.textContent = describeStep(trace, at);
    prev.disabled = at === 0;
    next.disabled = at === trace.losses.length - 1;
    handlers.draw(trace, at);
  };
  const close = () => {
    trace = null;
    waiting = false;
    controls.hidden = true;
    toggle.textContent = 'Step through';
    readout.textContent = '';
    handlers.draw(null, 0);
  };
  toggle.addEventListener('click', () => {
    if (trace || waiting) return close();
    if (!isOptimizerName(pick.value)) return;
    waiting = true;
    toggle.textContent = 'Close';
    readout.textContent = `Fetching ${pick.value}’s path…`;
    handlers.request(pick.value);
  });
  pick.addEventListener('change', () => {
    if (!(trace || waiting) || !isOptimizerName(pick.value)) return;
    waiting = true;
    handlers.request(pick.value);
  });
  prev.addEventListener('click', () => go(Number(slider.value) - 1));
  next.addEventListener('click', () => go(Number(slider.value) + 1));
  slider.addEventListener('input', () => go(Number(slider.value)));

  const element = testId(
    el(
      'div',
      { className: 'race-step' },
      el('h3', { textContent: 'One optimizer, step by step' }),
      el('div', { className: 'race-step-pick' }, el('label', {}, 'optimizer ', pick), toggle),
      controls,
      readout,
      el('p', {
        className: 'race-muted',
        textContent: 'On the plot: its path so far (black), where it is now (yellow), the step it takes next (black arrow) and the steepest way down, −∇f (grey dashed arrow).',
      }),
    ),
    'race-step',
  );
  return {
    element,
    show(t) {
      if (!waiting) return;
      waiting = false;
      trace = t;
      slider.max = String(t.losses.length - 1);
      controls.hidden = false;
      go(0);
    },
    reset: close,
  };
}
