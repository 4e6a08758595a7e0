/**
 * The CLI's outer loop: parse, run, and turn any failure into one line on
 * stderr and a non-zero exit code (the stack only with `--verbose`).
 *
 * @packageDocumentation
 */
import { Command, CommanderError } from 'commander';
import { checkNumThreadsEnv } from './arguments.js';
import { addLenetCommand } from './lenet-command.js';
import { addMnistCommand } from './mnist-command.js';
import { addOptimizersCommand } from './optimizers-command.js';
import { addAttentionCommands } from './attention-commands.js';
import { addGnnCommands } from './gnn-commands.js';
import { addRnnCommands } from './rnn-commands.js';

/** Where the CLI writes and what it reads from its environment. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  env: Readonly<Record<string, string | undefined>>;
}

/** A message on one line: a multi-line error (a state-dict report, a DLError) joined with "; ". */
export function oneLine(message: string): string {
  return message
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join('; ');
}

function describe(e: unknown): string {
  if (e instanceof RangeError && /call stack/i.test(e.message)) return 'the input is too deeply nested to process (the call stack overflowed)';
  if (e instanceof Error) return oneLine(e.message) || e.name;
  return oneLine(String(e));
}

/**
 * Runs the CLI on `args` (the words after the script name) and resolves to the
 * exit code: 0 on success, 1 on any error, printed as `error: <one line>`.
 *
 * @example process.exitCode = await runCli(process.argv.slice(2), { out: console.log, err: console.error, env: process.env });
 */
export async function runCli(args: readonly string[], io: CliIo): Promise<number> {
  const verbose = args.includes('--verbose');
  const program = new Command();
  program
    .name('dl-playground')
    .description('Train real models on real data with dl.')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.replace(/\n$/, '')), writeErr: (s) => io.err(s.replace(/\n$/, '')) });
  addMnistCommand(program, io.out);
  addOptimizersCommand(program, io.out);
  addLenetCommand(program, io.out);
  addRnnCommands(program, io.out);
  addGnnCommands(program, io.out);
  addAttentionCommands(program, io.out);
  // `pnpm mnist -- --epochs 2` forwards the `--` itself; drop it so the options still parse.
  const words = args.filter((a, i) => !(a === '--' && i === 1));
  try {
    checkNumThreadsEnv(io.env['DL_NUM_THREADS']);
    await program.parseAsync([...words], { from: 'user' });
    return 0;
  } catch (e) {
    // Commander has printed its own one-line message (or the help) already.
    if (e instanceof CommanderError) return e.exitCode;
    io.err(`error: ${describe(e)}`);
    if (verbose && e instanceof Error && e.stack) io.err(e.stack);
    return 1;
  }
}
