import {
  DTypeError,
  type Generator,
  Module,
  type Parameter,
  ShapeError,
  type Tensor,
  ValueError,
  add,
  concat,
  dropout,
  expectBoolean,
  expectInt,
  expectOptions,
  fmtShape,
  getDefaultGenerator,
  matmul,
  mul,
  narrow,
  relu,
  reshape,
  sigmoid,
  squeeze,
  stack,
  sub,
  tanh,
  transpose,
  uniform_,
  unsqueeze,
  where,
  zeros,
} from '@dl/tensor';
import { gruCell } from '../../ops/gru-cell.js';
import { sharedLayerOptions } from './layer-options.js';
import { lstmCell } from '../../ops/lstm-cell.js';
import { gruSequence, lstmSequence } from '../../ops/sequence.js';
import { unbind } from '../../ops/unbind.js';
import { type Lengths, type StepMasks, stepMasks } from './lengths.js';

/** Which recurrence a layer runs. */
export type RecurrentMode = 'RNN_TANH' | 'RNN_RELU' | 'GRU' | 'LSTM' | 'SIMPLE_GRU';

/** Options every recurrent sequence layer takes (PyTorch's `nn.RNNBase` arguments). */
export interface RecurrentOptions {
  /** Stacked layers (default 1): layer k > 0 reads layer k − 1's outputs. */
  numLayers?: number;
  /** Learn `bias_ih` and `bias_hh` (default `true`). */
  bias?: boolean;
  /** Input and output as `[B, T, F]` instead of `[T, B, F]` (default `false`; states stay `[L·D, B, H]`, as in PyTorch). */
  batchFirst?: boolean;
  /** Dropout probability on each layer's outputs except the last, in training mode (default 0). */
  dropout?: number;
  /** Run a second recurrence over the reversed sequence and concatenate both outputs (default `false`). */
  bidirectional?: boolean;
  /** Source of randomness for the initial weights and for dropout. */
  generator?: Generator;
  /** Parameter dtype (default `float32`). */
  dtype?: 'float32' | 'float64';
}

/** Options of a sequence layer's `forward`. */
export interface RecurrentForwardOptions {
  /**
   * Length of each sequence of a padded batch (PyTorch's packed sequences):
   * steps past a sequence's length never change its state, its outputs
   * there are zeros (like `pad_packed_sequence`), and no gradient flows
   * through them. The reverse direction starts at each sequence's last step.
   */
  lengths?: Lengths;
}

export const RECURRENT_KEYS = ['numLayers', 'bias', 'batchFirst', 'dropout', 'bidirectional', 'generator', 'dtype'] as const;

interface DirectionWeights {
  readonly wih: Parameter;
  readonly whh: Parameter;
  readonly bih: Parameter | null;
  readonly bhh: Parameter | null;
  readonly whr: Parameter | null;
  readonly peep: readonly [Parameter, Parameter, Parameter] | null;
}

/** What a run of the layers returns: outputs and final states (c only for LSTMs). */
export interface RecurrentRun {
  readonly output: Tensor;
  readonly h: Tensor;
  readonly c: Tensor | null;
}

/** Names of gate activations `step` returns: LSTM i, f, g, o; GRU r, z, n; the simplified GRU z, n. */
export type GateName = 'i' | 'f' | 'g' | 'o' | 'r' | 'z' | 'n';

/** Options of a sequence layer's `step`. */
export interface RecurrentStepOptions {
  /** Which stacked layer runs the step (default 0). */
  layer?: number;
  /** The backward direction's weights of a bidirectional layer (default `false`). */
  reverse?: boolean;
}

/** What `step` returns: the new state and each gate's activation, all `[B, H]` (h `[B, projSize]` with a projection). */
export interface RecurrentStep {
  readonly h: Tensor;
  /** The LSTM's new cell state; null for the other layers. */
  readonly c: Tensor | null;
  /** Gate activations after their nonlinearities, in the layer's gate order (empty for `RNN`). */
  readonly gates: Readonly<Partial<Record<GateName, Tensor>>>;
}

const GATES: Record<RecurrentMode, number> = { RNN_TANH: 1, RNN_RELU: 1, GRU: 3, LSTM: 4, SIMPLE_GRU: 2 };

/**
 * The shared machinery of the sequence layers: PyTorch's parameters (names,
 * layouts, U(−1/√H, 1/√H) init), stacking, bidirectionality, variable
 * lengths. One GEMM projects every step's input of a layer
 * (`[T·B, in] × [in, G·H]`), then each step runs one GEMM for the recurrence
 * and one fused cell op for the gates.
 */
