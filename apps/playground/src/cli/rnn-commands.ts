/**
 * The CLI commands built on `@dl/rnn`: `charlm` trains a character language
 * model and saves it as safetensors; `charlm sample` continues a prompt from
 * saved weights.
 *
 * @packageDocumentation
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import cliProgress from 'cli-progress';
import Table from 'cli-table3';
import { Generator, writeSafetensorsFile } from '@dl/tensor';
import { type CharModelConfig, charModel, charModelMetadata, loadCharModel } from '../rnn/model.js';
import { defaultTextPath, loadCorpus } from '../rnn/data.js';
import { type CharEpochReport, type CharTrainHooks, trainCharModel } from '../rnn/train.js';
import { nonNegativeNumber, positiveInt, positiveNumber, seed } from './arguments.js';
import { checkOutPath } from './out-file.js';

/** Options of `charlm` (training). */
export interface CharlmOptions {
  text?: string;
  cell: 'lstm' | 'gru';
  hidden: number;
  layers: number;
  embedding: number;
  dropout: number;
  epochs: number;
  batchSize: number;
  seqLen: number;
  lr: number;
  lrMin?: number;
  clip: number;
  seed: number;
  sampleEvery: number;
  sampleLength: number;
  temperature: number;
  limitChars?: number;
  batchLimit?: number;
  out?: string;
}

/** Options of `charlm sample`. */
export interface CharlmSampleOptions {
  weights: string;
  prompt: string;
  length: number;
  temperature: number;
  topK?: number;
  topP?: number;
  seed: number;
}

/** The defaults: a recipe that reaches ≤ 1.55 nats/char on Tiny Shakespeare's validation split (see the rnn README). */
export const CHARLM_DEFAULTS = {
  cell: 'lstm',
  hidden: 512,
  layers: 1,
  embedding: 64,
  dropout: 0.1,
  epochs: 8,
  batchSize: 32,
  seqLen: 100,
  lr: 2e-3,
  clip: 5,
  seed: 0,
  sampleEvery: 2,
  sampleLength: 300,
  temperature: 0.8,
} as const;

function dropoutRate(value: string): number {
  const n = nonNegativeNumber(value);
  if (n >= 1) throw new InvalidArgumentError(`expected a dropout rate from 0 up to (not including) 1, got '${value}'`);
  return n;
}

function unitInterval(value: string): number {
  const n = positiveNumber(value);
  if (n > 1) throw new InvalidArgumentError(`expected a probability in (0, 1], got '${value}'`);
  return n;
}

/** Progress bar per epoch and a line per finished epoch. */
function consoleHooks(epochs: number, log: (line: string) => void): CharTrainHooks {
  let bar: cliProgress.SingleBar | null = null;
  let running = 0;
  // Without a terminal (output to a file), a line every tenth of an epoch instead of the bar.
  const tty = process.stderr.isTTY === true;
  let total = 0;
  let started = 0;
  return {
    onEpochStart(epoch, batches) {
      running = 0;
      total = batches;
      started = performance.now();
      if (!tty) return;
      bar = new cliProgress.SingleBar(
        { format: `epoch ${epoch}/${epochs} {bar} {percentage}% | {value}/{total} batches | loss {loss} | {eta_formatted} left`, hideCursor: true, clearOnComplete: true, etaBuffer: 50 },
        cliProgress.Presets.shades_classic,
      );
      bar.start(batches, 0, { loss: '-' });
    },
    onBatch(epoch, batch, loss) {
      running = batch === 1 ? loss : 0.98 * running + 0.02 * loss;
      if (batch % 5 === 0) bar?.update(batch, { loss: running.toFixed(4) });
      if (!tty && batch % Math.max(1, Math.round(total / 10)) === 0) {
        log(`epoch ${epoch}: ${batch}/${total} batches, loss ${running.toFixed(4)}, ${((performance.now() - started) / 1000).toFixed(0)} s`);
      }
    },
    onEpochEnd(r) {
      bar?.update(bar.getTotal(), { loss: running.toFixed(4) });
      bar?.stop();
      log(`epoch ${r.epoch}: train loss ${r.trainLoss.toFixed(4)}, validation loss ${r.validLoss.toFixed(4)} (perplexity ${r.perplexity.toFixed(2)}), ${r.seconds.toFixed(0)} s (${Math.round(r.charsPerSecond)} chars/s)`);
      if (r.sample !== undefined) log(`--- sample after epoch ${r.epoch} ---\n${r.sample}\n---`);
    },
  };
}

