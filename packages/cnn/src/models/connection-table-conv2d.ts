import {
  DTypeError,
  type FloatDType,
  type Generator,
  Module,
  type Parameter,
  ShapeError,
  Tensor,
  ValueError,
  expectOptions,
  fmtShape,
  getDefaultGenerator,
  matmul,
  noGrad,
  reshape,
  zeros,
} from '@dl/tensor';
import { conv2d } from '../ops/index.js';

/** Options of `ConnectionTableConv2d`. */
export interface ConnectionTableConv2dOptions {
  /** Stride (default 1). */
  stride?: number | readonly [number, number];
  /** Zero padding on each side (default 0). */
  padding?: number | readonly [number, number];
  /** Learn a bias per output map (default `true`). */
  bias?: boolean;
  /** Source of randomness for the initial weights. */
  generator?: Generator;
  /** Parameter dtype (default `float32`). */
  dtype?: FloatDType;
}

function pair(op: string, name: string, v: number | readonly [number, number]): [number, number] {
  const p: readonly number[] = typeof v === 'number' ? [v, v] : v;
  if (!Array.isArray(p) || p.length !== 2 || !p.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new ValueError(op, `${name} must be a non-negative integer or a pair of them, got ${String(v)}`);
  }
  return [p[0]!, p[1]!];
}

/**
 * A convolution in which output map `o` sees only the input maps listed in
 * `table[o]`: LeNet-5's C3 (LeCun et al., 1998, Table I), which breaks the
 * symmetry between maps and keeps the connection count down. Only the
 * kernels that exist are parameters: `weight` is `[connections, kH, kW]`
 * (output map by output map, each map's inputs in the order listed) and
 * `bias` `[outChannels]`, so `numParameters()` is the paper's (1,516 for C3).
 *
 * The forward scatters the kernels into a dense `[out, in, kH, kW]` weight
 * with zeros for absent connections (a product with a constant 0/1 matrix,
 * so gradients reach only the kernels that exist) and runs one `conv2d`.
 * `countMacs` reports the multiplications of the existing connections only.
 *
 * @example
 * const c3 = new ConnectionTableConv2d(6, LENET5_C3_TABLE, 5); // 1,516 parameters
 * c3.forward(randn([8, 6, 14, 14])); // [8, 16, 10, 10]
 */
