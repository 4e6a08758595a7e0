import {
  DTypeError,
  type Generator,
  Module,
  type Parameter,
  ShapeError,
  type Tensor,
  ValueError,
  add,
  expectInt,
  expectOptions,
  fmtShape,
  matmul,
  mul,
  relu,
  reshape,
  sigmoid,
  squeeze,
  stack,
  tanh,
  transpose,
  uniform_,
  unsqueeze,
  where,
  zeros,
} from '@dl/tensor';
import { unbind } from '../ops/unbind.js';
import { sharedLayerOptions } from './internal/layer-options.js';
import { stepMasks } from './internal/lengths.js';
import type { RecurrentForwardOptions } from './internal/recurrent-base.js';

/** Options of `JordanRNN`. */
export interface JordanRNNOptions {
  /** Hidden nonlinearity: `'tanh'` (default) or `'relu'`. */
  nonlinearity?: 'tanh' | 'relu';
  /** Output nonlinearity, whose result is fed back: `'tanh'` (default), `'sigmoid'` or `'identity'`. */
  outputActivation?: 'tanh' | 'sigmoid' | 'identity';
  /** Learn biases (default `true`). */
  bias?: boolean;
  /** `[B, T, F]` instead of `[T, B, F]` (default `false`). */
  batchFirst?: boolean;
  generator?: Generator;
  dtype?: 'float32' | 'float64';
}

/** What `JordanRNN.forward` returns. */
export interface JordanOutput {
  /** `[T, B, outputSize]` (`[B, T, …]` with `batchFirst`): y at every step. */
  readonly output: Tensor;
  /** `[B, hiddenSize]`: the last hidden state. */
  readonly h: Tensor;
  /** `[B, outputSize]`: the last output, the state the next call continues from. */
  readonly y: Tensor;
}

/**
 * Jordan's recurrent network (1986): the *output* feeds back, not the hidden state.
 *
 *     h_t = act(x_t·W_ihᵀ + b_ih + y_{t−1}·W_yhᵀ + b_hh)      y_t = out(h_t·W_hoᵀ + b_ho)
 *
 * with act tanh or ReLU and out tanh, sigmoid or the identity. Parameters
 * `weight_ih` `[H, in]`, `weight_yh` `[H, O]`, `weight_ho` `[O, H]`, biases
 * `bias_ih`, `bias_hh` `[H]`, `bias_ho` `[O]`, all from U(−1/√H, 1/√H) as
 * PyTorch initialises its RNNs. The state carried between calls is y
 * (`y0` `[B, O]`, zeros when omitted). Variable lengths as `RNN`.
 *
 * @example
 * const net = new JordanRNN(3, 8, 2, { generator: new Generator(0) });
 * const { output, y } = net.forward(randn([10, 4, 3])); // output [10, 4, 2], y [4, 2]
 */
export class JordanRNN extends Module<[input: Tensor, y0?: Tensor | null, options?: RecurrentForwardOptions], JordanOutput> {
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly outputSize: number;
  readonly nonlinearity: 'tanh' | 'relu';
  readonly outputActivation: 'tanh' | 'sigmoid' | 'identity';
  readonly batchFirst: boolean;
  readonly weight_ih: Parameter;
  readonly weight_yh: Parameter;
  readonly bias_ih: Parameter | null;
  readonly bias_hh: Parameter | null;
  readonly weight_ho: Parameter;
  readonly bias_ho: Parameter | null;

  constructor(inputSize: number, hiddenSize: number, outputSize: number, options: JordanRNNOptions = {}) {
    super();
    const op = 'JordanRNN';
    expectInt(op, 'inputSize', inputSize, 1);
    expectInt(op, 'hiddenSize', hiddenSize, 1);
    expectInt(op, 'outputSize', outputSize, 1);
    const { bias, batchFirst, dtype } = sharedLayerOptions(op, options);
    expectOptions(op, options, ['nonlinearity', 'outputActivation', 'bias', 'batchFirst', 'generator', 'dtype']);
    const nl = options.nonlinearity ?? 'tanh';
    if (nl !== 'tanh' && nl !== 'relu') throw new ValueError(op, `nonlinearity must be 'tanh' or 'relu', got ${String(nl)}`);
    const oa = options.outputActivation ?? 'tanh';
    if (oa !== 'tanh' && oa !== 'sigmoid' && oa !== 'identity') throw new ValueError(op, `outputActivation must be 'tanh', 'sigmoid' or 'identity', got ${String(oa)}`);
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.outputSize = outputSize;
    this.nonlinearity = nl;
    this.outputActivation = oa;
    this.batchFirst = batchFirst;
    this.weight_ih = this.param('weight_ih', zeros([hiddenSize, inputSize], { dtype }));
    this.weight_yh = this.param('weight_yh', zeros([hiddenSize, outputSize], { dtype }));
    this.bias_ih = bias ? this.param('bias_ih', zeros([hiddenSize], { dtype })) : null;
    this.bias_hh = bias ? this.param('bias_hh', zeros([hiddenSize], { dtype })) : null;
    this.weight_ho = this.param('weight_ho', zeros([outputSize, hiddenSize], { dtype }));
    this.bias_ho = bias ? this.param('bias_ho', zeros([outputSize], { dtype })) : null;
    const k = 1 / Math.sqrt(hiddenSize);
    for (const p of this.parameters()) uniform_(p, -k, k, { generator: options.generator });
  }