/** The epoch table. */
export function charlmTable(history: readonly CharEpochReport[]): string {
  const t = new Table({ head: ['epoch', 'train loss', 'valid loss', 'perplexity', 'lr', 'time (s)', 'chars/s'], style: { head: [], compact: true } });
  for (const r of history) t.push([r.epoch, r.trainLoss.toFixed(4), r.validLoss.toFixed(4), r.perplexity.toFixed(2), r.lr.toExponential(2), r.seconds.toFixed(0), Math.round(r.charsPerSecond)]);
  return t.toString();
}

/** Runs `charlm` (training); `log` prints a line. */
export function charlmAction(opts: CharlmOptions, log: (line: string) => void): CharEpochReport[] {
  const config: CharModelConfig = { cell: opts.cell, hiddenSize: opts.hidden, numLayers: opts.layers, embeddingDim: opts.embedding, dropout: opts.dropout };
  if (opts.layers === 1 && opts.dropout > 0) log(`note: dropout ${opts.dropout} applies to the embeddings and the LSTM's outputs (there is no layer between layers)`);
  const corpus = loadCorpus(opts.text ?? defaultTextPath(), opts.seqLen, opts.limitChars);
  const model = charModel(config, corpus.tokenizer.vocabSize, opts.seed);
  const outPath = opts.out ?? `out/charlm-${opts.cell}.safetensors`;
  const out = checkOutPath(outPath, 4 * model.numParameters() + 16384);
  const lrMin = opts.lrMin ?? opts.lr / 20;
  log(
    `char ${opts.cell.toUpperCase()} (${opts.layers} × ${opts.hidden}, embedding ${opts.embedding}, ${model.numParameters().toLocaleString('en')} parameters) on ${corpus.path}: ` +
      `${corpus.train.length.toLocaleString('en')} training / ${corpus.valid.length.toLocaleString('en')} validation characters, vocabulary ${corpus.tokenizer.vocabSize}; ` +
      `Adam lr ${opts.lr} → ${lrMin} (cosine), clip ${opts.clip}, dropout ${opts.dropout}, batch ${opts.batchSize} × ${opts.seqLen}, ${opts.epochs} epochs, seed ${opts.seed}`,
  );
  const t0 = performance.now();
  const save = (r: CharEpochReport, epochs: number): void =>
    writeSafetensorsFile(
      out,
      model.stateDict(),
      charModelMetadata(config, corpus.tokenizer, {
        validLoss: r.validLoss.toFixed(4),
        epochs: `${r.epoch} of ${epochs}`,
        recipe: `Adam lr ${opts.lr} -> ${lrMin} cosine, clip ${opts.clip}, dropout ${opts.dropout}, batch ${opts.batchSize} x ${opts.seqLen}, ${opts.epochs} epochs, seed ${opts.seed}`,
      }),
    );
  const hooks = consoleHooks(opts.epochs, log);
  const history = trainCharModel(
    model,
    corpus,
    {
      epochs: opts.epochs,
      batchSize: opts.batchSize,
      seqLen: opts.seqLen,
      lr: opts.lr,
      lrMin,
      clip: opts.clip,
      seed: opts.seed,
      sampleEvery: opts.sampleEvery,
      sampleLength: opts.sampleLength,
      temperature: opts.temperature,
      ...(opts.batchLimit !== undefined ? { batchLimit: opts.batchLimit } : {}),
    },
    {
      ...hooks,
      onEpochEnd(r) {
        hooks.onEpochEnd?.(r);
        // After every epoch, so a long run stopped early still leaves its latest weights.
        save(r, opts.epochs);
      },
    },
  );
  log(charlmTable(history));
  const last = history[history.length - 1]!;
  const minutes = (performance.now() - t0) / 60000;
  log(`final validation loss ${last.validLoss.toFixed(4)} nats/char (perplexity ${last.perplexity.toFixed(2)}) after ${minutes.toFixed(1)} min`);
  log(`weights written to ${out}`);
  return history;
}

