import Table from 'cli-table3';
import { CUSTOM_NOTE } from './custom.js';
import { type Point, formatNumber, formatPoint } from './format.js';
import { type LearningRates, MOMENTUM_OPTIMIZERS, type Momenta, type MomentumOptimizer, OPTIMIZER_NAMES, type OptimizerName } from './optimizers.js';
import { PRESETS, PRESET_IDS, type PresetId, isPresetId } from './presets.js';
import { type RaceReport, raceReport } from './report.js';
import { renderSvg } from './svg.js';

/** The `optimizers` command's options, after parsing. */
export interface OptimizersOptions {
  readonly preset: PresetId;
  /** A typed-in f(x, y) replacing the preset's. */
  readonly expr?: string;
  readonly start?: Point;
  readonly steps?: number;
  readonly lr?: Partial<LearningRates>;
  /** Momentum coefficients (Momentum, NAG; β₁ for Adam). */
  readonly momentum?: Partial<Momenta>;
  /** Where to write the SVG (default `out/optimizers-<preset or custom>.svg`). */
  readonly out?: string;
}

/** What the command does to the outside world, injected so this file stays free of Node APIs. */
export interface CommandIo {
  /** Writes `text` to `path` (creating folders) and returns the absolute path written. */
  writeFile(path: string, text: string): string;
  log(line: string): void;
}

/** `--preset`: one of the preset ids. */
export function parsePreset(value: string): PresetId {
  if (!isPresetId(value)) throw new Error(`expected one of ${PRESET_IDS.join(', ')}, got '${value}'`);
  return value;
}

/** `--start x,y`: two finite numbers. @example parseStart('-1.2,1') // [-1.2, 1] */
export function parseStart(value: string): Point {
  const parts = value.split(',').map((s) => s.trim());
  const nums = parts.map((s) => (s === '' ? Number.NaN : Number(s)));
  if (nums.length !== 2 || !nums.every(Number.isFinite)) throw new Error(`expected two numbers as x,y (e.g. -1.2,1), got '${value}'`);
  return [nums[0]!, nums[1]!];
}

/** `--steps n`: a positive integer up to 100,000. */
export function parseSteps(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0 || n > 100_000) throw new Error(`expected a whole number of steps from 1 to 100000, got '${value}'`);
  return n;
}

const LR_KEYS: ReadonlyMap<string, OptimizerName> = new Map(OPTIMIZER_NAMES.map((n) => [n.toLowerCase().replace('-', ''), n]));

/** `--lr adam=0.05,sgd=1e-3`: learning-rate overrides by optimizer name (any case; `lbfgs` or `l-bfgs`). */
export function parseLearningRates(value: string): Partial<LearningRates> {
  const out: Partial<Record<OptimizerName, number>> = {};
  for (const item of value.split(',')) {
    const [key, rate, extra] = item.split('=').map((s) => s.trim());
    const name = LR_KEYS.get((key ?? '').toLowerCase().replace('-', ''));
    const lr = Number(rate);
    if (name === undefined || extra !== undefined || rate === undefined || rate === '' || !Number.isFinite(lr) || lr <= 0) {
      throw new Error(`expected name=rate pairs such as adam=0.05,sgd=1e-3 (names: ${OPTIMIZER_NAMES.join(', ')}; rates positive), got '${item}'`);
    }
    out[name] = lr;
  }
  return out;
}

const MOMENTUM_KEYS: ReadonlyMap<string, MomentumOptimizer> = new Map(MOMENTUM_OPTIMIZERS.map((n) => [n.toLowerCase(), n]));