export abstract class RecurrentBase<In extends unknown[], Out> extends Module<In, Out> {
  readonly mode: RecurrentMode;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly bias: boolean;
  readonly batchFirst: boolean;
  readonly dropout: number;
  readonly bidirectional: boolean;
  /** Size of the LSTM's projected state (0: none). */
  readonly projSize: number;
  /** LSTM peephole connections (Gers & Schmidhuber). */
  readonly peephole: boolean;
  protected readonly generator: Generator | undefined;
  protected readonly layerName: string;
  readonly #weights: DirectionWeights[][] = [];

  protected constructor(
    name: string,
    mode: RecurrentMode,
    inputSize: number,
    hiddenSize: number,
    options: RecurrentOptions,
    extra: { projSize?: number; peephole?: boolean; keys?: readonly string[] } = {},
  ) {
    super();
    expectInt(name, 'inputSize', inputSize, 1);
    expectInt(name, 'hiddenSize', hiddenSize, 1);
    const { bias, batchFirst, dtype } = sharedLayerOptions(name, options);
    expectOptions(name, options, [...RECURRENT_KEYS, ...(extra.keys ?? [])]);
    const numLayers = options.numLayers ?? 1;
    expectInt(name, 'numLayers', numLayers, 1);
    const bidirectional = options.bidirectional ?? false;
    expectBoolean(name, 'bidirectional', bidirectional);
    const p = options.dropout ?? 0;
    if (typeof p !== 'number' || !(p >= 0 && p < 1)) throw new ValueError(name, `dropout must be a number in [0, 1), got ${String(p)}`);
    const projSize = extra.projSize ?? 0;
    expectInt(name, 'projSize', projSize, 0);
    if (projSize >= hiddenSize) throw new ValueError(name, `projSize (${projSize}) must be smaller than hiddenSize (${hiddenSize}), as in PyTorch`);
    this.mode = mode;
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.numLayers = numLayers;
    this.bias = bias;
    this.batchFirst = batchFirst;
    this.dropout = p;
    this.bidirectional = bidirectional;
    this.projSize = projSize;
    this.peephole = extra.peephole ?? false;
    this.generator = options.generator;
    this.layerName = name;
    const G = GATES[mode] * hiddenSize;
    const D = bidirectional ? 2 : 1;
    const out = projSize > 0 ? projSize : hiddenSize;
    const bound = 1 / Math.sqrt(hiddenSize);
    for (let l = 0; l < numLayers; l++) {
      const dirs: DirectionWeights[] = [];
      for (let d = 0; d < D; d++) {
        const sfx = `_l${l}${d === 1 ? '_reverse' : ''}`;
        const inp = l === 0 ? inputSize : out * D;
        const wih = this.param(`weight_ih${sfx}`, zeros([G, inp], { dtype }));
        const whh = this.param(`weight_hh${sfx}`, zeros([G, out], { dtype }));
        const bih = bias ? this.param(`bias_ih${sfx}`, zeros([G], { dtype })) : null;
        const bhh = bias ? this.param(`bias_hh${sfx}`, zeros([G], { dtype })) : null;
        const peep = this.peephole
          ? ([this.param(`weight_ci${sfx}`, zeros([hiddenSize], { dtype })), this.param(`weight_cf${sfx}`, zeros([hiddenSize], { dtype })), this.param(`weight_co${sfx}`, zeros([hiddenSize], { dtype }))] as const)
          : null;
        const whr = projSize > 0 ? this.param(`weight_hr${sfx}`, zeros([projSize, hiddenSize], { dtype })) : null;
        dirs.push({ wih, whh, bih, bhh, whr, peep });
      }
      this.#weights.push(dirs);
    }
    // PyTorch's reset_parameters: every parameter from U(−1/√H, 1/√H), in registration order.
    for (const w of this.parameters()) uniform_(w, -bound, bound, { generator: options.generator });
  }

  /** Directions: 2 when bidirectional. */
  get numDirections(): number {
    return this.bidirectional ? 2 : 1;
  }

  /** Size of the state h (and of each direction's output): `projSize` when set, else `hiddenSize`. */
  get stateSize(): number {
    return this.projSize > 0 ? this.projSize : this.hiddenSize;
  }

  /** The parameters of one layer and direction. */
  protected weightsOf(layer: number, direction: number): DirectionWeights {
    return this.#weights[layer]![direction]!;
  }

