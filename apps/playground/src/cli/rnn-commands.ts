/**
 * The CLI commands built on `@dl/rnn` (charlm).
 *
 * @packageDocumentation
 */
import type { Command } from 'commander';

/** Adds the `@dl/rnn` commands to the program; `out` prints a line. */
export function addRnnCommands(program: Command, out: (line: string) => void): void {
  void program;
  void out;
}
