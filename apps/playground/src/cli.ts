#!/usr/bin/env node
// The playground's command line: `mnist`, `optimizers`, `lenet`, `charlm`, the graph commands and the transformer commands (see README.md).
import { runCli } from './cli/run.js';

process.exitCode = await runCli(process.argv.slice(2), {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  env: process.env,
});