  /**
   * Runs every layer over `input` (`[T, B, in]`, `[B, T, in]` with
   * `batchFirst`, or unbatched `[T, in]`). `h0`/`c0` are `[L·D, B, H]`
   * (`[L·D, H]` unbatched) or null for zeros.
   */
  protected run(input: Tensor, h0: Tensor | null, c0: Tensor | null, options: RecurrentForwardOptions = {}): RecurrentRun {
    const op = this.layerName;
    if (options === null || typeof options !== 'object') throw new ValueError(op, `forward options must be an object { lengths? }, got ${String(options)}`);
    expectOptions(op, options, ['lengths']);
    const dtype = this.parameters()[0]!.dtype as 'float32' | 'float64';
    const layout = this.batchFirst ? '[B, T, inputSize]' : '[T, B, inputSize]';
    if (input === null || typeof input !== 'object' || !('shape' in input)) throw new ValueError(op, `input must be a Tensor ${layout}, got ${String(input)}`);
    if (input.ndim !== 2 && input.ndim !== 3) {
      throw new ShapeError(op, `input has shape ${fmtShape(input.shape)}; need ${layout} = [.., .., ${this.inputSize}] or unbatched [T, ${this.inputSize}]`);
    }
    if (input.shape[input.ndim - 1] !== this.inputSize) {
      throw new ShapeError(op, `input has shape ${fmtShape(input.shape)}: ${input.shape[input.ndim - 1]} features, but inputSize is ${this.inputSize}; need ${layout} with ${this.inputSize} features`);
    }
    if (input.dtype !== dtype) throw new DTypeError(op, `input has dtype ${input.dtype} but the parameters are ${dtype}; convert one with .to()`);
    const unbatched = input.ndim === 2;
    let x = unbatched ? unsqueeze(input, 1) : this.batchFirst ? transpose(input, 0, 1) : input;
    const [T, B] = x.shape as [number, number, number];
    if (T === 0) throw new ShapeError(op, `input has shape ${fmtShape(input.shape)}: an empty sequence (T = 0); need at least one step`);
    if (B === 0) throw new ShapeError(op, `input has shape ${fmtShape(input.shape)}: an empty batch; need at least one sequence`);
    const L = this.numLayers;
    const D = this.numDirections;
    const hs = this.stateSize;
    const h0s = this.#initialStates('h0', h0, unbatched, B, hs, dtype);
    const c0s = this.mode === 'LSTM' ? this.#initialStates('c0', c0, unbatched, B, this.hiddenSize, dtype) : null;
    const masks = options.lengths === undefined ? null : stepMasks(op, options.lengths, T, B, dtype);
    const hN: Tensor[] = [];
    const cN: Tensor[] = [];
    for (let l = 0; l < L; l++) {
      const outs: Tensor[] = [];
      for (let d = 0; d < D; d++) {
        const k = l * D + d;
        const r = this.runDirection(this.weightsOf(l, d), x, h0s?.[k] ?? zeros([B, hs], { dtype }), this.mode !== 'LSTM' ? null : (c0s?.[k] ?? zeros([B, this.hiddenSize], { dtype })), masks, d === 1);
        outs.push(r.outs);
        hN.push(r.h);
        if (r.c !== null) cN.push(r.c);
      }
      x = D === 2 ? concat(outs, 2) : outs[0]!;
      if (l < L - 1 && this.dropout > 0 && this.training) x = dropout(x, this.dropout, true, this.generator ?? getDefaultGenerator());
    }
    let output = x;
    if (unbatched) output = squeeze(output, 1);
    else if (this.batchFirst) output = transpose(output, 0, 1);
    let h = stack(hN, 0);
    let c = cN.length > 0 ? stack(cN, 0) : null;
    if (unbatched) {
      h = squeeze(h, 1);
      if (c !== null) c = squeeze(c, 1);
    }
    return { output, h, c };
  }