export class ConnectionTableConv2d extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly padding: readonly [number, number];
  /** `table[o]`: the input maps output map `o` sees. */
  readonly table: readonly (readonly number[])[];
  /** Number of (output map, input map) kernels. */
  readonly connections: number;
  /** `[connections, kH, kW]`. */
  readonly weight: Parameter;
  /** `[outChannels]`, or `null` when built with `bias: false`. */
  readonly bias: Parameter | null;
  /** `[out·in, connections]` 0/1: row o·in + i holds a 1 in the column of kernel (o, i). */
  readonly #scatter: Tensor;

  constructor(
    inChannels: number,
    table: readonly (readonly number[])[],
    kernelSize: number | readonly [number, number],
    options: ConnectionTableConv2dOptions = {},
  ) {
    super();
    const op = 'ConnectionTableConv2d';
    expectOptions(op, options, ['stride', 'padding', 'bias', 'generator', 'dtype']);
    if (!Number.isInteger(inChannels) || inChannels < 1) throw new ValueError(op, `inChannels must be a positive integer, got ${String(inChannels)}`);
    if (!Array.isArray(table) || table.length === 0) throw new ValueError(op, 'table must be a non-empty array with one list of input maps per output map');
    table.forEach((inputs, o) => {
      if (!Array.isArray(inputs) || inputs.length === 0) throw new ValueError(op, `table[${o}] must be a non-empty array of input map indices`);
      const seen = new Set<number>();
      for (const i of inputs) {
        if (!Number.isInteger(i) || i < 0 || i >= inChannels) throw new ValueError(op, `table[${o}] lists input map ${String(i)}; need integers in [0, ${inChannels})`);
        if (seen.has(i)) throw new ValueError(op, `table[${o}] lists input map ${i} twice`);
        seen.add(i);
      }
    });
    const dtype = options.dtype ?? 'float32';
    if (dtype !== 'float32' && dtype !== 'float64') throw new DTypeError(op, `dtype must be float32 or float64, got ${String(dtype)}`);
    const [kH, kW] = pair(op, 'kernelSize', kernelSize);
    if (kH < 1 || kW < 1) throw new ValueError(op, `kernelSize must be positive, got ${String(kernelSize)}`);
    this.inChannels = inChannels;
    this.outChannels = table.length;
    this.kernelSize = [kH, kW];
    this.stride = pair(op, 'stride', options.stride ?? 1);
    if (this.stride[0] < 1 || this.stride[1] < 1) throw new ValueError(op, `stride must be positive, got ${String(options.stride)}`);
    this.padding = pair(op, 'padding', options.padding ?? 0);
    this.table = table.map((inputs) => [...inputs]);
    this.connections = table.reduce((n, inputs) => n + inputs.length, 0);

    this.weight = this.param('weight', zeros([this.connections, kH, kW], { dtype }));
    this.bias = options.bias === false ? null : this.param('bias', zeros([this.outChannels], { dtype }));
    const ones = dtype === 'float64' ? new Float64Array(this.outChannels * inChannels * this.connections) : new Float32Array(this.outChannels * inChannels * this.connections);
    let c = 0;
    this.table.forEach((inputs, o) => {
      for (const i of inputs) ones[(o * inChannels + i) * this.connections + c++] = 1;
    });
    // Not persistent: it follows from the table, and the state dict holds only what is learned.
    this.#scatter = this.buffer('scatter', new Tensor(ones, [this.outChannels * inChannels, this.connections]), { persistent: false });
    // PyTorch's Conv2d default for each map: U(−1/√fanIn, 1/√fanIn) for kernels and bias.
    this.initUniform_((fanIn) => 1 / Math.sqrt(fanIn), options.generator);
  }

  /**
   * Refills every output map's kernels and bias with U(−b, b), where
   * b = `bound(fanIn)` and fanIn = (inputs of that map)·kH·kW. Returns `this`.
   *
   * @example c3.initUniform_((fanIn) => 2.4 / fanIn) // LeCun et al.'s initialization
   */
  initUniform_(bound: (fanIn: number) => number, generator: Generator = getDefaultGenerator()): this {
    const [kH, kW] = this.kernelSize;
    const k = kH * kW;
    const w = new Float64Array(this.weight.size);
    const b = new Float64Array(this.outChannels);
    let c = 0;
    this.table.forEach((inputs, o) => {
      const r = bound(inputs.length * k);
      for (let j = 0; j < inputs.length * k; j++) w[c * k + j] = (2 * generator.random() - 1) * r;
      b[o] = (2 * generator.random() - 1) * r;
      c += inputs.length;
    });
    noGrad(() => {
      this.weight.assign_(w);
      this.bias?.assign_(b);
    });
    return this;
  }

  /** The dense `[out, in, kH, kW]` weight, zero where the table has no connection. */
  denseWeight(): Tensor {
    const [kH, kW] = this.kernelSize;
    const flat = reshape(this.weight, [this.connections, kH * kW]);
    return reshape(matmul(this.#scatter, flat), [this.outChannels, this.inChannels, kH, kW]);
  }

  forward(x: Tensor): Tensor {
    if (x.ndim !== 4 || x.shape[1] !== this.inChannels) {
      throw new ShapeError('ConnectionTableConv2d', `input has shape ${fmtShape(x.shape)}; need [N, ${this.inChannels}, H, W]`);
    }
    return conv2d(x, this.denseWeight(), this.bias ?? undefined, { stride: [...this.stride], padding: [...this.padding] });
  }

  /** Multiplications per forward: one per existing kernel tap per output position. */
  countMacs(_args: readonly unknown[], output: Tensor): number {
    const [kH, kW] = this.kernelSize;
    return (output.size / this.outChannels) * this.connections * kH * kW;
  }

  override extraRepr(): string {
    return `${this.inChannels}, ${this.outChannels}, kernelSize=[${this.kernelSize.join(', ')}], connections=${this.connections}, stride=[${this.stride.join(', ')}], padding=[${this.padding.join(', ')}], bias=${this.bias !== null}`;
  }
}
