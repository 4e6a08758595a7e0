import {
  DTypeError,
  type Generator,
  Module,
  type Parameter,
  ShapeError,
  type Tensor,
  ValueError,
  add,
  expectBoolean,
  expectInt,
  expectOptions,
  fmtShape,
  matmul,
  relu,
  squeeze,
  tanh,
  uniform_,
  unsqueeze,
  zeros,
} from '@dl/tensor';
import { gruCell } from '../ops/gru-cell.js';
import { lstmCell } from '../ops/lstm-cell.js';
import type { LSTMState } from './lstm.js';

/** Options of the single-step cells. */
export interface CellOptions {
  /** Learn `bias_ih` and `bias_hh` (default `true`). */
  bias?: boolean;
  /** Source of randomness for the initial weights. */
  generator?: Generator;
  /** Parameter dtype (default `float32`). */
  dtype?: 'float32' | 'float64';
}

/** Options of `RNNCell`. */
export interface RNNCellOptions extends CellOptions {
  /** `'tanh'` (default) or `'relu'`. */
  nonlinearity?: 'tanh' | 'relu';
}

/** The parameters and checks the three cells share (PyTorch's `RNNCellBase`). */
abstract class CellBase<In extends unknown[], Out> extends Module<In, Out> {
  readonly inputSize: number;
  readonly hiddenSize: number;
  /** `[G·H, inputSize]`. */
  readonly weight_ih: Parameter;
  /** `[G·H, H]`. */
  readonly weight_hh: Parameter;
  readonly bias_ih: Parameter | null;
  readonly bias_hh: Parameter | null;
  protected readonly cellName: string;

  protected constructor(name: string, gates: number, inputSize: number, hiddenSize: number, options: CellOptions, keys: readonly string[] = []) {
    super();
    expectInt(name, 'inputSize', inputSize, 1);
    expectInt(name, 'hiddenSize', hiddenSize, 1);
    if (options === null || typeof options !== 'object') throw new ValueError(name, `options must be an object, got ${String(options)}`);
    expectOptions(name, options, ['bias', 'generator', 'dtype', ...keys]);
    const bias = options.bias ?? true;
    expectBoolean(name, 'bias', bias);
    const dtype = options.dtype ?? 'float32';
    if (dtype !== 'float32' && dtype !== 'float64') throw new DTypeError(name, `dtype must be float32 or float64, got ${String(dtype)}`);
    this.cellName = name;
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    const G = gates * hiddenSize;
    this.weight_ih = this.param('weight_ih', zeros([G, inputSize], { dtype }));
    this.weight_hh = this.param('weight_hh', zeros([G, hiddenSize], { dtype }));
    this.bias_ih = bias ? this.param('bias_ih', zeros([G], { dtype })) : null;
    this.bias_hh = bias ? this.param('bias_hh', zeros([G], { dtype })) : null;
    const k = 1 / Math.sqrt(hiddenSize);
    for (const p of this.parameters()) uniform_(p, -k, k, { generator: options.generator });
  }

  /** Checks x `[B, in]` or `[in]`; returns it batched and whether it was unbatched. */
  protected batched(x: Tensor): [Tensor, boolean] {
    if (x === null || typeof x !== 'object' || !('shape' in x)) throw new ValueError(this.cellName, `input must be a Tensor [B, ${this.inputSize}], got ${String(x)}`);
    if ((x.ndim !== 1 && x.ndim !== 2) || x.shape[x.ndim - 1] !== this.inputSize) {
      throw new ShapeError(this.cellName, `input has shape ${fmtShape(x.shape)}; need [B, ${this.inputSize}] or [${this.inputSize}] (inputSize = ${this.inputSize})`);
    }
    if (x.dtype !== this.weight_ih.dtype) throw new DTypeError(this.cellName, `input has dtype ${x.dtype} but the parameters are ${this.weight_ih.dtype}`);
    return x.ndim === 1 ? [unsqueeze(x, 0), true] : [x, false];
  }

  /** Checks a state against `[B, size]` (`[size]` unbatched); zeros when absent. */
  protected state(name: string, s: Tensor | null | undefined, B: number, unbatched: boolean, size: number): Tensor {
    if (s === null || s === undefined) return zeros([B, size], { dtype: this.weight_ih.dtype });
    const want = unbatched ? [size] : [B, size];
    if (typeof s !== 'object' || !('shape' in s) || s.ndim !== want.length || s.shape.some((v, i) => v !== want[i])) {
      const got = typeof s === 'object' && 'shape' in s ? `has shape ${fmtShape(s.shape)}` : `is ${String(s)}`;
      throw new ShapeError(this.cellName, `${name} ${got}; need ${fmtShape(want)} to match the input`);
    }
    if (s.dtype !== this.weight_ih.dtype) throw new DTypeError(this.cellName, `${name} has dtype ${s.dtype} but the parameters are ${this.weight_ih.dtype}`);
    return unbatched ? unsqueeze(s, 0) : s;
  }

