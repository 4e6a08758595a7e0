/**
 * The CLI commands built on `@dl/attention` (transformer-task, chargpt).
 *
 * @packageDocumentation
 */
import type { Command } from 'commander';

/** Adds the `@dl/attention` commands to the program; `out` prints a line. */
export function addAttentionCommands(program: Command, out: (line: string) => void): void {
  void program;
  void out;
}
