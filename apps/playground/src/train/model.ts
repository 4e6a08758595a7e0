/**
 * The in-browser trainer's network: a ReLU MLP whose weights are named as
 * PyTorch's `nn.Sequential(Linear, ReLU, Linear, …)` names them, with dropout
 * after each hidden layer applied as a function (not a layer), so a file saved
 * with or without dropout loads into the same plain PyTorch model.
 *
 * @packageDocumentation
 */
import { type Generator, Linear, Module, type Tensor, relu } from '@dl/tensor';
import { dropout } from '@dl/regularize';

/** Options of {@link MnistMlp}. */
export interface MnistMlpOptions {
  /** Probability of zeroing each hidden activation in training (inverted dropout; 0: none). */
  dropout?: number;
  /** Initialization and dropout masks. */
  generator: Generator;
}

/** The logits and, before them, every hidden layer's activations (after ReLU). */
export interface MlpActivations {
  hidden: Tensor[];
  logits: Tensor;
}

/**
 * `sizes[0] → … → sizes[n-1]` with ReLU (and dropout in training) between the
 * linear layers; returns logits.
 *
 * @example const net = new MnistMlp([784, 128, 10], { dropout: 0.2, generator: new Generator(0) });
 */
export class MnistMlp extends Module {
  readonly sizes: readonly number[];
  readonly dropout: number;
  readonly #layers: Linear[] = [];
  readonly #generator: Generator;

  constructor(sizes: readonly number[], options: MnistMlpOptions) {
    super();
    this.sizes = [...sizes];
    this.dropout = options.dropout ?? 0;
    this.#generator = options.generator;
    for (let i = 0; i + 1 < sizes.length; i++) {
      // Positions 0, 2, 4…: where nn.Sequential puts the linear layers between ReLUs.
      this.#layers.push(this.module(String(2 * i), new Linear(sizes[i]!, sizes[i + 1]!, { generator: options.generator })));
    }
  }

  /** Logits `[N, 10]` of inputs `[N, 784]`. */
  forward(x: Tensor): Tensor {
    return this.activations(x).logits;
  }

  /** The forward pass keeping each hidden layer's output (what the card draws for one digit). */
  activations(x: Tensor): MlpActivations {
    const hidden: Tensor[] = [];
    let h = x;
    this.#layers.forEach((layer, i) => {
      h = layer.forward(h);
      if (i + 1 === this.#layers.length) return;
      h = relu(h);
      hidden.push(h);
      if (this.dropout > 0) h = dropout(h, this.dropout, this.training, this.#generator);
    });
    return { hidden, logits: h };
  }

  /** The first linear layer's weight `[sizes[1], 784]`. */
  get firstWeight(): Tensor {
    return this.#layers[0]!.weight;
  }

  override extraRepr(): string {
    return `sizes=${this.sizes.join('-')}, dropout=${this.dropout}`;
  }
}
