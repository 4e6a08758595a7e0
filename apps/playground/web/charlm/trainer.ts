// Training a small character model in the page's worker: the CLI's model
// (src/rnn/model.ts) and the library's batches and loss, in single steps the
// worker can interleave with its messages. No DOM and no Node imports.
import { Adam } from '@dl/optim';
import { type CharTokenizer, type RecurrentLM, nextTokenBatch, sequenceLoss } from '@dl/rnn';
import { Generator, noGrad } from '@dl/tensor';
import { type CharModelConfig, charModel, splitCharText } from '../../src/rnn/model.js';
import { charStep } from '../../src/rnn/step.js';

/** A run's settings (the card offers the cell, the width and the number of batches). */
export interface CharlmTrainSettings {
  cell: 'lstm' | 'gru';
  hiddenSize: number;
  embeddingDim: number;
  /** Batches to train for: the run is bounded by work, not time, so a busy machine only makes it slower. */
  batches: number;
  batchSize: number;
  seqLen: number;
  lr: number;
  clip: number;
  seed: number;
}

/** Small enough to learn words and speaker names in a few hundred batches in a tab. */
export const CHARLM_WEB_DEFAULTS: CharlmTrainSettings = { cell: 'lstm', hiddenSize: 128, embeddingDim: 32, batches: 300, batchSize: 32, seqLen: 64, lr: 3e-3, clip: 5, seed: 0 };

/** A text split as the CLI splits it: vocabulary, the first 90% for training, the rest for validation. */
export interface SplitText {
  tokenizer: CharTokenizer;
  train: Int32Array;
  valid: Int32Array;
}

/** Splits `text` 90/10; a text too short for `seqLen`-character windows on both sides is an error saying how long it must be. */
export function splitText(text: string, seqLen: number): SplitText {
  const chars = [...text];
  const need = 10 * (seqLen + 1);
  if (chars.length < need) throw new Error(`the text has ${chars.length} characters; need at least ${need} (${seqLen}-character windows in its last 10%, kept for validation)`);
  return splitCharText(text);
}

/** `count` window starts drawn uniformly, each leaving room for `seqLen + 1` ids in `length`. */
export function randomStarts(length: number, seqLen: number, count: number, generator: Generator): Int32Array {
  const out = new Int32Array(count);
  for (let b = 0; b < count; b++) out[b] = generator.randint(0, length - seqLen);
  return out;
}

/** Trains a `charModel` on a text one batch at a time with Adam and gradient clipping (the CLI's recipe, constant rate). */
export class CharlmTrainer {
  readonly model: RecurrentLM;
  readonly tokenizer: CharTokenizer;
  readonly config: CharModelConfig;
  readonly data: SplitText;
  /** Batches trained so far. */
  batches = 0;
  readonly #opt: Adam;
  readonly #generator: Generator;

  constructor(
    text: string,
    readonly settings: CharlmTrainSettings,
  ) {
    this.data = splitText(text, settings.seqLen);
    this.tokenizer = this.data.tokenizer;
    this.config = { cell: settings.cell, hiddenSize: settings.hiddenSize, numLayers: 1, embeddingDim: settings.embeddingDim, dropout: 0 };
    this.model = charModel(this.config, this.tokenizer.vocabSize, settings.seed);
    this.#opt = new Adam(this.model.parameters(), { lr: settings.lr });
    this.#generator = new Generator(settings.seed + 1);
  }

  /** One batch: returns its mean loss in nats per character. */
  step(): number {
    const s = this.settings;
    this.model.train();
    const loss = charStep(this.model, this.#opt, this.data.train, randomStarts(this.data.train.length, s.seqLen, s.batchSize, this.#generator), s.seqLen, s.clip);
    this.batches++;
    return loss;
  }

  /** Mean loss on at most `maxWindows` evenly spaced windows of the validation part (nats per character). */
  validLoss(maxWindows = 32): number {
    const { valid } = this.data;
    const n = this.settings.seqLen;
    const count = Math.min(maxWindows, Math.floor((valid.length - 1) / n));
    const stride = Math.floor((valid.length - 1 - n) / Math.max(1, count - 1));
    const starts = Int32Array.from({ length: count }, (_, i) => i * stride);
    this.model.eval();
    return noGrad(() => {
      const { x, y } = nextTokenBatch(valid, starts, n);
      return sequenceLoss(this.model.forward(x).logits, y).item();
    });
  }
}
