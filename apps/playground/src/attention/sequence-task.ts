/**
 * The `transformer-task` command: a small GPT learns a generated sequence
 * task — sorting n digits, or copying n digits after a delay of blanks — and
 * is scored by exact match of greedy decoding (with the key/value cache) on
 * held-out sequences.
 *
 * @packageDocumentation
 */
import { type KVCache } from '@dl/attention';
import { Generator, Tensor, argmax, narrow, noGrad, reshape, writeSafetensorsFile } from '@dl/tensor';
import { checkOutPath } from '../cli/out-file.js';
import { Gpt } from './gpt.js';
import { type LmBatch, trainLm } from './lm-train.js';
import { attentionMaps } from './inspect.js';
import { consoleLmHooks, evalTable, writeAttentionPng } from './report.js';

/** The generated tasks. */
export const SEQUENCE_TASKS = ['sort', 'copy'] as const;
export type SequenceTask = (typeof SEQUENCE_TASKS)[number];

/** A task's shape: `length` digits from 0…digits−1; copy waits `delay` blanks (token `digits`). */
export interface TaskSpec {
  task: SequenceTask;
  length: number;
  digits: number;
  delay: number;
}

/** Tokens in the vocabulary: the digits, plus the blank for copy. */
export function vocabSize(s: TaskSpec): number {
  return s.task === 'copy' ? s.digits + 1 : s.digits;
}

/** Tokens before the answer (the prompt): the digits, then for copy the blanks. */
export function promptLength(s: TaskSpec): number {
  return s.task === 'copy' ? s.length + s.delay : s.length;
}

/** One example: prompt and answer token ids. */
export function makeExample(s: TaskSpec, g: Generator): { prompt: number[]; answer: number[] } {
  const xs = Array.from({ length: s.length }, () => Math.floor(g.random() * s.digits));
  if (s.task === 'sort') return { prompt: xs, answer: [...xs].sort((a, b) => a - b) };
  return { prompt: [...xs, ...new Array<number>(s.delay).fill(s.digits)], answer: xs };
}

/** A training batch: inputs = sequence minus its last token, targets = next tokens, counted on the answer only. */
export function makeBatch(s: TaskSpec, batch: number, g: Generator): LmBatch {
  const p = promptLength(s);
  const t = p + s.length - 1;
  const x = new Int32Array(batch * t);
  const y = new Int32Array(batch * t).fill(-100);
  for (let b = 0; b < batch; b++) {
    const { prompt, answer } = makeExample(s, g);
    const seq = [...prompt, ...answer];
    for (let i = 0; i < t; i++) {
      x[b * t + i] = seq[i]!;
      if (i >= p - 1) y[b * t + i] = seq[i + 1]!;
    }
  }
  return { x: new Tensor(x, [batch, t]), y: new Tensor(y, [batch, t]) };
}

/** Greedy decoding of the answers for a batch of prompts, with one key/value cache per layer. */
export function decodeBatch(model: Gpt, prompts: readonly number[][], answerLength: number): number[][] {
  const n = prompts.length;
  const p = prompts[0]!.length;
  const out: number[][] = prompts.map(() => []);
  const was = model.training;
  model.eval();
  noGrad(() => {
    const caches: KVCache[] = model.newCaches();
    let input = new Tensor(Int32Array.from(prompts.flat()), [n, p]);
    for (let step = 0; step < answerLength; step++) {
      const logits = model.forward(input, caches);
      const last = reshape(narrow(logits, 1, logits.shape[1]! - 1, 1), [n, logits.shape[2]!]);
      const next = argmax(last, 1).data;
      for (let b = 0; b < n; b++) out[b]!.push(next[b]!);
      input = new Tensor(Int32Array.from(next), [n, 1]);
    }
  });
  model.train(was);
  return out;
}

/** Fraction of held-out examples whose whole answer is right, and of answer tokens right. */
export function exactMatch(model: Gpt, s: TaskSpec, examples: readonly { prompt: number[]; answer: number[] }[]): { exact: number; token: number } {
  let exact = 0;
  let token = 0;
  const chunk = 250;
  for (let i = 0; i < examples.length; i += chunk) {
    const part = examples.slice(i, i + chunk);
    const got = decodeBatch(model, part.map((e) => e.prompt), s.length);
    part.forEach((e, k) => {
      let ok = 0;
      e.answer.forEach((a, j) => (ok += got[k]![j] === a ? 1 : 0));
      token += ok;
      if (ok === s.length) exact++;
    });
  }
  return { exact: exact / examples.length, token: token / (examples.length * s.length) };
}

/** The command's options after parsing. */
export interface TaskOptions extends TaskSpec {
  layers: number;
  embd: number;
  heads: number;
  batchSize: number;
  steps: number;
  lr: number;
  evalEvery: number;
  testSize: number;
  seed: number;
  out: string;
  maps: string;
}

