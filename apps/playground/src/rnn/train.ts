/**
 * Training loop of the character language model: Adam with gradient
 * clipping over shuffled next-character windows, validation loss and
 * perplexity after every epoch, samples every few epochs.
 *
 * @packageDocumentation
 */
import { Adam, CosineAnnealingLR } from '@dl/optim';
import { type RecurrentLM, nextTokenBatch, sequenceLoss } from '@dl/rnn';
import { Generator, noGrad } from '@dl/tensor';
import type { CharCorpus } from './data.js';
import { charStep } from './step.js';
import { epochStarts, evalStarts } from './data.js';

/** Settings of a training run. */
export interface CharTrainSettings {
  epochs: number;
  batchSize: number;
  seqLen: number;
  lr: number;
  /** Final learning rate of the cosine decay (equal to `lr` for a constant rate). */
  lrMin: number;
  clip: number;
  seed: number;
  /** Print a sample after every this many epochs (0: never). */
  sampleEvery: number;
  sampleLength: number;
  temperature: number;
  /** Stop each epoch after this many batches (for quick runs). */
  batchLimit?: number;
}

/** One epoch's numbers. */
export interface CharEpochReport {
  epoch: number;
  /** Mean training loss over the epoch's batches (nats per character). */
  trainLoss: number;
  validLoss: number;
  /** e^validLoss. */
  perplexity: number;
  seconds: number;
  charsPerSecond: number;
  lr: number;
  sample?: string;
}

/** Callbacks for a console or a page. */
export interface CharTrainHooks {
  onEpochStart?(epoch: number, batches: number): void;
  onBatch?(epoch: number, batch: number, loss: number): void;
  onEpochEnd?(report: CharEpochReport): void;
}

/** Mean next-character loss over `ids` in non-overlapping windows (evaluation mode, no gradients). */
export function evaluate(model: RecurrentLM, ids: Int32Array, seqLen: number, batchSize: number): number {
  const starts = evalStarts(ids, seqLen);
  const wasTraining = model.training;
  model.eval();
  let total = 0;
  let count = 0;
  noGrad(() => {
    for (let i = 0; i < starts.length; i += batchSize) {
      const part = starts.subarray(i, Math.min(starts.length, i + batchSize));
      const { x, y } = nextTokenBatch(ids, part, seqLen);
      total += sequenceLoss(model.forward(x).logits, y).item() * part.length;
      count += part.length;
    }
  });
  model.train(wasTraining);
  return total / count;
}

/** Trains `model` on `corpus`; returns the epoch reports. */
export function trainCharModel(model: RecurrentLM, corpus: CharCorpus, s: CharTrainSettings, hooks: CharTrainHooks = {}, prompt = '\n'): CharEpochReport[] {
  const g = new Generator(s.seed);
  const sampler = new Generator(s.seed + 1);
  const opt = new Adam(model.parameters(), { lr: s.lr });
  const batchesPerEpoch = Math.min(s.batchLimit ?? Infinity, Math.ceil(Math.floor((corpus.train.length - 1) / s.seqLen) / s.batchSize));
  const schedule = s.lrMin < s.lr ? new CosineAnnealingLR(opt, { tMax: s.epochs * batchesPerEpoch, etaMin: s.lrMin }) : null;
  const history: CharEpochReport[] = [];
  for (let epoch = 1; epoch <= s.epochs; epoch++) {
    const starts = epochStarts(corpus.train, s.seqLen, g);
    const batches = Math.min(batchesPerEpoch, Math.ceil(starts.length / s.batchSize));
    hooks.onEpochStart?.(epoch, batches);
    model.train();
    const t0 = performance.now();
    let sum = 0;
    let chars = 0;
    const lr = opt.paramGroups[0]!.lr;
    for (let b = 0; b < batches; b++) {
      const part = starts.subarray(b * s.batchSize, Math.min(starts.length, (b + 1) * s.batchSize));
      const v = charStep(model, opt, corpus.train, part, s.seqLen, s.clip);
      schedule?.step();
      sum += v;
      chars += part.length * s.seqLen;
      hooks.onBatch?.(epoch, b + 1, v);
    }
    const seconds = (performance.now() - t0) / 1000;
    const validLoss = evaluate(model, corpus.valid, s.seqLen, s.batchSize);
    const report: CharEpochReport = { epoch, trainLoss: sum / batches, validLoss, perplexity: Math.exp(validLoss), seconds, charsPerSecond: chars / seconds, lr };
    if (s.sampleEvery > 0 && (epoch % s.sampleEvery === 0 || epoch === s.epochs)) {
      const ids = model.generate(corpus.tokenizer.encode(prompt), s.sampleLength, { temperature: s.temperature, generator: sampler });
      report.sample = prompt + corpus.tokenizer.decode(ids);
    }
    history.push(report);
    hooks.onEpochEnd?.(report);
  }
  return history;
}
