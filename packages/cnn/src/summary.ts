import {
  type AnyModule,
  type FloatDType,
  Linear,
  Module,
  type RemovableHandle,
  Tensor,
  ValueError,
  describeValue,
  expectOptions,
  fmtShape,
  isFloatDType,
  noGrad,
  zeros,
} from '@dl/tensor';
import { Conv2d, Subsampling2d } from './modules/index.js';

/** One forward call of one module, as `summary` saw it. */
export interface SummaryRow {
  /** Dotted name (`layer1.0.conv1`); `''` for the model itself. */
  readonly name: string;
  /** The module's class name (`Conv2d`). */
  readonly type: string;
  /** Nesting depth: 0 for the model, 1 for its children, … */
  readonly depth: number;
  /** Shapes of the tensors the call returned (several for a model returning an object or array). */
  readonly outputShapes: readonly (readonly number[])[];
  /** The output as shown: `[1, 64, 56, 56]`, or `{logits: [1, 1000], aux1: null}`. */
  readonly output: string;
  /** Parameters of the module, its children's included (each shared parameter once). */
  readonly params: number;
  /** Multiply–accumulates of this call, its children's included. */
  readonly macs: number;
  /** `true` when the module has no children. */
  readonly leaf: boolean;
}

/** A module that was never called in the summary's forward (an auxiliary head in eval mode). */
export interface NotRunModule {
  readonly name: string;
  readonly type: string;
  readonly params: number;
}

/** What `summary` returns. */
export interface ModelSummary {
  /** One row per module call, in the order the calls started (parents before children). */
  readonly rows: readonly SummaryRow[];
  /** The outermost modules with parameters that the forward did not call. */
  readonly notRun: readonly NotRunModule[];
  readonly inputShape: readonly number[];
  /** Mode the forward ran in. */
  readonly mode: 'eval' | 'train';
  /** Every parameter of the model, once. */
  readonly totalParams: number;
  /** Parameters with `requiresGrad`. */
  readonly trainableParams: number;
  /** Parameters without `requiresGrad` (frozen). */
  readonly frozenParams: number;
  /** Multiply–accumulates of the whole forward, for the whole input batch. */
  readonly totalMacs: number;
  /** Bytes of parameter storage. */
  readonly paramBytes: number;
  /** The table, rows down to `depth` (default 3) nesting levels. */
  toString(options?: { depth?: number }): string;
}

/** Options of `summary`. */
export interface SummaryOptions {
  /**
   * Mode of the forward (default `'eval'`): in `'train'` mode dropout draws
   * from its generator and batch norm uses batch statistics (the running
   * statistics are restored afterwards either way), and training-only
   * branches (GoogLeNet's auxiliary heads) run.
   */
  mode?: 'eval' | 'train';
  /** dtype of the zero input (default: the model's first parameter's, else float32). */
  dtype?: FloatDType;
}

/** A module that counts its own multiply–accumulates (layers `summary` does not know). */
interface CountsMacs {
  countMacs(args: readonly unknown[], output: unknown): number;
}

function hasCountMacs(m: unknown): m is CountsMacs {
  return typeof (m as Partial<CountsMacs>).countMacs === 'function';
}

/**
 * Multiply–accumulates of one call of a module itself (not its children):
 * convolutions and fully connected layers count one per weight per output
 * position, whatever the grouping; LeNet's subsampling one per output (the
 * coefficient; the window sum is additions); modules with a `countMacs`
 * method report their own; everything else (activations, pooling,
 * normalization) counts 0, as torchinfo counts layers without weights.
 */
function ownMacs(m: AnyModule, args: readonly unknown[], output: unknown): number {
  if (hasCountMacs(m)) return m.countMacs(args, output);
  if (!(output instanceof Tensor)) return 0;
  if (m instanceof Conv2d && output.ndim >= 2) return (output.size / output.shape[1]!) * m.weight.size;
  if (m instanceof Linear) return m.outFeatures === 0 ? 0 : (output.size / m.outFeatures) * m.weight.size;
  if (m instanceof Subsampling2d) return output.size;
  return 0;
}