export const TASK_DEFAULTS = {
  task: 'sort',
  length: 8,
  digits: 10,
  delay: 4,
  layers: 2,
  embd: 64,
  heads: 4,
  batchSize: 64,
  steps: 2000,
  lr: 3e-3,
  evalEvery: 250,
  testSize: 1000,
  seed: 7,
  out: 'out/transformer-task.safetensors',
  maps: 'out/transformer-task-attention.png',
} satisfies TaskOptions;

/** Runs the command; `log` prints a line. */
export function transformerTaskAction(opts: TaskOptions, log: (line: string) => void): void {
  if (opts.embd % opts.heads !== 0) throw new Error(`--embd ${opts.embd} is not divisible by --heads ${opts.heads}; need a multiple (each head gets embd / heads features)`);
  if (opts.digits < 2) throw new Error(`--digits ${opts.digits}: need at least 2 distinct digits`);
  const spec: TaskSpec = { task: opts.task, length: opts.length, digits: opts.digits, delay: opts.delay };
  const generator = new Generator(opts.seed);
  const block = promptLength(spec) + spec.length;
  const model = new Gpt({ vocabSize: vocabSize(spec), blockSize: block, nLayer: opts.layers, nHead: opts.heads, nEmbd: opts.embd, dropout: 0 }, generator);
  const out = checkOutPath(opts.out, 4 * model.numParameters() + 16384);
  const what = spec.task === 'sort' ? `sort ${spec.length} digits from 0–${spec.digits - 1}` : `copy ${spec.length} digits from 0–${spec.digits - 1} after ${spec.delay} blanks`;
  log(
    `transformer-task: ${what}; GPT ${opts.layers} layers, d_model ${opts.embd}, ${opts.heads} heads, ${model.numParameters()} parameters; ` +
      `AdamW lr ${opts.lr} (warm-up, cosine), batch ${opts.batchSize}, ${opts.steps} steps, seed ${opts.seed}; test: ${opts.testSize} held-out sequences, greedy decoding with the key/value cache`,
  );
  // Held-out examples from their own stream; training batches are drawn fresh each step.
  const testGen = new Generator(opts.seed + 1_000_003);
  const test = Array.from({ length: opts.testSize }, () => makeExample(spec, testGen));
  const val = [makeBatch(spec, 256, new Generator(opts.seed + 2_000_003))];
  const hooks = consoleLmHooks(opts.steps, log, (e) => `exact match ${(100 * e.extra!['exact %']!).toFixed(2)}%`);
  const t0 = performance.now();
  const history = trainLm(
    model,
    () => makeBatch(spec, opts.batchSize, generator),
    val,
    { steps: opts.steps, lr: opts.lr, minLr: opts.lr / 20, warmup: Math.min(100, Math.floor(opts.steps / 10)), weightDecay: 0.01, clip: 1, evalEvery: opts.evalEvery },
    hooks,
    () => {
      const m = exactMatch(model, spec, test);
      return { 'exact %': m.exact, 'token %': m.token };
    },
  );
  hooks.stop();
  const seconds = (performance.now() - t0) / 1000;
  log(evalTable(history));
  const last = history[history.length - 1]!;
  log(`exact match on ${opts.testSize} held-out sequences: ${(100 * last.extra!['exact %']!).toFixed(2)}% (tokens ${(100 * last.extra!['token %']!).toFixed(2)}%) after ${seconds.toFixed(0)} s`);
  const showGen = new Generator(opts.seed + 3);
  for (let i = 0; i < 3; i++) {
    const e = makeExample(spec, showGen);
    const got = decodeBatch(model, [e.prompt], spec.length)[0]!;
    const show = (xs: number[]) => xs.map((x) => (x === spec.digits ? '_' : String(x))).join(' ');
    log(`  ${show(e.prompt)}  →  ${show(got)}  ${got.join() === e.answer.join() ? '✓' : `✗ (want ${show(e.answer)})`}`);
  }
  const e = makeExample(spec, new Generator(opts.seed + 4));
  const seq = [...e.prompt, ...e.answer].slice(0, block - 1);
  const maps = attentionMaps(model, seq);
  writeAttentionPng(opts.maps, maps, seq.length);
  log(`attention maps (rows = layers, columns = heads; query rows, key columns) for ${seq.join(' ')} written to ${opts.maps}`);
  writeSafetensorsFile(out, model.stateDict(), {
    model: `transformer-task ${spec.task} (length ${spec.length}, digits 0–${spec.digits - 1}${spec.task === 'copy' ? `, delay ${spec.delay}` : ''})`,
    exactMatch: last.extra!['exact %']!.toFixed(4),
    heads: String(opts.heads),
    // The characters of the token ids: the digits (0–9, then letters), and '_' for copy's blank.
    vocabulary: Array.from({ length: spec.digits }, (_, i) => i.toString(36)).join('') + (spec.task === 'copy' ? '_' : ''),
    framework: 'dl',
  });
  log(`weights written to ${out}`);
}
