import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'vite';
import { datasetDir } from '../src/gnn/data.js';

/** The Cora files the page reads: the LINQS text files and the Planetoid public split. */
export const CORA_FILES = ['cora.content', 'cora.cites', 'planetoid_index_map.tsv'] as const;

/**
 * Serves Cora's files from the shared data sets folder (where the `gcn` and
 * `gat` commands read them: `$DL_DATASETS/cora`, else `../shared/datasets/cora`
 * beside the repository) at `cora/<file>` in development and copies them into
 * the build, so the page parses the very bytes the CLI parses and nothing is
 * downloaded from elsewhere. A build without the folder leaves the files out
 * (the card then says so) rather than failing every other card's build.
 */
export function coraAssets(dir: string = datasetDir('cora')): Plugin {
  const present = CORA_FILES.every((name) => existsSync(join(dir, name)));
  return {
    name: 'dl-cora-assets',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const name = req.url?.split('?')[0]?.match(/\/cora\/([\w.-]+)$/)?.[1];
        if (name === undefined || !(CORA_FILES as readonly string[]).includes(name) || !existsSync(join(dir, name))) return next();
        const path = join(dir, name);
        res.setHeader('Content-Type', 'text/plain; charset=utf-8');
        res.setHeader('Content-Length', String(statSync(path).size));
        createReadStream(path).pipe(res);
      });
    },
    generateBundle() {
      if (!present) {
        this.warn(`no Cora files in ${dir} (need ${CORA_FILES.join(', ')}): the gnn card will report them missing`);
        return;
      }
      for (const name of CORA_FILES) this.emitFile({ type: 'asset', fileName: `cora/${name}`, source: readFileSync(join(dir, name)) });
    },
  };
}
