// The race's inputs: a surface (a preset, or "your own f"), the expression,
// the start point and the Race button.
import type { Point } from '../../src/race/format.js';
import { parseNumberText, NumberTextError } from '../../src/form/number-text.js';
import { CUSTOM_START } from '../../src/race/custom.js';
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
  /** Puts an expression and a start in the fields (a shared link). */
  fill(expression: string, start: Point | undefined): void;
  /** Puts a start point in the x and y fields (a click on the plot). */
  setStart(start: Point): void;
  /** Shows which surface the expression is: a preset, or null for the user's own f. */
  showSurface(id: PresetId | null): void;
}

/** The menu entry for a typed-in f. */
const CUSTOM = 'custom';

function numberField(label: string, id: string): { wrap: HTMLLabelElement; input: HTMLInputElement } {
  // Text, not type=number: a number input hides what was typed when it cannot parse it.
  const input = testId(el('input', { type: 'text', inputMode: 'decimal', spellcheck: false, autocomplete: 'off' }), id);
  return { wrap: el('label', { className: 'race-field race-field-num' }, label, input), input };
}

/** Spacing-insensitive: what a preset's expression looks like whatever spaces were typed. */
const squeeze = (s: string) => s.replace(/\s+/g, '');

/** Builds the form. */
export function createRaceForm(handlers: RaceFormHandlers): RaceForm {
  const preset = testId(el('select', { name: 'preset' }), 'race-preset');
  for (const id of PRESET_IDS) preset.append(el('option', { value: id, textContent: PRESETS[id].label }));
  preset.append(el('option', { value: CUSTOM, textContent: 'your own f (type it)' }));
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

  const setStart = ([x, y]: Point) => {
    sx.input.value = String(x);
    sy.input.value = String(y);
  };
  const usePreset = (id: PresetId) => {
    const p = PRESETS[id];
    preset.value = id;
    expr.value = p.expression;
    sx.input.value = String(p.start[0]);
    sy.input.value = String(p.start[1]);
  };
  // A preset's name must not stay in the menu while a different f is in the field.
  const followExpression = () => {
    const typed = squeeze(expr.value);
    preset.value = PRESET_IDS.find((id) => squeeze(PRESETS[id].expression) === typed) ?? CUSTOM;
  };

  preset.addEventListener('change', () => {
    if (!isPresetId(preset.value)) {
      expr.focus();
      return;
    }
    usePreset(preset.value);
    handlers.presetChosen(preset.value);
  });
  expr.addEventListener('input', followExpression);
  for (const input of [expr, sx.input, sy.input]) input.addEventListener('input', () => handlers.edited());
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    handlers.run();
  });

  const coordinate = (input: HTMLInputElement, which: 'x' | 'y'): number | string => {
    try {
      return parseNumberText(input.value);
    } catch (e) {
      if (!(e instanceof NumberTextError)) throw e;
      return `The start ${which} ${e.reason} (for example ${which === 'x' ? '-1.2' : '1'}).`;
    }
  };

  return {
    element: form,
    read() {
      const x = coordinate(sx.input, 'x');
      if (typeof x === 'string') return { error: x };
      const y = coordinate(sy.input, 'y');
      if (typeof y === 'string') return { error: y };
      return { expression: expr.value, start: [x, y] };
    },
    usePreset,
    fill(expression, start) {
      expr.value = expression;
      followExpression();
      setStart(start ?? (isPresetId(preset.value) ? PRESETS[preset.value].start : CUSTOM_START));
    },
    setStart,
    showSurface(id) {
      preset.value = id ?? CUSTOM;
    },
  };
}
