// The run's settings: fields with a one-line explanation each, regularization
// options, and the Start / Pause / Stop / Continue buttons. Number fields are
// text: a browser's number input reports 1e400 as empty and turns 0,1 into 01.
import { type ConfigField, type TrainConfig, parseSizes, readNumber, validateConfig, validateLimit } from '../../src/train/config.js';
import { AUGMENTS, type AugmentName } from '../../src/train/augment.js';
import { FIELD_HELP, OPTIMIZER_HELP, SCHEDULE_HELP } from '../../src/train/explanations.js';
import { OPTIMIZERS, type OptimizerName, optimizerSpec } from '../../src/train/optimizers.js';
import type { RunState } from '../../src/train/protocol.js';
import { SCHEDULES, type ScheduleName } from '../../src/train/schedules.js';
import type { TrainShare } from '../../src/share/url-state.js';
import { el } from './dom.js';

/** The label each setting has on the form (errors name fields by it). */
export const FIELD_LABELS: Record<ConfigField, string> = {
  sizes: 'Layer sizes',
  optimizer: 'Optimizer',
  lr: 'Learning rate',
  batchSize: 'Batch size',
  schedule: 'Schedule',
  epochs: 'Epochs',
  limit: 'Training images',
  seed: 'Seed',
  dropout: 'Dropout',
  weightDecay: 'Weight decay',
  augment: 'Augmentation',
};

/** The settings as read from the form. */
export interface FormValues {
  config: TrainConfig;
  limit: number;
}

/** Where the card is, as far as the buttons care. */
export type FormState = RunState | 'idle' | 'error';

/** The form's handle: read values, reflect the run state, flag a bad field. */
export interface TrainForm {
  readonly root: HTMLElement;
  /** @throws TrainConfigError naming the bad field. */
  read(): FormValues;
  /** The learning rate as typed. @throws TrainConfigError */
  readLr(): number;
  /** The fields as typed, for the page's address. */
  texts(): TrainShare;
  /** Fills fields from a shared link (menus only take values they offer). */
  fill(share: TrainShare): void;
  /** Shows layer widths read from a weights file. */
  setSizes(sizes: readonly number[]): void;
  setLr(lr: number): void;
  /** Enables the buttons and fields for `state`; `hasModel`: a model exists that Continue could train. */
  setState(state: FormState, hasModel: boolean): void;
  markInvalid(field: ConfigField | undefined): void;
  /** Puts the keyboard focus on the button a person would press next. */
  focusNext(): void;
}

/** What the buttons and fields ask of the card. */
export interface TrainFormActions {
  start(): void;
  togglePause(): void;
  stop(): void;
  continue(): void;
  /** The learning rate was changed while a run is on (Enter or leaving the field). */
  liveLr(): void;
  /** A field changed (for the page's address). */
  changed(): void;
}