  protected inputGates(x: Tensor, withHiddenBias: boolean): Tensor {
    const gx = matmul(x, this.weight_ih, { transposeB: true });
    if (this.bias_ih === null || this.bias_hh === null) return gx;
    return add(gx, withHiddenBias ? add(this.bias_ih, this.bias_hh) : this.bias_ih);
  }

  override extraRepr(): string {
    return `${this.inputSize}, ${this.hiddenSize}${this.bias_ih === null ? ', bias=false' : ''}`;
  }
}

/**
 * One step of Elman's RNN, `torch.nn.RNNCell`: `h' = act(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh)`.
 * `x` `[B, inputSize]` (or `[inputSize]`), `h` `[B, H]` (zeros when omitted) → `h'` `[B, H]`.
 *
 * @example new RNNCell(4, 8, { generator: new Generator(0) }).forward(randn([2, 4])); // [2, 8]
 */
export class RNNCell extends CellBase<[x: Tensor, h?: Tensor | null], Tensor> {
  readonly nonlinearity: 'tanh' | 'relu';

  constructor(inputSize: number, hiddenSize: number, options: RNNCellOptions = {}) {
    super('RNNCell', 1, inputSize, hiddenSize, options, ['nonlinearity']);
    const nl = options.nonlinearity ?? 'tanh';
    if (nl !== 'tanh' && nl !== 'relu') throw new ValueError('RNNCell', `nonlinearity must be 'tanh' or 'relu', got ${String(nl)}`);
    this.nonlinearity = nl;
  }

  forward(x: Tensor, h: Tensor | null = null): Tensor {
    const [xb, unbatched] = this.batched(x);
    const hb = this.state('h', h, xb.shape[0]!, unbatched, this.hiddenSize);
    const pre = add(this.inputGates(xb, true), matmul(hb, this.weight_hh, { transposeB: true }));
    const out = this.nonlinearity === 'tanh' ? tanh(pre) : relu(pre);
    return unbatched ? squeeze(out, 0) : out;
  }
}

/**
 * One GRU step, `torch.nn.GRUCell` (gates r, z, n; see `GRU` for the formula).
 * `x` `[B, inputSize]`, `h` `[B, H]` → `h'` `[B, H]`.
 *
 * @example new GRUCell(4, 8, { generator: new Generator(0) }).forward(randn([2, 4])); // [2, 8]
 */
export class GRUCell extends CellBase<[x: Tensor, h?: Tensor | null], Tensor> {
  constructor(inputSize: number, hiddenSize: number, options: CellOptions = {}) {
    super('GRUCell', 3, inputSize, hiddenSize, options);
  }

  forward(x: Tensor, h: Tensor | null = null): Tensor {
    const [xb, unbatched] = this.batched(x);
    const hb = this.state('h', h, xb.shape[0]!, unbatched, this.hiddenSize);
    const out = gruCell(this.inputGates(xb, false), matmul(hb, this.weight_hh, { transposeB: true }), hb, this.bias_hh);
    return unbatched ? squeeze(out, 0) : out;
  }
}

/**
 * One LSTM step, `torch.nn.LSTMCell` (gates i, f, g, o; see `LSTM`).
 * `x` `[B, inputSize]`, state `{ h, c }` each `[B, H]` → the new `{ h, c }`.
 *
 * @example const { h, c } = new LSTMCell(4, 8, { generator: new Generator(0) }).forward(randn([2, 4])); // [2, 8] each
 */
export class LSTMCell extends CellBase<[x: Tensor, state?: LSTMState | null], LSTMState> {
  constructor(inputSize: number, hiddenSize: number, options: CellOptions = {}) {
    super('LSTMCell', 4, inputSize, hiddenSize, options);
  }

  forward(x: Tensor, state: LSTMState | null = null): LSTMState {
    const [xb, unbatched] = this.batched(x);
    const B = xb.shape[0]!;
    const hb = this.state('h', state?.h, B, unbatched, this.hiddenSize);
    const cb = this.state('c', state?.c, B, unbatched, this.hiddenSize);
    const [h, c] = lstmCell(this.inputGates(xb, true), matmul(hb, this.weight_hh, { transposeB: true }), cb);
    return unbatched ? { h: squeeze(h, 0), c: squeeze(c, 0) } : { h, c };
  }
}