/** `--momentum momentum=0.5,nag=0.8,adam=0.95`: momentum coefficients in [0, 1) (Adam's is its β₁). */
export function parseMomenta(value: string): Partial<Momenta> {
  const out: Partial<Record<MomentumOptimizer, number>> = {};
  for (const item of value.split(',')) {
    const [key, text, extra] = item.split('=').map((s) => s.trim());
    const name = MOMENTUM_KEYS.get((key ?? '').toLowerCase());
    const m = text === undefined || text === '' ? Number.NaN : Number(text);
    if (name === undefined || extra !== undefined || !(m >= 0 && m < 1)) {
      throw new Error(`expected name=coefficient pairs such as momentum=0.5,adam=0.95 (names: ${MOMENTUM_OPTIMIZERS.join(', ')}; coefficients in [0, 1)), got '${item}'`);
    }
    out[name] = m;
  }
  return out;
}

/** Longest formula printed whole; longer (unsimplified) ones are cut, with their length. */
const FORMULA_PREVIEW = 300;

/** A formula for one line of output: cut at {@link FORMULA_PREVIEW} characters, or `not computed`. */
export function formulaPreview(formula: string | null): string {
  if (formula === null) return 'not computed';
  return formula.length <= FORMULA_PREVIEW ? formula : `${formula.slice(0, FORMULA_PREVIEW)}… (${formula.length} characters)`;
}

/** The results as a cli-table3 table (no colours, so it pastes into a README). */
export function renderTable(report: RaceReport): string {
  const table = new Table({
    head: [...report.table.header],
    style: { head: [], border: [] },
    // No rule between body rows: eight short rows read better as one block.
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  for (const row of report.table.rows) table.push([...row.cells]);
  return table.toString();
}

/**
 * The `optimizers` command: races the eight optimizers on a preset (or a
 * typed-in f), prints a table of steps to the target, final f and point, and
 * writes an SVG of the paths over the contours. Throws `ExpressionError` for a
 * bad `--expr` or start (the CLI prints its message).
 *
 * @example optimizersAction({ preset: 'rosenbrock' }, { writeFile, log: console.log })
 */
export function optimizersAction(options: OptimizersOptions, io: CommandIo): RaceReport {
  const expression = options.expr ?? PRESETS[options.preset].expression;
  const report = raceReport({
    expression,
    ...(options.start ? { start: options.start } : {}),
    ...(options.steps ? { steps: options.steps } : {}),
    ...(options.lr ? { lrs: options.lr } : {}),
    ...(options.momentum ? { momenta: options.momentum } : {}),
  });
  const { config, check, expression: e } = report;
  const name = config.presetId === null ? 'custom' : config.presetId;
  io.log(`Optimizer race on ${config.presetId === null ? 'a typed-in function' : PRESETS[config.presetId].label}: f(x, y) = ${e.text}`);
  io.log(`start ${formatPoint(config.start)}, up to ${config.steps} steps per optimizer`);
  if (config.presetId === null) io.log(CUSTOM_NOTE);
  if (options.momentum) io.log(`momentum: ${MOMENTUM_OPTIMIZERS.map((n) => `${n} ${n === 'Adam' ? 'β₁ ' : ''}${config.momenta[n]}`).join(', ')}`);
  io.log(`mathjs: ∂f/∂x = ${formulaPreview(e.partials.x)}, ∂f/∂y = ${formulaPreview(e.partials.y)}`);
  if (e.symbolicNote !== null) io.log(e.symbolicNote);
  const pair = (p: Point) => `(${formatNumber(p[0], 8)}, ${formatNumber(p[1], 8)})`;
  if (check.symbolic === null) io.log(`∇f at the start: autograd ${pair(check.autograd)} (no symbolic value to compare)`);
  else {
    const verdict = check.agree ? 'agree' : `DISAGREE (relative difference ${formatNumber(check.relativeDifference ?? Number.NaN)})`;
    io.log(`∇f at the start: mathjs ${pair(check.symbolic)}, autograd ${pair(check.autograd)} — ${verdict}`);
  }
  io.log(renderTable(report));
  if (report.unbounded !== null) io.log(report.unbounded);
  const path = io.writeFile(options.out ?? `out/optimizers-${name}.svg`, `${renderSvg(report.scene)}\n`);
  io.log(`paths written to ${path}`);
  return report;
}
