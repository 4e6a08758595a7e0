/**
 * The CLI commands built on `@dl/attention` (transformer-task, chargpt).
 *
 * @packageDocumentation
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { CHARGPT_DEFAULTS, type CharGptOptions, charGptAction } from '../attention/chargpt.js';
import { SEQUENCE_TASKS, TASK_DEFAULTS, type TaskOptions, transformerTaskAction } from '../attention/sequence-task.js';
import { nonNegativeNumber, positiveInt, positiveNumber, seed } from './arguments.js';

/** `--dropout 0.1`: a number in [0, 1). */
function probability(value: string): number {
  const n = nonNegativeNumber(value);
  if (n >= 1) throw new InvalidArgumentError(`expected a probability from 0 up to (not including) 1, got '${value}'`);
  return n;
}

/** Adds the `@dl/attention` commands to the program; `out` prints a line. */
export function addAttentionCommands(program: Command, out: (line: string) => void): void {
  const d = TASK_DEFAULTS;
  program
    .command('transformer-task')
    .description('Train a small GPT on a generated sequence task (sort digits, or copy them after a delay) and score exact match of greedy decoding on held-out sequences; writes attention maps as PNG and the weights as safetensors.')
    .addOption(new Option('--task <name>', 'sort or copy').choices(SEQUENCE_TASKS).default(d.task))
    .option('--length <n>', 'digits per sequence', positiveInt, d.length)
    .option('--digits <n>', 'distinct digit values', positiveInt, d.digits)
    .option('--delay <n>', 'blanks between the digits and their copy (copy task)', positiveInt, d.delay)
    .option('--layers <n>', 'transformer layers', positiveInt, d.layers)
    .option('--embd <n>', 'model width d_model', positiveInt, d.embd)
    .option('--heads <n>', 'attention heads (must divide --embd)', positiveInt, d.heads)
    .option('--batch-size <n>', 'sequences per step', positiveInt, d.batchSize)
    .option('--steps <n>', 'optimizer steps', positiveInt, d.steps)
    .option('--lr <rate>', 'peak AdamW learning rate', positiveNumber, d.lr)
    .option('--eval-every <n>', 'steps between evaluations', positiveInt, d.evalEvery)
    .option('--test-size <n>', 'held-out sequences scored by exact match', positiveInt, d.testSize)
    .option('--seed <n>', 'seed for initialization and data', seed, d.seed)
    .option('--out <file>', 'where to write the weights', d.out)
    .option('--maps <file>', 'where to write the attention maps (PNG)', d.maps)
    .option('--verbose', 'on an error, also print its stack trace')
    .action((opts: TaskOptions) => transformerTaskAction(opts, out));
  const c = CHARGPT_DEFAULTS;
  program
    .command('chargpt')
    .description('Train a character-level GPT (pre-norm transformer, GELU, learned positions) on Tiny Shakespeare (90/10 split); prints losses in nats/char and a sample, writes attention maps as PNG and the weights as safetensors.')
    .option('--data <file>', 'the text corpus', c.data)
    .option('--layers <n>', 'transformer layers', positiveInt, c.layers)
    .option('--embd <n>', 'model width d_model', positiveInt, c.embd)
    .option('--heads <n>', 'attention heads (must divide --embd)', positiveInt, c.heads)
    .option('--block <n>', 'context length in characters', positiveInt, c.block)
    .option('--batch-size <n>', 'windows per step', positiveInt, c.batchSize)
    .option('--steps <n>', 'optimizer steps', positiveInt, c.steps)
    .option('--lr <rate>', 'peak AdamW learning rate', positiveNumber, c.lr)
    .option('--min-lr <rate>', 'learning rate at the end of the cosine decay', nonNegativeNumber, c.minLr)
    .option('--warmup <n>', 'linear warm-up steps', positiveInt, c.warmup)
    .option('--weight-decay <w>', 'decoupled weight decay on weight matrices', nonNegativeNumber, c.weightDecay)
    .option('--dropout <p>', 'dropout probability', probability, c.dropout)
    .option('--eval-every <n>', 'steps between validation evaluations', positiveInt, c.evalEvery)
    .option('--eval-batches <n>', 'validation batches per evaluation', positiveInt, c.evalBatches)
    .option('--sample-length <n>', 'characters to sample after training', positiveInt, c.sampleLength)
    .option('--temperature <t>', 'sampling temperature (0: greedy)', nonNegativeNumber, c.temperature)
    .option('--seed <n>', 'seed for initialization, batches and sampling', seed, c.seed)
    .option('--minutes <m>', 'training time budget: stop after m minutes of training, the cosine schedule following the time spent', positiveNumber)
    .option('--out <file>', 'where to write the weights', c.out)
    .option('--maps <file>', 'where to write the attention maps (PNG)', c.maps)
    .option('--verbose', 'on an error, also print its stack trace')
    .action((opts: CharGptOptions) => charGptAction(opts, out));
}