function describeOutput(v: unknown, shapes: number[][]): string {
  if (v instanceof Tensor) {
    shapes.push([...v.shape]);
    return fmtShape(v.shape);
  }
  if (v === null || v === undefined) return String(v);
  if (Array.isArray(v)) return `[${v.map((e) => describeOutput(e, shapes)).join(', ')}]`;
  if (typeof v === 'object') {
    return `{${Object.entries(v as Record<string, unknown>).map(([k, e]) => `${k}: ${describeOutput(e, shapes)}`).join(', ')}}`;
  }
  return typeof v;
}

interface OpenCall {
  readonly name: string;
  readonly module: AnyModule;
  readonly depth: number;
  readonly index: number;
  childMacs: number;
}

/**
 * A per-layer summary of `model` like torchinfo's: runs one forward on a
 * zero input of `inputShape` (batch dimension included) under `noGrad`
 * with forward hooks on every module, and reports per call the output
 * shape, the parameters and the multiply–accumulates, then totals
 * (trainable and frozen parameters). The model is left as it was: its
 * mode, its buffers (batch norm statistics) and no hooks.
 *
 * Multiply–accumulates: a convolution counts N·H_out·W_out·C_out·(C_in/groups)·kH·kW,
 * a fully connected layer N·in·out; see `ownMacs` for the rest. They are for the
 * whole batch given: pass a batch of 1 for per-image costs.
 *
 * @example
 * const s = summary(lenet5(), [1, 1, 28, 28]);
 * s.totalParams; // 61,706
 * console.log(s.toString());
 */
export function summary(model: AnyModule, inputShape: readonly number[] | Tensor, options: SummaryOptions = {}): ModelSummary {
  const op = 'summary';
  if (!(model instanceof Module)) throw new ValueError(op, `model must be a Module, got ${describeValue(model)}`);
  expectOptions(op, options, ['mode', 'dtype']);
  const mode = options.mode ?? 'eval';
  if (mode !== 'eval' && mode !== 'train') throw new ValueError(op, `mode must be 'eval' or 'train', got ${describeValue(mode)}`);
  const params = model.parameters();
  const dtype = options.dtype ?? (params.find((p) => isFloatDType(p.dtype))?.dtype as FloatDType | undefined) ?? 'float32';
  let input: Tensor;
  if (inputShape instanceof Tensor) input = inputShape;
  else {
    if (!Array.isArray(inputShape) || !inputShape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new ValueError(op, `inputShape must be an array of non-negative integers (batch dimension first) or a Tensor, got ${describeValue(inputShape)}`);
    }
    input = zeros(inputShape, { dtype });
  }

  const modules = model.namedModules();
  const modes = modules.map(([, m]) => m.training);
  const buffers = model.buffers().map((b) => [b, b.clone()] as const);
  const rows: Array<SummaryRow | null> = [];
  const stack: OpenCall[] = [];
  const called = new Set<AnyModule>();
  const handles: RemovableHandle[] = [];
  const depthOf = (name: string): number => (name === '' ? 0 : name.split('.').length);

  try {
    model.train(mode === 'train');
    for (const [name, m] of modules) {
      handles.push(
        m.registerForwardPreHook(() => {
          called.add(m);
          stack.push({ name, module: m, depth: depthOf(name), index: rows.length, childMacs: 0 });
          rows.push(null);
        }),
      );
      handles.push(
        m.registerForwardHook((_mod, args, output) => {
          const call = stack.pop();
          if (call === undefined || call.module !== m) throw new ValueError(op, `module '${name}' returned without the call summary saw start; is a hook of its own rethrowing?`);
          const macs = ownMacs(m, args, output) + call.childMacs;
          const parent = stack[stack.length - 1];
          if (parent !== undefined) parent.childMacs += macs;
          const shapes: number[][] = [];
          const shown = describeOutput(output, shapes);
          rows[call.index] = {
            name,
            type: m.constructor.name,
            depth: call.depth,
            outputShapes: shapes,
            output: shown,
            params: m.numParameters(),
            macs,
            leaf: m.children().length === 0,
          };
        }),
      );
    }
    noGrad(() => (model as unknown as { forward(x: Tensor): unknown }).forward(input));
  } finally {
    for (const h of handles) h.remove();
    modules.forEach(([, m], i) => {
      m.training = modes[i]!;
    });
    noGrad(() => {
      for (const [b, saved] of buffers) b.assign_(saved);
    });
  }

  const done = rows.filter((r): r is SummaryRow => r !== null);
  const notRun: NotRunModule[] = [];
  const parentCalled = new Map<string, boolean>([['', true]]);
  for (const [name, m] of modules) {
    const parent = name.includes('.') ? name.slice(0, name.lastIndexOf('.')) : '';
    const wasCalled = called.has(m);
    parentCalled.set(name, wasCalled);
    if (!wasCalled && (parentCalled.get(parent) ?? false) && m.numParameters() > 0) {
      notRun.push({ name, type: m.constructor.name, params: m.numParameters() });
    }
  }
  const totalParams = model.numParameters();
  const trainableParams = model.numParameters({ trainableOnly: true });
  const root = done.find((r) => r.name === '');
  const result: ModelSummary = {
    rows: done,
    notRun,
    inputShape: [...input.shape],
    mode,
    totalParams,
    trainableParams,
    frozenParams: totalParams - trainableParams,
    totalMacs: root?.macs ?? 0,
    paramBytes: params.reduce((n, p) => n + p.size * p.data.BYTES_PER_ELEMENT, 0),
    toString: (o: { depth?: number } = {}) => formatSummary(result, o.depth ?? 3),
  };
  return result;
}

