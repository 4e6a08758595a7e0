/**
 * The `optimizers` command's options (the race itself is `race/cli-command.ts`).
 *
 * @packageDocumentation
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { type OptimizersOptions, optimizersAction, parseLearningRates, parseMomenta, parsePreset, parseStart, parseSteps } from '../race/cli-command.js';
import { invalidArgument } from './arguments.js';

/** Adds the `optimizers` command to `program`. */
export function addOptimizersCommand(program: Command, log: (line: string) => void): void {
  program
    .command('optimizers')
    .description('Race SGD, Momentum, NAG, Adagrad, RMSprop, Adadelta, Adam and L-BFGS on a surface: a table of steps to a threshold and an SVG of their paths.')
    .option('--preset <name>', 'rosenbrock, beale, saddle or monkey', invalidArgument(parsePreset), 'rosenbrock')
    .option('--expr <f>', 'your own f(x, y) in mathjs syntax, e.g. "x^2 + 3 y^2" (replaces the preset; start defaults to 0.5,0.5)')
    .option('--start <x,y>', "start point (default: the preset's)", invalidArgument(parseStart))
    .option('--steps <n>', "most steps per optimizer (default: the preset's)", invalidArgument(parseSteps))
    .option('--lr <name=rate,...>', 'learning-rate overrides, e.g. adam=0.05,sgd=1e-3', invalidArgument(parseLearningRates))
    .option('--momentum <name=m,...>', 'momentum coefficients in [0, 1) for momentum, nag and adam (its β₁), e.g. momentum=0.5 (default 0.9)', invalidArgument(parseMomenta))
    .option('--out <file>', 'where to write the SVG (default out/optimizers-<preset|custom>.svg)')
    .option('--verbose', 'on an error, also print its stack trace')
    .action((opts: OptimizersOptions) => {
      optimizersAction(opts, {
        writeFile(path: string, text: string): string {
          const abs = resolve(path);
          mkdirSync(dirname(abs), { recursive: true });
          writeFileSync(abs, text);
          return abs;
        },
        log,
      });
    });
}
