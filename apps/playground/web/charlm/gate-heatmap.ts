// The picture under the generated text: one signal of the last recurrent
// layer (a gate, the cell state or the hidden state), a row per unit and a
// column per character, the characters written under their columns.
import { el } from '../train/dom.js';
import { colourOf, pickUnits, signalScale } from './heatmap-data.js';
import type { SignalName } from './stepper.js';

const CELL_W = 11;
const CELL_H = 7;
const LABEL_H = 16;
const ROWS = 32;

/** The heat map's handle. */
export interface GateHeatmap {
  readonly root: HTMLElement;
  /** Redraws `signal` for the characters so far (`traces[t]` holds every signal of step t, `hiddenSize` values each). */
  draw(signals: readonly SignalName[], signal: SignalName, hiddenSize: number, chars: readonly string[], promptLength: number, traces: readonly Float32Array[]): void;
  clear(): void;
}

/** How a character is written under its column (white space made visible). */
function shown(c: string): string {
  return c === '\n' ? '↵' : c === ' ' ? '·' : c;
}

/** Creates the (empty) heat map. */
export function createGateHeatmap(): GateHeatmap {
  const canvas = el('canvas', { width: 0, height: 0, className: 'charlm-heatmap' });
  canvas.dataset['testid'] = 'charlm-heatmap';
  const scroller = el('div', { className: 'charlm-heatmap-scroll' }, canvas);
  // What is drawn, for the tooltip naming the unit, character and value under the pointer.
  let drawn: { columns: Float32Array[]; units: number[]; chars: readonly string[] } | undefined;
  canvas.addEventListener('mousemove', (e) => {
    if (!drawn) return;
    const t = Math.floor(e.offsetX / CELL_W);
    const r = Math.floor(e.offsetY / CELL_H);
    const unit = drawn.units[r];
    const c = drawn.chars[t];
    const col = drawn.columns[t];
    canvas.title = unit === undefined || c === undefined || col === undefined ? '' : `unit ${unit} after ${JSON.stringify(c)} (character ${t + 1}): ${col[unit]!.toFixed(3)}`;
  });
  return {
    root: scroller,
    clear() {
      drawn = undefined;
      canvas.width = 0;
      canvas.height = 0;
      canvas.dataset['columns'] = '0';
    },
    draw(signals, signal, hiddenSize, chars, promptLength, traces) {
      const k = signals.indexOf(signal);
      if (k < 0) return;
      const columns = traces.map((t) => t.subarray(k * hiddenSize, (k + 1) * hiddenSize));
      const units = pickUnits(columns, hiddenSize, ROWS);
      const scale = signalScale(signal, columns);
      const cols = chars.length;
      const rows = units.length;
      const width = Math.max(1, cols * CELL_W);
      const height = rows * CELL_H + LABEL_H;
      if (canvas.width !== width) canvas.width = width;
      if (canvas.height !== height) canvas.height = height;
      const ctx = canvas.getContext('2d');
      if (!ctx) return;
      ctx.clearRect(0, 0, width, height);
      for (let t = 0; t < cols; t++) {
        units.forEach((unit, r) => {
          const [red, green, blue] = colourOf(columns[t]![unit]!, scale);
          ctx.fillStyle = `rgb(${red}, ${green}, ${blue})`;
          // One pixel short: a thin gap keeps neighbouring characters apart.
          ctx.fillRect(t * CELL_W, r * CELL_H, CELL_W - 1, CELL_H);
        });
      }
      ctx.font = '12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace';
      ctx.textAlign = 'center';
      ctx.textBaseline = 'top';
      chars.forEach((c, t) => {
        ctx.fillStyle = t < promptLength ? '#8a8f98' : '#1d2330';
        ctx.fillText(shown(c), t * CELL_W + CELL_W / 2, rows * CELL_H + 2);
      });
      if (promptLength > 0 && promptLength < cols) {
        // Where the prompt ends and sampling begins.
        ctx.fillStyle = '#1d2330';
        ctx.fillRect(promptLength * CELL_W - 1, 0, 1, height);
      }
      canvas.dataset['columns'] = String(cols);
      canvas.dataset['rows'] = String(rows);
      canvas.dataset['units'] = units.join(' ');
      drawn = { columns, units, chars };
      // Keep the newest characters in view while they stream in.
      scroller.scrollLeft = scroller.scrollWidth;
    },
  };
}