  #initialStates(name: string, s: Tensor | null, unbatched: boolean, B: number, size: number, dtype: string): Tensor[] | null {
    if (s === null || s === undefined) return null;
    const LD = this.numLayers * this.numDirections;
    const want = unbatched ? [LD, size] : [LD, B, size];
    if (typeof s !== 'object' || !('shape' in s) || s.ndim !== want.length || s.shape.some((v, i) => v !== want[i])) {
      const what = typeof s === 'object' && s !== null && 'shape' in s ? `has shape ${fmtShape(s.shape)}` : `is ${String(s)}`;
      throw new ShapeError(this.layerName, `${name} ${what}; need ${fmtShape(want)} ([numLayers·numDirections, ${unbatched ? '' : 'batch, '}${name === 'c0' ? 'hiddenSize' : 'state size'}])`);
    }
    if (s.dtype !== dtype) throw new DTypeError(this.layerName, `${name} has dtype ${s.dtype} but the parameters are ${dtype}`);
    return unbind(unbatched ? unsqueeze(s, 1) : s);
  }

  /**
   * One time step of one layer (and direction) on its own, with the gate
   * activations the fused sequence ops compute and drop: for looking inside
   * a trained layer (gate or hidden-unit heat maps), not for speed. The same
   * arithmetic as `forward` (no dropout: that sits between layers), in
   * differentiable core ops. Feed layer k the new h of layer k − 1 (both
   * directions' h concatenated when bidirectional) to run a stack.
   *
   * `x` `[B, in]` (`inputSize` for layer 0, `stateSize · numDirections`
   * above), `state` `{ h: [B, stateSize], c: [B, H] }` (zeros when null; c
   * only for an LSTM).
   *
   * @example
   * const lstm = new LSTM(8, 16, { generator: new Generator(0) });
   * const { h, c, gates } = lstm.step(randn([1, 8]), null); // h, c and gates.i, .f, .g, .o: [1, 16]
   */
  step(x: Tensor, state: { readonly h: Tensor; readonly c?: Tensor | null } | null = null, options: RecurrentStepOptions = {}): RecurrentStep {
    const op = `${this.layerName}.step`;
    if (options === null || typeof options !== 'object') throw new ValueError(op, `options must be an object { layer?, reverse? }, got ${String(options)}`);
    expectOptions(op, options, ['layer', 'reverse']);
    const layer = options.layer ?? 0;
    if (!Number.isInteger(layer) || layer < 0 || layer >= this.numLayers) throw new ValueError(op, `layer must be an integer in [0, ${this.numLayers}), got ${String(layer)}`);
    const reverse = options.reverse ?? false;
    expectBoolean(op, 'reverse', reverse);
    if (reverse && !this.bidirectional) throw new ValueError(op, 'reverse: true needs a bidirectional layer');
    const w = this.weightsOf(layer, reverse ? 1 : 0);
    const dtype = w.wih.dtype;
    const inSize = w.wih.shape[1]!;
    if (x === null || typeof x !== 'object' || !('shape' in x)) throw new ValueError(op, `x must be a Tensor [B, ${inSize}], got ${String(x)}`);
    if (x.ndim !== 2 || x.shape[1] !== inSize) throw new ShapeError(op, `x has shape ${fmtShape(x.shape)}; layer ${layer} needs [B, ${inSize}]`);
    if (x.dtype !== dtype) throw new DTypeError(op, `x has dtype ${x.dtype} but the parameters are ${dtype}`);
    const B = x.shape[0]!;
    const H = this.hiddenSize;
    const checked = (name: string, s: Tensor | null | undefined, size: number): Tensor => {
      if (s === null || s === undefined) return zeros([B, size], { dtype });
      if (typeof s !== 'object' || !('shape' in s) || s.ndim !== 2 || s.shape[0] !== B || s.shape[1] !== size) {
        throw new ShapeError(op, `state.${name} ${typeof s === 'object' && 'shape' in s ? `has shape ${fmtShape(s.shape)}` : `is ${String(s)}`}; need [${B}, ${size}]`);
      }
      if (s.dtype !== dtype) throw new DTypeError(op, `state.${name} has dtype ${s.dtype} but the parameters are ${dtype}`);
      return s;
    };
    if (state !== null && (typeof state !== 'object' || !('h' in state))) throw new ValueError(op, `state must be { h, c? } or null, got ${String(state)}`);
    const h = checked('h', state?.h, this.stateSize);
    let gx = matmul(x, w.wih, { transposeB: true });
    let gh = matmul(h, w.whh, { transposeB: true });
    if (w.bih !== null && w.bhh !== null) {
      gx = add(gx, w.bih);
      gh = add(gh, w.bhh);
    }
    const block = (t: Tensor, k: number): Tensor => narrow(t, 1, k * H, H);
    switch (this.mode) {
      case 'LSTM': {
        const c = checked('c', state?.c, H);
        const pre = add(gx, gh);
        const peep = w.peep;
        const i = sigmoid(peep ? add(block(pre, 0), mul(peep[0], c)) : block(pre, 0));
        const f = sigmoid(peep ? add(block(pre, 1), mul(peep[1], c)) : block(pre, 1));
        const g = tanh(block(pre, 2));
        const cNew = add(mul(f, c), mul(i, g));
        const o = sigmoid(peep ? add(block(pre, 3), mul(peep[2], cNew)) : block(pre, 3));
        const hc = mul(o, tanh(cNew));
        return { h: w.whr === null ? hc : matmul(hc, w.whr, { transposeB: true }), c: cNew, gates: { i, f, g, o } };
      }
      case 'GRU': {
        const r = sigmoid(add(block(gx, 0), block(gh, 0)));
        const z = sigmoid(add(block(gx, 1), block(gh, 1)));
        const n = tanh(add(block(gx, 2), mul(r, block(gh, 2))));
        return { h: add(n, mul(z, sub(h, n))), c: null, gates: { r, z, n } };
      }
      case 'SIMPLE_GRU': {
        const pre = add(gx, gh);
        const z = sigmoid(block(pre, 0));
        const n = tanh(block(pre, 1));
        return { h: add(h, mul(z, sub(n, h))), c: null, gates: { z, n } };
      }
      case 'RNN_TANH':
        return { h: tanh(add(gx, gh)), c: null, gates: {} };
      case 'RNN_RELU':
        return { h: relu(add(gx, gh)), c: null, gates: {} };
    }
  }

  /** One direction of one layer over the whole (time-major) sequence. */
  protected runDirection(w: DirectionWeights, xs: Tensor, h0: Tensor, c0: Tensor | null, masks: StepMasks | null, reverse: boolean): { outs: Tensor; h: Tensor; c: Tensor | null } {
    const [T, B, F] = xs.shape as [number, number, number];
    const H = this.hiddenSize;
    const G = GATES[this.mode] * H;
    // The whole sequence's input projection in one GEMM.
    let gx = matmul(reshape(xs, [T * B, F]), w.wih, { transposeB: true });
    if (w.bih !== null && w.bhh !== null) gx = add(gx, this.mode === 'GRU' ? w.bih : add(w.bih, w.bhh));
    if (masks === null && ((this.mode === 'LSTM' && w.whr === null && w.peep === null) || this.mode === 'GRU')) {
      // The fast path: the whole recurrence as one op (one node, BPTT inside its backward).
      const gx3 = reshape(gx, [T, B, G]);
      if (this.mode === 'LSTM') {
        const [hs, hT, cT] = lstmSequence(gx3, w.whh, h0, c0!, { reverse });
        return { outs: hs, h: hT, c: cT };
      }
      const [hs, hT] = gruSequence(gx3, w.whh, h0, w.bhh, { reverse });
      return { outs: hs, h: hT, c: null };
    }
    const steps = unbind(reshape(gx, [T, B, G]));
    let h = h0;
    let c = c0;
    const outs = new Array<Tensor>(T);
    for (let s = 0; s < T; s++) {
      const t = reverse ? T - 1 - s : s;
      const gh = matmul(h, w.whh, { transposeB: true });
      let hNew: Tensor;
      let cNew: Tensor | null = null;
      switch (this.mode) {
        case 'LSTM': {
          const [hc, cc] = lstmCell(steps[t]!, gh, c!, w.peep ?? undefined);
          hNew = w.whr === null ? hc : matmul(hc, w.whr, { transposeB: true });
          cNew = cc;
          break;
        }
        case 'GRU':
          hNew = gruCell(steps[t]!, gh, h, w.bhh);
          break;
        case 'RNN_TANH':
          hNew = tanh(add(steps[t]!, gh));
          break;
        case 'RNN_RELU':
          hNew = relu(add(steps[t]!, gh));
          break;
        case 'SIMPLE_GRU': {
          const pre = add(steps[t]!, gh);
          const z = sigmoid(narrow(pre, 1, 0, H));
          const n = tanh(narrow(pre, 1, H, H));
          // (1 − z)·h + z·n, written so that z = 0 keeps h exactly.
          hNew = add(h, mul(z, sub(n, h)));
          break;
        }
      }
      const keep = masks?.keep[t] ?? null;
      if (keep !== null) {
        outs[t] = mul(hNew, masks!.keepFloat[t]!);
        hNew = where(keep, hNew, h);
        if (cNew !== null) cNew = where(keep, cNew, c!);
      } else {
        outs[t] = hNew;
      }
      h = hNew;
      c = cNew;
    }
    return { outs: stack(outs, 0), h, c };
  }

  override extraRepr(): string {
    const parts = [`${this.inputSize}, ${this.hiddenSize}`];
    if (this.numLayers !== 1) parts.push(`numLayers=${this.numLayers}`);
    if (!this.bias) parts.push('bias=false');
    if (this.batchFirst) parts.push('batchFirst=true');
    if (this.dropout > 0) parts.push(`dropout=${this.dropout}`);
    if (this.bidirectional) parts.push('bidirectional=true');
    if (this.projSize > 0) parts.push(`projSize=${this.projSize}`);
    if (this.peephole) parts.push('peephole=true');
    return parts.join(', ');
  }
}