/** Runs `charlm sample`; returns the text (prompt included). */
export function charlmSampleAction(opts: CharlmSampleOptions, log: (line: string) => void): string {
  const { model, tokenizer } = loadCharModel(opts.weights);
  if (opts.prompt === '') throw new Error('--prompt is empty; give at least one character to continue from');
  const prompt = tokenizer.encode(opts.prompt);
  const ids = model.generate(prompt, opts.length, {
    temperature: opts.temperature,
    generator: new Generator(opts.seed),
    ...(opts.topK !== undefined ? { topK: opts.topK } : {}),
    ...(opts.topP !== undefined ? { topP: opts.topP } : {}),
  });
  const text = opts.prompt + tokenizer.decode(ids);
  log(text);
  return text;
}

/** Adds the `@dl/rnn` commands to the program; `out` prints a line. */
export function addRnnCommands(program: Command, out: (line: string) => void): void {
  const d = CHARLM_DEFAULTS;
  const charlm = program.command('charlm').description('Character language model: train one (default) or sample from saved weights.');
  charlm
    .command('train', { isDefault: true })
    .description('Train a character LSTM or GRU on Tiny Shakespeare (or your text file, 90/10 split) and save its weights as safetensors.')
    .option('--text <file>', 'a UTF-8 text file (default: ../shared/datasets/tinyshakespeare/input.txt beside the repository)')
    .addOption(new Option('--cell <name>', 'recurrent cell').choices(['lstm', 'gru']).default(d.cell))
    .option('--hidden <n>', 'hidden units per layer', positiveInt, d.hidden)
    .option('--layers <n>', 'stacked recurrent layers', positiveInt, d.layers)
    .option('--embedding <n>', 'character embedding width', positiveInt, d.embedding)
    .option('--dropout <p>', 'dropout on embeddings, between layers and before the output layer', dropoutRate, d.dropout)
    .option('--epochs <n>', 'passes over the training text', positiveInt, d.epochs)
    .option('--batch-size <n>', 'sequences per step', positiveInt, d.batchSize)
    .option('--seq-len <n>', 'characters per sequence (back-propagation through this many steps)', positiveInt, d.seqLen)
    .option('--lr <rate>', "Adam's learning rate", positiveNumber, d.lr)
    .addOption(new Option('--lr-min <rate>', 'learning rate at the end of the cosine decay').argParser(positiveNumber).default(undefined, 'lr / 20'))
    .option('--clip <norm>', 'clip the gradient to this global norm', positiveNumber, d.clip)
    .option('--seed <n>', 'seed for initialization, batches and samples', seed, d.seed)
    .option('--sample-every <n>', 'print a sample every n epochs', positiveInt, d.sampleEvery)
    .option('--sample-length <n>', 'characters per sample', positiveInt, d.sampleLength)
    .option('--temperature <t>', 'sampling temperature of the printed samples', positiveNumber, d.temperature)
    .option('--limit-chars <n>', 'use only the first n characters of the text', positiveInt)
    .option('--batch-limit <n>', 'stop each epoch after n batches', positiveInt)
    .option('--out <file>', 'where to write the weights (default: out/charlm-<cell>.safetensors)')
    .option('--verbose', 'on an error, also print its stack trace')
    .action((opts: CharlmOptions) => {
      charlmAction(opts, out);
    });
  charlm
    .command('sample')
    .description('Continue a prompt with a model saved by charlm.')
    .requiredOption('--weights <file>', 'a weights file written by charlm')
    .option('--prompt <text>', 'text to continue', 'ROMEO:')
    .option('--length <n>', 'characters to generate', positiveInt, 500)
    .option('--temperature <t>', 'sampling temperature (lower: safer)', nonNegativeNumber, 0.8)
    .option('--top-k <k>', 'sample only among the k likeliest characters', positiveInt)
    .option('--top-p <p>', 'sample only among the likeliest characters holding probability p', unitInterval)
    .option('--seed <n>', 'seed for sampling', seed, 0)
    .option('--verbose', 'on an error, also print its stack trace')
    .action((opts: CharlmSampleOptions) => {
      charlmSampleAction(opts, out);
    });
}