const int = (n: number): string => n.toLocaleString('en-US');

/** 120,422,400 → "120.42 M". */
function scaled(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(2)} k`;
  return String(n);
}

function formatSummary(s: ModelSummary, maxDepth: number): string {
  const shown = s.rows.filter((r) => r.depth <= maxDepth);
  // A row is its parent's last shown child when no later row at its depth comes before one shallower.
  const last = shown.map((r, i) => {
    for (let j = i + 1; j < shown.length; j++) {
      if (shown[j]!.depth < r.depth) return true;
      if (shown[j]!.depth === r.depth) return false;
    }
    return true;
  });
  const open: boolean[] = [];
  const labels = shown.map((r, i) => {
    if (r.depth === 0) return r.type;
    open[r.depth] = !last[i];
    let prefix = '';
    for (let d = 1; d < r.depth; d++) prefix += open[d] ? '│  ' : '   ';
    const leafName = r.name.slice(r.name.lastIndexOf('.') + 1);
    return `${prefix}${last[i] ? '└─' : '├─'}${leafName} (${r.type})`;
  });
  const header = ['Layer (type)', 'Output shape', 'Param #', 'Mult-adds'];
  const cells = shown.map((r, i) => [labels[i]!, r.output, int(r.params), r.macs === 0 ? '--' : int(r.macs)]);
  const width = header.map((h, c) => Math.max(h.length, ...cells.map((row) => [...row[c]!].length)));
  const padCell = (text: string, c: number): string => (c >= 2 ? text.padStart(width[c]!) : text + ' '.repeat(width[c]! - [...text].length));
  const line = (row: readonly string[]): string => row.map((t, c) => padCell(t, c)).join('   ').trimEnd();
  const rule = '='.repeat(width.reduce((a, b) => a + b, 0) + 3 * (width.length - 1));
  const out = [rule, line(header), rule, ...cells.map(line), rule];
  out.push(`Total params: ${int(s.totalParams)}`);
  out.push(`Trainable params: ${int(s.trainableParams)}`);
  out.push(`Frozen params: ${int(s.frozenParams)}`);
  out.push(`Total mult-adds: ${scaled(s.totalMacs)} (${int(s.totalMacs)})`);
  for (const m of s.notRun) out.push(`Not run in ${s.mode} mode: ${m.name} (${m.type}, ${int(m.params)} params, counted in the totals)`);
  out.push(rule);
  out.push(`Input shape: ${fmtShape(s.inputShape)} (${s.mode} mode)`);
  out.push(`Params size: ${(s.paramBytes / 2 ** 20).toFixed(2)} MiB`);
  out.push(rule);
  return out.join('\n');
}
