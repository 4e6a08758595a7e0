// What would be published works: for every package in packages/, publint
// finds no error or warning in its package.json/exports, and the built ESM
// and CommonJS entry points both load and expose the same API.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

const root = new URL('..', import.meta.url).pathname;
const require = createRequire(import.meta.url);
let failures = 0;
for (const name of readdirSync(join(root, 'packages'))) {
  const dir = join(root, 'packages', name);
  if (!existsSync(join(dir, 'package.json'))) continue;
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const { messages } = await publint({ pkgDir: dir, level: 'warning', strict: true });
  for (const m of messages) {
    failures++;
    console.error(`${pkg.name}: publint ${m.type}: ${formatMessage(m, pkg)}`);
  }
  const entry = pkg.exports['.'];
  const esm = await import(pathToFileURL(join(dir, entry.import.default)).href);
  const cjs = require(join(dir, entry.require.default));
  const esmKeys = Object.keys(esm).sort().join(',');
  const cjsKeys = Object.keys(cjs).filter((k) => k !== '__esModule').sort().join(',');
  if (esmKeys !== cjsKeys) {
    failures++;
    console.error(`${pkg.name}: ESM and CJS builds export different names`);
  }
  console.log(`${pkg.name}: publint clean, ESM and CJS builds load (${Object.keys(esm).length} exports)`);
}
if (failures > 0) process.exit(1);
