// What would be published is what we mean to publish. Every package in
// packages/ is packed the way a release packs it (pnpm, tools/pack.mjs), and
// its tarball must pass:
// - publint (strict) and arethetypeswrong (node10, node16 from CJS and ESM,
//   bundler) over the tarball itself, not the workspace folder;
// - the manifest: no `workspace:` range, no workspace-only `@dl/source`
//   condition, repository (with directory) / homepage / bugs / keywords /
//   engines, a @dl/tensor peer range of the form `>=0.N.0 <1` that the
//   tensor packed beside it satisfies;
// - the files: dist/, README.md, the repository's LICENSE, CHANGELOG.md once
//   a release has written one — no src/;
// - the README: links and pictures that resolve on the registry page
//   (absolute URLs or #anchors).
// Then the built entry points: ESM and CommonJS expose the same names, and
// are the same module (the CommonJS entry loads the ESM build).
import { checkPackage, createPackageFromTarballData } from '@arethetypeswrong/core';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { packAll, policyRangeAdmits, readTarball, repositoryUrl, root } from './pack.mjs';

const require = createRequire(import.meta.url);
const license = readFileSync(join(root, 'LICENSE'), 'utf8');
let failures = 0;
const fail = (name, message) => {
  failures++;
  console.error(`${name}: ${message}`);
};

const dest = mkdtempSync(join(tmpdir(), 'dl-check-dist-'));
try {
  const packed = packAll(dest);
  const tensor = packed.find((p) => p.name === '@dl/tensor');
  for (const { name, dir, tarball } of packed) {
    const failuresBefore = failures;
    const bytes = readFileSync(tarball);
    const files = readTarball(tarball);
    const pkg = JSON.parse(files.get('package.json').toString('utf8'));

    const { messages } = await publint({ pack: { tarball: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) }, level: 'warning', strict: true });
    for (const m of messages) fail(name, `publint ${m.type}: ${formatMessage(m, pkg)}`);

    const attw = await checkPackage(createPackageFromTarballData(new Uint8Array(bytes)));
    if (!attw.types) fail(name, 'arethetypeswrong found no types');
    for (const p of attw.problems ?? []) fail(name, `arethetypeswrong ${p.kind}: ${JSON.stringify(p)}`);

    for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies', 'devDependencies']) {
      for (const [dep, range] of Object.entries(pkg[field] ?? {})) {
        if (range.startsWith('workspace:')) fail(name, `${field}.${dep} is '${range}' in the tarball`);
      }
    }
    if (JSON.stringify(pkg.exports).includes('@dl/source')) fail(name, 'the published exports map keeps the workspace-only @dl/source condition');
    const peer = pkg.peerDependencies?.['@dl/tensor'];
    if (peer !== undefined && (peer.startsWith('workspace:') || !policyRangeAdmits(peer, tensor.version))) {
      fail(name, `peer range on @dl/tensor is '${peer}'; the versioning policy (RELEASING.md) wants '>=0.N.P <1' admitting the @dl/tensor ${tensor.version} packed beside it`);
    }
    const directory = relative(root, dir);
    if (pkg.repository?.url?.replace(/^git\+/, '').replace(/\.git$/, '') !== repositoryUrl || pkg.repository?.directory !== directory) {
      fail(name, `repository should be { url: git+${repositoryUrl}.git, directory: ${directory} }`);
    }
    if (pkg.homepage !== `${repositoryUrl}/tree/main/${directory}#readme`) fail(name, `homepage should be ${repositoryUrl}/tree/main/${directory}#readme`);
    if (pkg.bugs?.url !== `${repositoryUrl}/issues`) fail(name, `bugs.url should be ${repositoryUrl}/issues`);
    if (!Array.isArray(pkg.keywords) || pkg.keywords.length === 0) fail(name, 'no keywords');
    if (!pkg.engines?.node) fail(name, 'no engines.node');

    const allowed = /^(dist\/.+|README\.md|LICENSE|CHANGELOG\.md|package\.json)$/;
    for (const path of files.keys()) if (!allowed.test(path)) fail(name, `ships ${path}`);
    if (files.get('LICENSE')?.toString('utf8') !== license) fail(name, 'LICENSE is missing or differs from the repository LICENSE');
    if (existsSync(join(dir, 'CHANGELOG.md')) !== files.has('CHANGELOG.md')) fail(name, 'CHANGELOG.md in the folder and in the tarball disagree');
    const readme = files.get('README.md')?.toString('utf8') ?? '';
    if (!readme) fail(name, 'no README.md');
    for (const [, target] of readme.matchAll(/\]\(([^)\s]+)[^)]*\)/g)) {
      if (!/^(https:\/\/|#)/.test(target)) fail(name, `README links to '${target}', which does not resolve on the registry page`);
    }
    for (const [, target] of readme.matchAll(/<img[^>]*src="([^"]+)"/g)) {
      if (!target.startsWith('https://')) fail(name, `README shows '${target}', which does not resolve on the registry page`);
    }

    const entry = pkg.exports['.'];
    const esm = await import(pathToFileURL(join(dir, entry.import.default)).href);
    const cjs = require(join(dir, entry.require.default));
    const esmKeys = Object.keys(esm).sort().join(',');
    const cjsKeys = Object.keys(cjs).filter((k) => k !== '__esModule').sort().join(',');
    if (esmKeys !== cjsKeys) fail(name, 'ESM and CJS entry points export different names');
    for (const key of Object.keys(esm)) {
      if (esm[key] !== cjs[key]) {
        fail(name, `the CommonJS entry's ${key} is not the ESM entry's (two copies of the package)`);
        break;
      }
    }
    if (failures === failuresBefore) console.log(`${name}: tarball clean (publint, arethetypeswrong, manifest, files, README links); ESM and CJS are one module (${Object.keys(esm).length} exports)`);
  }
} finally {
  rmSync(dest, { recursive: true, force: true });
}
if (failures > 0) process.exit(1);
