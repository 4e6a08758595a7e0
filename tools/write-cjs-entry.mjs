// Run by every package's `build` after tsup, in the package's folder: writes
// the CommonJS entry point (dist/index.cjs) and its types (dist/index.d.cts).
//
// The CommonJS entry is not a second build: it loads the ES module build with
// require(esm) (on by default from Node.js 20.19 and 22.12, the versions the
// packages' `engines` claim), so an app that both imports and requires a
// package gets one copy of it. Two copies — what a separate CJS bundle gave —
// meant two `Tensor` classes (`instanceof` failing across them), a `noGrad`
// in CommonJS code that ESM ops did not see, and two thread pools.
// The types are the ESM declarations under a .d.cts name, so TypeScript's
// node16/nodenext resolution reads them as a CommonJS module with the same
// named exports. Where require(esm) is missing the entry fails with a message
// that says so, instead of Node's generic ERR_REQUIRE_ESM.
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const engines = pkg.engines?.node;
if (!engines) throw new Error(`${pkg.name}: package.json has no engines.node, which the CommonJS entry's error message quotes`);
for (const file of ['dist/index.js', 'dist/index.d.ts']) {
  if (!existsSync(file)) throw new Error(`${pkg.name}: ${file} is missing; run tsup first`);
}
// A relative import in the declarations would resolve to an ESM .d.ts from the
// .d.cts copy; tsup bundles each entry's declarations into one file, so none.
const dts = readFileSync('dist/index.d.ts', 'utf8');
const relative = dts.match(/from ['"]\.{1,2}\/[^'"]*['"]/);
if (relative) throw new Error(`${pkg.name}: dist/index.d.ts imports ${relative[0]}; the .d.cts copy needs self-contained declarations`);

const message = `${pkg.name}: require() of this package needs Node.js ${engines} (it loads the ES module build with require(esm)); this is Node.js `;
writeFileSync(
  'dist/index.cjs',
  `'use strict';
// ${pkg.name} for require(): the ES module build itself, loaded with require(esm),
// so require and import share one copy (one Tensor class, one recording state).
try {
  module.exports = require('./index.js');
} catch (error) {
  if (error && error.code === 'ERR_REQUIRE_ESM') {
    throw new Error(${JSON.stringify(message)} + process.version + '. Upgrade Node.js, or use import.', { cause: error });
  }
  throw error;
}
`,
);
copyFileSync('dist/index.d.ts', 'dist/index.d.cts');
