// The run's settings: inputs with the test ids the e2e tests use, and the
// start / pause / stop buttons.
import { type ConfigField, type TrainConfig, parseSizes, readNumber, validateConfig, validateLimit } from '../../src/train/config.js';
import { OPTIMIZERS, type OptimizerName, optimizerSpec } from '../../src/train/optimizers.js';
import type { RunState } from '../../src/train/protocol.js';
import { SCHEDULES, type ScheduleName } from '../../src/train/schedules.js';
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
};

/** The settings as read from the form. */
export interface FormValues {
  config: TrainConfig;
  limit: number;
}

/** The form's handle: read values, reflect the run state, flag a bad field. */
export interface TrainForm {
  readonly root: HTMLElement;
  /** @throws TrainConfigError naming the bad field. */
  read(): FormValues;
  setState(state: RunState | 'idle'): void;
  markInvalid(field: ConfigField | undefined): void;
}

/** Builds the form; the callbacks run on the buttons. */
export function createTrainForm(actions: { start(): void; togglePause(): void; stop(): void }): TrainForm {
  const sizes = input('train-sizes', 'text', '784-128-10', { spellcheck: 'false', autocomplete: 'off' });
  const optimizer = select('train-optimizer', OPTIMIZERS.map((o) => [o.name, o.label]), 'sgd');
  const lr = input('train-lr', 'number', String(optimizerSpec('sgd').defaultLr), { min: '0', step: 'any' });
  const schedule = select('train-schedule', SCHEDULES.map((s) => [s.name, s.label]), 'constant');
  const batch = input('train-batch', 'number', '64', { min: '1', step: '1' });
  const epochs = input('train-epochs', 'number', '3', { min: '1', max: '100', step: '1' });
  const limit = input('train-limit', 'number', '10000', { min: '1', max: '60000', step: '1000' });
  const note = el('p', { className: 'train-note' });
  const showNote = (): void => {
    note.textContent = optimizerSpec(optimizer.value as OptimizerName).note;
  };
  optimizer.addEventListener('change', () => {
    lr.value = String(optimizerSpec(optimizer.value as OptimizerName).defaultLr);
    showNote();
  });
  showNote();

  const startButton = button('train-start', 'Start', 'primary', actions.start);
  const pauseButton = button('train-pause', 'Pause', '', actions.togglePause);
  const stopButton = button('train-stop', 'Stop', '', actions.stop);

  const fields: Record<string, HTMLInputElement | HTMLSelectElement> = { sizes, optimizer, lr, schedule, batchSize: batch, epochs, limit };
  const root = el(
    'form',
    { className: 'train-form' },
    field(FIELD_LABELS.sizes, sizes, 'train-field-wide'),
    field(FIELD_LABELS.optimizer, optimizer, 'train-field-wide'),
    field(FIELD_LABELS.lr, lr),
    field(FIELD_LABELS.batchSize, batch),
    field(FIELD_LABELS.schedule, schedule, 'train-field-wide'),
    field(FIELD_LABELS.epochs, epochs),
    field(FIELD_LABELS.limit, limit),
    note,
    el('div', { className: 'train-buttons' }, startButton, pauseButton, stopButton),
  );
  root.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!startButton.disabled) actions.start();
  });
  for (const control of Object.values(fields)) control.addEventListener('input', () => control.classList.remove('invalid'));

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
      });
      return { config, limit: validateLimit(readNumber('limit', limit.value), config.batchSize) };
    },
    setState(state) {
      const busy = state === 'loading' || state === 'running' || state === 'paused';
      startButton.disabled = busy;
      pauseButton.disabled = state !== 'running' && state !== 'paused';
      pauseButton.textContent = state === 'paused' ? 'Resume' : 'Pause';
      stopButton.disabled = !busy;
      for (const control of Object.values(fields)) control.disabled = busy;
    },
    markInvalid(name) {
      for (const [key, control] of Object.entries(fields)) control.classList.toggle('invalid', key === name);
    },
  };
}

function input(testId: string, type: string, value: string, attrs: Record<string, string> = {}): HTMLInputElement {
  const e = el('input', { type, value });
  e.dataset['testid'] = testId;
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

function select(testId: string, options: Array<[string, string]>, value: string): HTMLSelectElement {
  const e = el('select', {}, ...options.map(([v, label]) => el('option', { value: v, textContent: label })));
  e.dataset['testid'] = testId;
  e.value = value;
  return e;
}

function button(testId: string, text: string, className: string, onClick: () => void): HTMLButtonElement {
  const e = el('button', { type: 'button', textContent: text, className });
  e.dataset['testid'] = testId;
  e.addEventListener('click', onClick);
  return e;
}

function field(label: string, control: HTMLElement, className = ''): HTMLElement {
  return el('label', { className: `train-field ${className}`.trim() }, el('span', { textContent: label }), control);
}
