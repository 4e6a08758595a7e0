/**
 * Where the GNN commands find their data sets: `--data`, else
 * `$DL_DATASETS/<name>`, else `../shared/datasets/<name>` beside the repository.
 *
 * @packageDocumentation
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder of data set `name` (cora, mutag, karate). */
export function datasetDir(name: string, given?: string): string {
  if (given !== undefined) return resolve(given);
  const env = process.env.DL_DATASETS;
  if (env) return resolve(env, name);
  const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
  const beside = resolve(repo, '../shared/datasets', name);
  if (existsSync(beside)) return beside;
  return resolve('/work/shared/datasets', name);
}