/** Builds the form. */
export function createTrainForm(actions: TrainFormActions): TrainForm {
  const sizes = input('train-sizes', '784-128-10', 'text');
  const optimizer = select('train-optimizer', OPTIMIZERS.map((o) => [o.name, o.label]), 'sgd');
  const lr = input('train-lr', String(optimizerSpec('sgd').defaultLr));
  const schedule = select('train-schedule', SCHEDULES.map((s) => [s.name, s.label]), 'constant');
  const batch = input('train-batch', '64', 'numeric');
  const epochs = input('train-epochs', '3', 'numeric');
  const limit = input('train-limit', '10000', 'numeric');
  const dropout = input('train-dropout', '0');
  const weightDecay = input('train-weight-decay', '0');
  const augment = select('train-augment', AUGMENTS.map((a) => [a.name, a.label]), 'none');

  const optimizerHint = hint('train-optimizer-help');
  const scheduleHint = hint('train-schedule-help');
  const lrHint = hint('train-lr-help', FIELD_HELP.lr);
  const showOptimizer = (): void => {
    const spec = optimizerSpec(optimizer.value as OptimizerName);
    optimizerHint.textContent = `${OPTIMIZER_HELP[spec.name]} (${spec.note})`;
  };
  const showSchedule = (): void => {
    scheduleHint.textContent = SCHEDULE_HELP[schedule.value as ScheduleName];
  };
  optimizer.addEventListener('change', () => {
    lr.value = String(optimizerSpec(optimizer.value as OptimizerName).defaultLr);
    showOptimizer();
  });
  schedule.addEventListener('change', showSchedule);
  showOptimizer();
  showSchedule();

  const startButton = button('train-start', 'Start', 'primary', 'submit');
  const pauseButton = button('train-pause', 'Pause', '');
  const stopButton = button('train-stop', 'Stop', '');
  const continueButton = button('train-continue', 'Continue', '');
  continueButton.title = 'train the current model further: the rest of a stopped run, or the number of epochs above after a finished or loaded one';
  pauseButton.addEventListener('click', actions.togglePause);
  stopButton.addEventListener('click', actions.stop);
  continueButton.addEventListener('click', actions.continue);

  const fields: Record<string, HTMLInputElement | HTMLSelectElement> = {
    sizes,
    optimizer,
    lr,
    schedule,
    batchSize: batch,
    epochs,
    limit,
    dropout,
    weightDecay,
    augment,
  };
  let running = false;
  const root = el(
    'form',
    { className: 'train-form', noValidate: true },
    field(FIELD_LABELS.sizes, sizes, hint('', FIELD_HELP.sizes), 'train-field-wide'),
    field(FIELD_LABELS.optimizer, optimizer, optimizerHint, 'train-field-wide'),
    field(FIELD_LABELS.lr, lr, lrHint),
    field(FIELD_LABELS.batchSize, batch, hint('', FIELD_HELP.batchSize)),
    field(FIELD_LABELS.schedule, schedule, scheduleHint, 'train-field-wide'),
    field(FIELD_LABELS.epochs, epochs, hint('', FIELD_HELP.epochs)),
    field(FIELD_LABELS.limit, limit, hint('', FIELD_HELP.limit)),
    el(
      'fieldset',
      { className: 'train-regularize' },
      el('legend', { textContent: 'Against over-fitting (@dl/regularize)' }),
      field(FIELD_LABELS.dropout, dropout, hint('', FIELD_HELP.dropout)),
      field(FIELD_LABELS.weightDecay, weightDecay, hint('', FIELD_HELP.weightDecay)),
      field(FIELD_LABELS.augment, augment, hint('', FIELD_HELP.augment), 'train-field-wide'),
    ),
    el('div', { className: 'train-buttons' }, startButton, pauseButton, stopButton, continueButton),
  );
  // Enter in any field submits: it starts a run, or during one applies the learning rate typed.
  root.addEventListener('submit', (e) => {
    e.preventDefault();
    if (running) actions.liveLr();
    else if (!startButton.disabled) actions.start();
  });
  lr.addEventListener('change', () => {
    if (running) actions.liveLr();
  });
  for (const control of Object.values(fields)) {
    control.addEventListener('input', () => {
      control.classList.remove('invalid');
      actions.changed();
    });
    control.addEventListener('change', actions.changed);
  }

  const focusNext = (): void => {
    [pauseButton, stopButton, continueButton, startButton].find((b) => !b.disabled)?.focus();
  };
  const setChoice = (s: HTMLSelectElement, v: string | undefined) => {
    if (v !== undefined && [...s.options].some((o) => o.value === v)) s.value = v;
  };

  return {
    root,
    read() {
      const config = validateConfig({
        sizes: parseSizes(sizes.value),
        optimizer: optimizer.value as OptimizerName,
        lr: readNumber('lr', lr.value),
        schedule: schedule.value as ScheduleName,
        batchSize: readNumber('batchSize', batch.value),
        epochs: readNumber('epochs', epochs.value),
        seed: 0,
        dropout: readNumber('dropout', dropout.value),
        weightDecay: readNumber('weightDecay', weightDecay.value),
        augment: augment.value as AugmentName,
      });
      return { config, limit: validateLimit(readNumber('limit', limit.value), config.batchSize) };
    },
    readLr() {
      const v = readNumber('lr', lr.value);
      return v;
    },
    texts() {
      return {
        sizes: sizes.value,
        optimizer: optimizer.value,
        lr: lr.value,
        schedule: schedule.value,
        batchSize: batch.value,
        epochs: epochs.value,
        limit: limit.value,
        dropout: dropout.value,
        weightDecay: weightDecay.value,
        augment: augment.value,
      };
    },
    fill(share) {
      setChoice(optimizer, share.optimizer);
      setChoice(schedule, share.schedule);
      setChoice(augment, share.augment);
      const text: Array<[HTMLInputElement, string | undefined]> = [
        [sizes, share.sizes],
        [lr, share.lr],
        [batch, share.batchSize],
        [epochs, share.epochs],
        [limit, share.limit],
        [dropout, share.dropout],
        [weightDecay, share.weightDecay],
      ];
      // The optimizer's default rate first, then the link's own rate over it.
      if (share.optimizer !== undefined) lr.value = String(optimizerSpec(optimizer.value as OptimizerName).defaultLr);
      for (const [input, v] of text) if (v !== undefined) input.value = v;
      showOptimizer();
      showSchedule();
    },
    setSizes(s) {
      sizes.value = s.join('-');
    },
    setLr(v) {
      lr.value = String(v);
    },
    setState(state, hasModel) {
      running = state === 'running' || state === 'paused';
      const busy = state === 'loading' || running;
      startButton.disabled = busy;
      pauseButton.disabled = !running;
      pauseButton.textContent = state === 'paused' ? 'Resume' : 'Pause';
      stopButton.disabled = !busy;
      continueButton.disabled = busy || !hasModel;
      for (const control of Object.values(fields)) control.disabled = busy;
      // The learning rate stays open during a run: Enter (or leaving the field) applies a new one.
      lr.disabled = state === 'loading';
      lrHint.textContent = running ? 'Type a new rate and press Enter: it applies from the next step (the schedule stops).' : FIELD_HELP.lr;
      // A focused button that just got disabled would drop the focus to <body> (after Start, after a run ends).
      const active = document.activeElement;
      const disabled = (active instanceof HTMLButtonElement || active instanceof HTMLInputElement || active instanceof HTMLSelectElement) && active.disabled;
      const lost = active === document.body || (disabled && root.contains(active));
      if (lost) focusNext();
    },
    markInvalid(name) {
      for (const [key, control] of Object.entries(fields)) control.classList.toggle('invalid', key === name);
    },
    focusNext,
  };
}

function input(testId: string, value: string, mode: 'decimal' | 'numeric' | 'text' = 'decimal'): HTMLInputElement {
  const e = el('input', { type: 'text', value, spellcheck: false, autocomplete: 'off' });
  if (mode !== 'text') e.inputMode = mode;
  e.dataset['testid'] = testId;
  return e;
}

function select(testId: string, options: Array<[string, string]>, value: string): HTMLSelectElement {
  const e = el('select', {}, ...options.map(([v, label]) => el('option', { value: v, textContent: label })));
  e.dataset['testid'] = testId;
  e.value = value;
  return e;
}

function button(testId: string, text: string, className: string, type: 'button' | 'submit' = 'button'): HTMLButtonElement {
  const e = el('button', { type, textContent: text, className });
  e.dataset['testid'] = testId;
  return e;
}

function hint(testId: string, text = ''): HTMLElement {
  const e = el('small', { className: 'hint', textContent: text });
  if (testId) e.dataset['testid'] = testId;
  return e;
}

function field(label: string, control: HTMLElement, help: HTMLElement, className = ''): HTMLElement {
  return el('label', { className: `train-field ${className}`.trim() }, el('span', { textContent: label }), control, help);
}
