// The race's inputs: a preset, the expression, the start point and the Race button.
import type { Point } from '../../src/race/format.js';
import { PRESETS, PRESET_IDS, type PresetId, isPresetId } from '../../src/race/presets.js';
import { el, testId } from './dom.js';

/** What the form asks of the card. */
export interface RaceFormHandlers {
  /** The Race button (or Enter in a field). */
  run(): void;
  /** A preset was chosen: its expression and start are already in the fields. */
  presetChosen(id: PresetId): void;
  /** The expression or start was edited. */
  edited(): void;
}

/** The form and a way to read it. */
export interface RaceForm {
  readonly element: HTMLFormElement;
  /** The expression and start typed, or the reason the start is not a point. */
  read(): { expression: string; start: Point } | { error: string };
  /** Fills the fields from a preset (as choosing it does). */
  usePreset(id: PresetId): void;
  /** Puts a start point in the x and y fields (a click on the plot). */
  setStart(start: Point): void;
}

function numberField(label: string, id: string): { wrap: HTMLLabelElement; input: HTMLInputElement } {
  const input = testId(el('input', { type: 'number', step: 'any', required: true, inputMode: 'decimal' }), id);
  return { wrap: el('label', { className: 'race-field race-field-num' }, label, input), input };
}

/** Builds the form. */
export function createRaceForm(handlers: RaceFormHandlers): RaceForm {
  const preset = testId(el('select', { name: 'preset' }), 'race-preset');
  for (const id of PRESET_IDS) preset.append(el('option', { value: id, textContent: PRESETS[id].label }));
  const expr = testId(el('input', { type: 'text', name: 'expression', spellcheck: false, autocomplete: 'off' }), 'race-expr');
  expr.setAttribute('autocapitalize', 'off');
  expr.setAttribute('aria-describedby', 'race-expr-help');
  const sx = numberField('start x', 'race-start-x');
  const sy = numberField('start y', 'race-start-y');
  const run = testId(el('button', { type: 'submit', className: 'primary', textContent: 'Race' }), 'race-run');

  const form = el(
    'form',
    { className: 'race-form', noValidate: true },
    el('label', { className: 'race-field' }, 'surface', preset),
    el('label', { className: 'race-field race-field-expr' }, 'f(x, y) =', expr),
    sx.wrap,
    sy.wrap,
    el('div', { className: 'race-buttons' }, run),
  );

  const usePreset = (id: PresetId) => {
    const p = PRESETS[id];
    preset.value = id;
    expr.value = p.expression;
    sx.input.value = String(p.start[0]);
    sy.input.value = String(p.start[1]);
  };

  preset.addEventListener('change', () => {
    if (!isPresetId(preset.value)) return;
    usePreset(preset.value);
    handlers.presetChosen(preset.value);
  });
  for (const input of [expr, sx.input, sy.input]) input.addEventListener('input', () => handlers.edited());
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    handlers.run();
  });

  return {
    element: form,
    read() {
      const x = sx.input.value.trim() === '' ? Number.NaN : Number(sx.input.value);
      const y = sy.input.value.trim() === '' ? Number.NaN : Number(sy.input.value);
      if (!Number.isFinite(x) || !Number.isFinite(y)) {
        const which = !Number.isFinite(x) ? 'x' : 'y';
        return { error: `The start ${which} must be a number (for example ${which === 'x' ? '-1.2' : '1'}).` };
      }
      return { expression: expr.value, start: [x, y] };
    },
    usePreset,
    setStart([x, y]) {
      sx.input.value = String(x);
      sy.input.value = String(y);
    },
  };
}
