// Packing the published packages the way a release does, for the checks that
// read or install what would be published (check-dist.mjs, tools/test/).
// `changeset publish` runs `pnpm publish` in each package, which packs with
// `pnpm pack`: the same command, the same `prepack` guard, the same manifest
// rewriting (workspace: ranges, publishConfig.exports).
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

export const root = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** `npx -y pnpm@<the version packageManager pins>`, as the README runs pnpm. */
export const pnpm = ['npx', '-y', rootManifest.packageManager];

/** The repository URL every manifest and README link points at (root package.json). */
export const repositoryUrl = rootManifest.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');

/** Child-process environment without the npm_* variables a package manager running us set (they would configure npm). */
export function cleanEnv(extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
  return { ...env, ...extra };
}

/** Folders of the publishable packages: every packages/* that is not private. */
export function publishedPackageDirs() {
  return readdirSync(join(root, 'packages'))
    .map((name) => join(root, 'packages', name))
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .filter((dir) => !JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).private);
}

/**
 * Packs every published package into `dest` with pnpm; returns
 * `{ name, version, dir, tarball }` per package.
 */
export function packAll(dest) {
  const out = execFileSync(pnpm[0], [...pnpm.slice(1), '--filter', './packages/*', 'pack', '--pack-destination', dest, '--json'], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: cleanEnv(),
  });
  const entries = [JSON.parse(out)].flat();
  const dirs = new Map(publishedPackageDirs().map((dir) => [JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name, dir]));
  if (entries.length !== dirs.size) throw new Error(`pnpm packed ${entries.length} packages, expected ${dirs.size}`);
  return entries.map((e) => ({ name: e.name, version: e.version, dir: dirs.get(e.name), tarball: e.filename }));
}

/** The files of a .tgz (ustar, as npm and pnpm write them): path without the `package/` prefix → contents. */
export function readTarball(file) {
  const data = gunzipSync(readFileSync(file));
  const files = new Map();
  const text = (start, length) => data.subarray(start, start + length).toString('utf8').replace(/\0.*$/s, '');
  for (let offset = 0; offset + 512 <= data.length; ) {
    const name = text(offset, 100);
    if (name === '') break;
    const prefix = text(offset + 345, 155);
    const size = parseInt(text(offset + 124, 12).trim() || '0', 8);
    const type = text(offset + 156, 1);
    const path = (prefix ? `${prefix}/${name}` : name).replace(/^package\//, '');
    if (type === '0' || type === '') files.set(path, data.subarray(offset + 512, offset + 512 + size));
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

/**
 * The versioning policy's peer range on @dl/tensor (RELEASING.md): `>=0.N.P <1`,
 * in the workspace with a `workspace:` prefix. Returns whether `range` has that
 * form and admits `version`.
 */
export function policyRangeAdmits(range, version) {
  const m = /^(?:workspace:)?>=0\.(\d+)\.(\d+) <1$/.exec(range);
  if (!m) return false;
  const [major, minor, patch] = version.split('.').map(Number);
  return major === 0 && (minor > Number(m[1]) || (minor === Number(m[1]) && patch >= Number(m[2])));
}
