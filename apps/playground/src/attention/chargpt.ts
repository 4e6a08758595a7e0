/**
 * The `chargpt` command: a character-level GPT on Tiny Shakespeare (90/10
 * split), reporting validation loss in nats per character, with samples,
 * attention maps as PNG and the weights as safetensors.
 *
 * @packageDocumentation
 */
import { Generator, writeSafetensorsFile } from '@dl/tensor';
import { checkOutPath } from '../cli/out-file.js';
import { fixedWindows, loadCharCorpus, randomWindows, SHAKESPEARE_PATH } from './char-data.js';
import { Gpt } from './gpt.js';
import { trainLm } from './lm-train.js';
import { attentionMaps } from './inspect.js';
import { consoleLmHooks, evalTable, writeAttentionPng } from './report.js';

/** The command's options after parsing. */
export interface CharGptOptions {
  data: string;
  layers: number;
  embd: number;
  heads: number;
  block: number;
  batchSize: number;
  steps: number;
  lr: number;
  minLr: number;
  warmup: number;
  weightDecay: number;
  dropout: number;
  evalEvery: number;
  evalBatches: number;
  sampleLength: number;
  temperature: number;
  seed: number;
  /** Training time budget in minutes (absent: none). */
  minutes?: number;
  out: string;
  maps: string;
}

/** Defaults: 4 layers, d_model 128, 4 heads, context 64, batch 32 — 0.8 M parameters. */
export const CHARGPT_DEFAULTS = {
  data: SHAKESPEARE_PATH,
  layers: 4,
  embd: 128,
  heads: 4,
  block: 64,
  batchSize: 32,
  steps: 3000,
  lr: 2e-3,
  minLr: 2e-4,
  warmup: 100,
  weightDecay: 0.1,
  dropout: 0.1,
  evalEvery: 250,
  evalBatches: 40,
  sampleLength: 500,
  temperature: 0.8,
  seed: 1337,
  out: 'out/chargpt.safetensors',
  maps: 'out/chargpt-attention.png',
} satisfies CharGptOptions;

/** Runs the command; `log` prints a line. */
export function charGptAction(opts: CharGptOptions, log: (line: string) => void): void {
  if (opts.embd % opts.heads !== 0) throw new Error(`--embd ${opts.embd} is not divisible by --heads ${opts.heads}; need a multiple (each head gets embd / heads features)`);
  if (opts.minLr > opts.lr) throw new Error(`--min-lr ${opts.minLr} is above --lr ${opts.lr}; need min-lr ≤ lr`);
  const corpus = loadCharCorpus(opts.data);
  const generator = new Generator(opts.seed);
  const model = new Gpt(
    { vocabSize: corpus.chars.length, blockSize: opts.block, nLayer: opts.layers, nHead: opts.heads, nEmbd: opts.embd, dropout: opts.dropout },
    generator,
  );
  const out = checkOutPath(opts.out, 4 * model.numParameters() + 16384);
  log(
    `chargpt on ${opts.data}: ${corpus.chars.length} characters, ${corpus.train.length} train / ${corpus.val.length} validation; ` +
      `${opts.layers} layers, d_model ${opts.embd}, ${opts.heads} heads, context ${opts.block}, ${model.numParameters()} parameters; ` +
      `AdamW lr ${opts.lr} (warm-up ${opts.warmup}, cosine to ${opts.minLr}), weight decay ${opts.weightDecay}, dropout ${opts.dropout}, batch ${opts.batchSize}, ${opts.steps} steps${opts.minutes !== undefined ? ` or ${opts.minutes} minutes of training, whichever ends first (the cosine follows the further along)` : ''}, seed ${opts.seed}`,
  );
  const val = fixedWindows(corpus.val, opts.evalBatches, opts.batchSize, opts.block);
  const hooks = consoleLmHooks(opts.steps, log);
  const t0 = performance.now();
  const history = trainLm(
    model,
    () => randomWindows(corpus.train, opts.batchSize, opts.block, generator),
    val,
    {
      steps: opts.steps,
      lr: opts.lr,
      minLr: opts.minLr,
      warmup: opts.warmup,
      weightDecay: opts.weightDecay,
      clip: 1,
      evalEvery: opts.evalEvery,
      ...(opts.minutes !== undefined ? { timeBudget: 60 * opts.minutes } : {}),
    },
    hooks,
  );
  hooks.stop();
  const seconds = (performance.now() - t0) / 1000;
  log(evalTable(history));
  const last = history[history.length - 1]!;
  const best = Math.min(...history.map((e) => e.valLoss));
  log(`final validation loss ${last.valLoss.toFixed(4)} nats/char (best ${best.toFixed(4)}; ${val.length * opts.batchSize * opts.block} characters) after ${last.step} steps, ${seconds.toFixed(0)} s`);
  const prompt = corpus.encode('ROMEO:\n');
  const sample = model.generate(prompt, opts.sampleLength, { temperature: opts.temperature, topK: 0, useCache: true, generator });
  log(`sample (temperature ${opts.temperature}, key/value cache):\n---\nROMEO:\n${corpus.decode(sample)}\n---`);
  const text = corpus.decode(Array.from(corpus.val.subarray(0, opts.block)));
  const maps = attentionMaps(model, Array.from(corpus.val.subarray(0, opts.block)));
  writeAttentionPng(opts.maps, maps, opts.block);
  log(`attention maps (rows = layers, columns = heads) on the first ${opts.block} validation characters ${JSON.stringify(text.slice(0, 40))}… written to ${opts.maps}`);
  writeSafetensorsFile(out, model.stateDict(), {
    model: `chargpt ${opts.layers}x${opts.embd} heads ${opts.heads} context ${opts.block}`,
    vocabulary: corpus.chars.join(''),
    heads: String(opts.heads),
    valLoss: last.valLoss.toFixed(4),
    framework: 'dl',
  });
  log(`weights written to ${out}`);
}