  /** `input` `[T, B, in]` (`[B, T, in]` with `batchFirst`, or `[T, in]`), `y0` `[B, O]`. */
  forward(input: Tensor, y0: Tensor | null = null, options: RecurrentForwardOptions = {}): JordanOutput {
    const op = 'JordanRNN';
    expectOptions(op, options, ['lengths']);
    const dtype = this.weight_ih.dtype;
    if (input === null || typeof input !== 'object' || !('shape' in input)) throw new ValueError(op, `input must be a Tensor, got ${String(input)}`);
    if ((input.ndim !== 2 && input.ndim !== 3) || input.shape[input.ndim - 1] !== this.inputSize) {
      throw new ShapeError(op, `input has shape ${fmtShape(input.shape)}; need ${this.batchFirst ? '[B, T' : '[T, B'}, ${this.inputSize}] or [T, ${this.inputSize}] (inputSize = ${this.inputSize})`);
    }
    if (input.dtype !== dtype) throw new DTypeError(op, `input has dtype ${input.dtype} but the parameters are ${dtype}`);
    const unbatched = input.ndim === 2;
    const x = unbatched ? unsqueeze(input, 1) : this.batchFirst ? transpose(input, 0, 1) : input;
    const [T, B, F] = x.shape as [number, number, number];
    if (T === 0) throw new ShapeError(op, `input has shape ${fmtShape(input.shape)}: an empty sequence (T = 0); need at least one step`);
    const O = this.outputSize;
    let y: Tensor;
    if (y0 === null || y0 === undefined) y = zeros([B, O], { dtype });
    else {
      const want = unbatched ? [O] : [B, O];
      if (y0.ndim !== want.length || y0.shape.some((v, i) => v !== want[i])) throw new ShapeError(op, `y0 has shape ${fmtShape(y0.shape)}; need ${fmtShape(want)} ([batch, outputSize])`);
      y = unbatched ? unsqueeze(y0, 0) : y0;
    }
    const masks = options.lengths === undefined ? null : stepMasks(op, options.lengths, T, B, dtype as 'float32' | 'float64');
    let gx = matmul(reshape(x, [T * B, F]), this.weight_ih, { transposeB: true });
    if (this.bias_ih !== null && this.bias_hh !== null) gx = add(gx, add(this.bias_ih, this.bias_hh));
    const steps = unbind(reshape(gx, [T, B, this.hiddenSize]));
    const outs: Tensor[] = [];
    let h: Tensor = zeros([B, this.hiddenSize], { dtype });
    for (let t = 0; t < T; t++) {
      const pre = add(steps[t]!, matmul(y, this.weight_yh, { transposeB: true }));
      let hNew = this.nonlinearity === 'tanh' ? tanh(pre) : relu(pre);
      let o = matmul(hNew, this.weight_ho, { transposeB: true });
      if (this.bias_ho !== null) o = add(o, this.bias_ho);
      let yNew = this.outputActivation === 'tanh' ? tanh(o) : this.outputActivation === 'sigmoid' ? sigmoid(o) : o;
      const keep = masks?.keep[t] ?? null;
      if (keep !== null) {
        outs.push(mul(yNew, masks!.keepFloat[t]!));
        yNew = where(keep, yNew, y);
        hNew = where(keep, hNew, h);
      } else outs.push(yNew);
      y = yNew;
      h = hNew;
    }
    let output = stack(outs, 0);
    if (unbatched) return { output: squeeze(output, 1), h: squeeze(h, 0), y: squeeze(y, 0) };
    if (this.batchFirst) output = transpose(output, 0, 1);
    return { output, h, y };
  }

  override extraRepr(): string {
    return `${this.inputSize}, ${this.hiddenSize}, ${this.outputSize}, nonlinearity='${this.nonlinearity}', outputActivation='${this.outputActivation}'`;
  }
}
