/**
 * A decoder-only (GPT-style) transformer on `@dl/attention`: token embedding
 * plus learned positions, pre-norm causal layers with GELU, a final layer norm
 * and a linear head; generation with one key/value cache per layer.
 *
 * @packageDocumentation
 */
import { KVCache, LearnedPositionalEmbedding, TransformerEncoder, TransformerEncoderLayer } from '@dl/attention';
import {
  Dropout,
  Embedding,
  type Generator,
  LayerNorm,
  Linear,
  Module,
  type Tensor,
  ValueError,
  div,
  multinomial,
  narrow,
  noGrad,
  reshape,
  softmax,
  tensor,
  topk,
} from '@dl/tensor';

/** Shape of a {@link Gpt}. */
export interface GptConfig {
  vocabSize: number;
  /** Longest context (the learned position table's size). */
  blockSize: number;
  nLayer: number;
  nHead: number;
  nEmbd: number;
  /** Feed-forward width (default 4·nEmbd). */
  dimFeedforward?: number;
  dropout: number;
}

/** GPT: `wte`, `wpe`, `drop`, `encoder.layers.i` (pre-norm, GELU, causal), `ln_f`, `head`. */
export class Gpt extends Module<[Tensor]> {
  readonly config: GptConfig;
  readonly wte: Embedding;
  readonly wpe: LearnedPositionalEmbedding;
  readonly drop: Dropout;
  readonly encoder: TransformerEncoder;
  readonly ln_f: LayerNorm;
  readonly head: Linear;

  constructor(config: GptConfig, generator: Generator) {
    super();
    this.config = config;
    const g = { generator };
    this.wte = this.module('wte', new Embedding(config.vocabSize, config.nEmbd, g));
    this.wpe = this.module('wpe', new LearnedPositionalEmbedding(config.blockSize, config.nEmbd, g));
    this.drop = this.module('drop', new Dropout(config.dropout, g));
    const layer = (): TransformerEncoderLayer =>
      new TransformerEncoderLayer(config.nEmbd, config.nHead, {
        dimFeedforward: config.dimFeedforward ?? 4 * config.nEmbd,
        dropout: config.dropout,
        activation: 'gelu',
        batchFirst: true,
        normFirst: true,
        generator,
      });
    this.encoder = this.module('encoder', new TransformerEncoder(layer, config.nLayer));
    this.ln_f = this.module('ln_f', new LayerNorm(config.nEmbd));
    this.head = this.module('head', new Linear(config.nEmbd, config.vocabSize, g));
  }

  /** Logits `[N, T, vocab]` for int32 tokens `[N, T]`; with caches, the tokens continue the cached ones. */
  forward(idx: Tensor, caches?: readonly KVCache[]): Tensor {
    const offset = caches?.[0]?.length ?? 0;
    const x = this.drop.forward(this.wpe.forward(this.wte.forward(idx), offset));
    // A cached step of one token attends everything before it: no mask needed.
    const h = this.encoder.forward(x, { isCausal: true, ...(caches ? { caches } : {}) });
    return this.head.forward(this.ln_f.forward(h));
  }

  /** Fresh caches, one per layer. */
  newCaches(): KVCache[] {
    return Array.from({ length: this.config.nLayer }, () => new KVCache());
  }

  /**
   * Continues `prompt` (token ids) by `count` tokens sampled at `temperature`
   * from the `topK` most likely (0: all). With `useCache` each step feeds only
   * the new token; without it each step reruns the whole window.
   */
  generate(prompt: readonly number[], count: number, options: { temperature?: number; topK?: number; useCache?: boolean; generator: Generator }): number[] {
    if (prompt.length === 0) throw new ValueError('Gpt.generate', 'the prompt is empty; need at least one token');
    const { temperature = 1, topK = 0, useCache = true, generator } = options;
    const block = this.config.blockSize;
    const out = [...prompt];
    const wasTraining = this.training;
    this.eval();
    noGrad(() => {
      let caches: KVCache[] | null = null;
      for (let i = 0; i < count; i++) {
        let logits: Tensor;
        if (useCache) {
          // The cache holds at most blockSize positions: start over from the last window when full.
          if (caches === null || caches[0]!.length >= block) {
            caches = this.newCaches();
            const ctx = out.slice(-Math.min(out.length, block));
            logits = this.forward(tensor([ctx], { dtype: 'int32' }), caches);
          } else {
            logits = this.forward(tensor([[out[out.length - 1]!]], { dtype: 'int32' }), caches);
          }
        } else {
          const ctx = out.slice(-block);
          logits = this.forward(tensor([ctx], { dtype: 'int32' }));
        }
        const t = logits.shape[1]!;
        out.push(sampleNext(reshape(narrow(logits, 1, t - 1, 1), [this.config.vocabSize]), temperature, topK, generator));
      }
    });
    this.train(wasTraining);
    return out.slice(prompt.length);
  }
}

/** One token from logits `[V]`: argmax at temperature 0, else a sample from the top k (0: all). */
export function sampleNext(logits: Tensor, temperature: number, topK: number, generator: Generator): number {
  if (temperature === 0) {
    const d = logits.data;
    let best = 0;
    for (let i = 1; i < d.length; i++) if (d[i]! > d[best]!) best = i;
    return best;
  }
  let l = div(logits, temperature);
  if (topK > 0 && topK < l.size) {
    const { values, indices } = topk(l, topK);
    const pick = multinomial(softmax(values), 1, { generator }).data[0]!;
    return indices.data[pick]!;
  }
  l = softmax(l);
  return multinomial(l, 1, { generator }).data[0]!;
}
