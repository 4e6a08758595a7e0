/**
 * The encoder–decoder proof: reverse digit strings of varying length.
 *
 *   npx tsx --conditions=@dl/source packages/rnn/bench/seq2seq-reverse.ts [--steps 3000] [--max-len 8]
 *
 * Source: a random string of 1..maxLen digits; target: the same digits reversed,
 * then EOS. An LSTM encoder–decoder (hidden 128) is trained with teacher forcing
 * (Adam 2e-3, clip 5, batch 64), then decodes 1,000 fresh strings greedily and
 * 200 with beam search (width 4); prints exact-match accuracy of both.
 */
import { backward } from '@dl/autograd';
import { Generator, tensor } from '@dl/tensor';
import { Seq2Seq, sequenceLoss } from '../src/index.js';
import { TinyAdam } from './tiny-adam.js';

export const PAD = 0;
export const BOS = 1;
export const EOS = 2;
/** Vocabulary: PAD, BOS, EOS, then the digits 0–9 as 3–12. */
export const VOCAB = 13;

/** A batch of the reversal task: padded sources, teacher-forcing inputs, targets and lengths. */
export function reversalBatch(g: Generator, B: number, maxLen: number) {
  const digits = Array.from({ length: B }, () => Array.from({ length: g.randint(1, maxLen + 1) }, () => g.randint(0, 10)));
  const S = Math.max(...digits.map((d) => d.length));
  const T = S + 1;
  const src = new Int32Array(B * S);
  const tin = new Int32Array(B * T);
  const tout = new Int32Array(B * T);
  digits.forEach((d, b) => {
    d.forEach((v, i) => (src[b * S + i] = v + 3));
    const rev = [...d].reverse().map((v) => v + 3);
    [BOS, ...rev].forEach((v, i) => (tin[b * T + i] = v));
    [...rev, EOS].forEach((v, i) => (tout[b * T + i] = v));
  });
  return {
    digits,
    source: tensor(src, { dtype: 'int32', shape: [B, S] }),
    targetIn: tensor(tin, { dtype: 'int32', shape: [B, T] }),
    targetOut: tensor(tout, { dtype: 'int32', shape: [B, T] }),
    sourceLengths: digits.map((d) => d.length),
    targetLengths: digits.map((d) => d.length + 1),
  };
}

/** Trains a reversal model for `steps` batches; returns it. */
export function trainReversal(steps: number, maxLen: number, hiddenSize: number, seed = 0, log?: (step: number, loss: number) => void): Seq2Seq {
  const g = new Generator(seed);
  const model = new Seq2Seq({ sourceVocab: VOCAB, targetVocab: VOCAB, bos: BOS, eos: EOS, hiddenSize, embeddingDim: 32, generator: g });
  const opt = new TinyAdam(model.parameters(), 2e-3, 5);
  for (let s = 1; s <= steps; s++) {
    const b = reversalBatch(g, 64, maxLen);
    opt.zeroGrad();
    const loss = sequenceLoss(model.forward(b.source, b.targetIn, { sourceLengths: b.sourceLengths }), b.targetOut, { lengths: b.targetLengths });
    backward(loss);
    opt.step();
    log?.(s, loss.item());
  }
  return model;
}

/** Exact-match accuracy of greedy decoding on `n` fresh strings. */
export function greedyAccuracy(model: Seq2Seq, n: number, maxLen: number, seed: number): number {
  const g = new Generator(seed);
  let right = 0;
  for (let i = 0; i < n; i += 100) {
    const b = reversalBatch(g, Math.min(100, n - i), maxLen);
    const out = model.greedy(b.source, maxLen + 2, { sourceLengths: b.sourceLengths });
    out.forEach((o, k) => {
      const want = [...b.digits[k]!].reverse().map((v) => v + 3);
      if (o.length === want.length && o.every((v, j) => v === want[j])) right++;
    });
  }
  return right / n;
}

/** Exact-match accuracy of beam search (one string at a time). */
export function beamAccuracy(model: Seq2Seq, n: number, maxLen: number, width: number, seed: number): number {
  const g = new Generator(seed);
  let right = 0;
  for (let i = 0; i < n; i++) {
    const b = reversalBatch(g, 1, maxLen);
    const best = model.beamSearch(b.source, width, maxLen + 2)[0]!.tokens;
    const want = [...b.digits[0]!].reverse().map((v) => v + 3);
    if (best.length === want.length && best.every((v, j) => v === want[j])) right++;
  }
  return right / n;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string, d: number): number => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? Number(process.argv[i + 1]) : d;
  };
  const steps = arg('--steps', 3000);
  const maxLen = arg('--max-len', 8);
  const t0 = performance.now();
  let avg = 0;
  const model = trainReversal(steps, maxLen, 128, 0, (s, l) => {
    avg = s === 1 ? l : 0.98 * avg + 0.02 * l;
    if (s % 250 === 0) console.log(`step ${s}: loss ${avg.toFixed(4)} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  });
  const greedy = greedyAccuracy(model, 1000, maxLen, 1234);
  const beam = beamAccuracy(model, 200, maxLen, 4, 4321);
  console.log(`reverse digit strings of length 1–${maxLen}: greedy exact match ${(100 * greedy).toFixed(1)}% (1,000 strings), beam-4 ${(100 * beam).toFixed(1)}% (200 strings); ${steps} steps, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}
