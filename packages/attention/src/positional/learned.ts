import { type FloatDType, type Generator, Module, type Parameter, type Tensor, add, expectInt, expectOptions, narrow, normal_, zeros } from '@dl/tensor';
import { checkPositions } from './sinusoidal.js';

/** Options of {@link LearnedPositionalEmbedding}. */
export interface LearnedPositionalOptions {
  /** Standard deviation of the initial N(0, σ²) values (default 0.02, as GPT-2). */
  std?: number;
  generator?: Generator;
  dtype?: FloatDType;
}

/**
 * Learned absolute position embeddings (BERT, GPT): a trained table `weight`
 * `[maxLen, dModel]` whose row p is added at position p. Inputs `[*, L, dModel]`;
 * a sequence longer than the table is an error (a learned table has nothing
 * for positions it never saw).
 *
 * @example
 * const pos = new LearnedPositionalEmbedding(64, 32);
 * pos.forward(randn([4, 10, 32])); // x + weight[0:10]
 */
export class LearnedPositionalEmbedding extends Module<[Tensor, number?]> {
  readonly maxLen: number;
  readonly dModel: number;
  readonly weight: Parameter;

  constructor(maxLen: number, dModel: number, options: LearnedPositionalOptions = {}) {
    super();
    const op = 'LearnedPositionalEmbedding';
    expectOptions(op, options, ['std', 'generator', 'dtype']);
    expectInt(op, 'maxLen', maxLen, 1);
    expectInt(op, 'dModel', dModel, 1);
    this.maxLen = maxLen;
    this.dModel = dModel;
    this.weight = this.param('weight', zeros([maxLen, dModel], { dtype: options.dtype ?? 'float32' }));
    normal_(this.weight, 0, options.std ?? 0.02, { generator: options.generator });
  }

  /** x + weight[offset : offset + L]. */
  forward(x: Tensor, offset = 0): Tensor {
    const l = checkPositions('LearnedPositionalEmbedding', x, this.dModel, this.maxLen, offset);
    return add(x, narrow(this.weight, 0, offset, l));
  }
}
