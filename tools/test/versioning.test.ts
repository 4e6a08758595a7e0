// The versioning policy (RELEASING.md), proven on a scratch copy of the
// repository's manifests and changesets: `changeset version` with this
// repository's config never turns a @dl/tensor minor into a major of the
// packages that depend on it, the peer ranges it leaves are satisfied by the
// tensor released with them, and npm installs a newer tensor beside
// siblings released before it (where caret ranges — what changesets would
// otherwise need — fail with ERESOLVE).
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, policyRangeAdmits, root } from '../pack.mjs';

type Manifest = { name: string; version: string; private?: boolean; peerDependencies?: Record<string, string> };
type Bump = 'major' | 'minor' | 'patch';

let scratch = '';
const changesetBin = join(root, 'node_modules', '@changesets', 'cli', 'bin.js');
const workspaceDirs = ['packages', 'apps'].flatMap((group) =>
  readdirSync(join(root, group))
    .map((name) => `${group}/${name}`)
    .filter((dir) => existsSync(join(root, dir, 'package.json'))),
);

function manifests(): Map<string, Manifest & { dir: string }> {
  const out = new Map<string, Manifest & { dir: string }>();
  for (const dir of workspaceDirs) {
    const m = JSON.parse(readFileSync(join(scratch, dir, 'package.json'), 'utf8')) as Manifest;
    if (!m.private) out.set(m.name, { ...m, dir });
  }
  return out;
}

function bump(version: string, type: Bump | undefined): string {
  const [major, minor, patch] = version.split('.').map(Number) as [number, number, number];
  if (type === 'major') return `${major + 1}.0.0`;
  if (type === 'minor') return `${major}.${minor + 1}.0`;
  if (type === 'patch') return `${major}.${minor}.${patch + 1}`;
  return version;
}

const order: Bump[] = ['patch', 'minor', 'major'];
/** The bump each package's own pending changesets ask for, and each changeset's packages and first line. */
function pendingChangesets() {
  const wanted = new Map<string, Bump>();
  const entries: { packages: string[]; firstLine: string }[] = [];
  const dir = join(scratch, '.changeset');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.md') && f !== 'README.md')) {
    const text = readFileSync(join(dir, file), 'utf8');
    const m = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text);
    if (!m) throw new Error(`${file}: no front matter`);
    const packages: string[] = [];
    for (const line of m[1]!.split('\n').filter((l) => l.trim())) {
      const [, name, type] = /^\s*['"]?([^'":]+)['"]?\s*:\s*(major|minor|patch)\s*$/.exec(line) ?? [];
      if (!name || !type) throw new Error(`${file}: cannot read '${line}'`);
      packages.push(name);
      const prev = wanted.get(name);
      if (!prev || order.indexOf(type as Bump) > order.indexOf(prev)) wanted.set(name, type as Bump);
    }
    entries.push({ packages, firstLine: m[2]!.trim().split('\n')[0]!.trim() });
  }
  return { wanted, entries };
}

function addChangeset(id: string, releases: Record<string, Bump>, summary: string) {
  const front = Object.entries(releases).map(([name, type]) => `'${name}': ${type}`).join('\n');
  writeFileSync(join(scratch, '.changeset', `${id}.md`), `---\n${front}\n---\n\n${summary}\n`);
}

function changesetVersion(cwd = scratch) {
  execFileSync(process.execPath, [changesetBin, 'version'], { cwd, env: cleanEnv(), stdio: 'pipe' });
}

/** The peer range as pnpm publishes it (`workspace:<range>` → `<range>`). */
const published = (range: string) => range.replace(/^workspace:/, '');

/** Every dependent's peer range on @dl/tensor is the policy's form and holds the tensor version next to it. */
function expectPeerRangesHold(after: Map<string, Manifest>) {
  const tensor = after.get('@dl/tensor')!.version;
  let dependents = 0;
  for (const m of after.values()) {
    const range = m.peerDependencies?.['@dl/tensor'];
    if (range === undefined) continue;
    dependents++;
    expect(policyRangeAdmits(range, tensor), `${m.name}: '${range}' against @dl/tensor ${tensor}`).toBe(true);
  }
  expect(dependents).toBeGreaterThanOrEqual(3);
}

/** A copy of what `changeset version` reads: the root and workspace manifests, changelogs and .changeset/. */
function makeScratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dl-versioning-'));
  for (const file of ['package.json', 'pnpm-workspace.yaml']) cpSync(join(root, file), join(dir, file));
  cpSync(join(root, '.changeset'), join(dir, '.changeset'), { recursive: true });
  for (const ws of workspaceDirs) {
    mkdirSync(join(dir, ws), { recursive: true });
    cpSync(join(root, ws, 'package.json'), join(dir, ws, 'package.json'));
    if (existsSync(join(root, ws, 'CHANGELOG.md'))) cpSync(join(root, ws, 'CHANGELOG.md'), join(dir, ws, 'CHANGELOG.md'));
  }
  return dir;
}

beforeAll(() => {
  scratch = makeScratch();
});

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

// The steps build on each other, in order, like releases do.
describe('changeset version with this repository\'s config', () => {
  it('the pending changesets: each package gets the bump its own changesets ask for, none forced by a dependency', () => {
    const before = manifests();
    const { wanted, entries } = pendingChangesets();
    changesetVersion();
    const after = manifests();
    for (const [name, m] of before) {
      expect(after.get(name)!.version, name).toBe(bump(m.version, wanted.get(name)));
      // Peer ranges are left as they were: in range, nothing to rewrite.
      expect(after.get(name)!.peerDependencies, name).toEqual(m.peerDependencies);
    }
    expectPeerRangesHold(after);
    // Each changelog holds its own packages' entries and no other's (checked by
    // each entry's first line, where no other pending changeset shares it).
    const unique = entries.filter((e) => entries.filter((o) => o.firstLine === e.firstLine).length === 1);
    expect(unique.length).toBeGreaterThan(0);
    for (const { packages, firstLine } of unique) {
      for (const [name, m] of after) {
        const file = join(scratch, m.dir, 'CHANGELOG.md');
        const log = existsSync(file) ? readFileSync(file, 'utf8') : '';
        expect(log.includes(firstLine), `${name}'s CHANGELOG and '${firstLine.slice(0, 60)}…'`).toBe(packages.includes(name));
      }
    }
    expect(readdirSync(join(scratch, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md')).toEqual([]);
    // The changelogs it wrote are in what a pack takes (the manifests' `files`).
    const dirs = [...after.values()].map((m) => `./${m.dir}`);
    const packs = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts', ...dirs], { cwd: scratch, env: cleanEnv(), encoding: 'utf8' })) as { name: string; files: { path: string }[] }[];
    expect(packs.length).toBe(after.size);
    for (const p of packs) expect(p.files.map((f) => f.path), p.name).toContain('CHANGELOG.md');
  });

  it('a @dl/tensor minor releases @dl/tensor alone: the packages depending on it keep their versions (not 1.0.0)', () => {
    const before = manifests();
    addChangeset('tensor-minor-a', { '@dl/tensor': 'minor' }, 'A new op.');
    changesetVersion();
    const after = manifests();
    expect(after.get('@dl/tensor')!.version).toBe(bump(before.get('@dl/tensor')!.version, 'minor'));
    for (const [name, m] of before) {
      if (name !== '@dl/tensor') expect(after.get(name)!.version, name).toBe(m.version);
      expect(after.get(name)!.peerDependencies, name).toEqual(m.peerDependencies);
    }
    expectPeerRangesHold(after);
  });

  it('a second @dl/tensor minor: the same (it took them to 2.0.0 before)', () => {
    const before = manifests();
    addChangeset('tensor-minor-b', { '@dl/tensor': 'minor' }, 'Another op.');
    changesetVersion();
    const after = manifests();
    expect(after.get('@dl/tensor')!.version).toBe(bump(before.get('@dl/tensor')!.version, 'minor'));
    for (const [name, m] of before) if (name !== '@dl/tensor') expect(after.get(name)!.version, name).toBe(m.version);
    expectPeerRangesHold(after);
  });

  it('a @dl/tensor minor beside a sibling patch: the sibling gets its patch, its peer range stays', () => {
    const before = manifests();
    addChangeset('tensor-minor-c', { '@dl/tensor': 'minor' }, 'A third op.');
    addChangeset('optim-patch', { '@dl/optim': 'patch' }, 'An optimizer fix.');
    changesetVersion();
    const after = manifests();
    expect(after.get('@dl/tensor')!.version).toBe(bump(before.get('@dl/tensor')!.version, 'minor'));
    expect(after.get('@dl/optim')!.version).toBe(bump(before.get('@dl/optim')!.version, 'patch'));
    expect(after.get('@dl/optim')!.peerDependencies).toEqual(before.get('@dl/optim')!.peerDependencies);
    for (const name of ['@dl/autograd', '@dl/regularize', '@dl/cnn', '@dl/rnn', '@dl/gnn', '@dl/attention']) expect(after.get(name)!.version, name).toBe(before.get(name)!.version);
    expectPeerRangesHold(after);
  });
});

// Why the config carries onlyUpdatePeerDependentsWhenOutOfRange: without it,
// changesets makes every dependent a major whenever a peer dependency gets a
// minor, in range or not — the 1.0.0 / 2.0.0 of issue 16.
describe('the same changesets without onlyUpdatePeerDependentsWhenOutOfRange', () => {
  it('would release every package depending on @dl/tensor as 1.0.0', () => {
    const dir = makeScratch();
    try {
      const configFile = join(dir, '.changeset', 'config.json');
      const config = JSON.parse(readFileSync(configFile, 'utf8'));
      expect(config.___experimentalUnsafeOptions_WILL_CHANGE_IN_PATCH).toEqual({ onlyUpdatePeerDependentsWhenOutOfRange: true });
      delete config.___experimentalUnsafeOptions_WILL_CHANGE_IN_PATCH;
      writeFileSync(configFile, JSON.stringify(config));
      writeFileSync(join(dir, '.changeset', 'tensor-minor.md'), "---\n'@dl/tensor': minor\n---\n\nA new op.\n");
      changesetVersion(dir);
      for (const name of ['autograd', 'optim', 'regularize', 'cnn', 'rnn', 'gnn', 'attention']) {
        expect(JSON.parse(readFileSync(join(dir, 'packages', name, 'package.json'), 'utf8')).version, name).toBe('1.0.0');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// npm's own resolver on manifests shaped like the releases above: the
// siblings as released first, then a newer @dl/tensor installed beside them
// (`npm i @dl/tensor@latest`), then `npm ls`, which fails on any unmet peer
// range. The tarballs carry a manifest and an empty index.js: resolution
// reads nothing else.
describe('npm resolving a newer @dl/tensor beside siblings released before it', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dl-peer-ranges-'));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const npm = (cwd: string, args: string[]) => spawnSync('npm', args, { cwd, env: cleanEnv(), encoding: 'utf8' });

  function scenario(label: string, peerRange: string) {
    const base = join(dir, label);
    const project = join(base, 'app');
    mkdirSync(project, { recursive: true });
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: label, private: true }));
    const siblings = manifests();
    const specs: [string, string, Record<string, string> | undefined][] = [
      ['@dl/tensor', '0.1.0', undefined],
      ['@dl/tensor', '0.4.0', undefined],
      ...['@dl/autograd', '@dl/optim', '@dl/regularize', '@dl/cnn', '@dl/rnn', '@dl/gnn', '@dl/attention'].map((name): [string, string, Record<string, string>] => [name, siblings.get(name)!.version, { '@dl/tensor': peerRange }]),
    ];
    const dirs = specs.map(([name, version, peerDependencies]) => {
      const pkgDir = join(base, 'src', `${name.replace('/', '-')}-${version}`);
      mkdirSync(pkgDir, { recursive: true });
      writeFileSync(join(pkgDir, 'package.json'), JSON.stringify({ name, version, main: 'index.js', peerDependencies }));
      writeFileSync(join(pkgDir, 'index.js'), '');
      return pkgDir;
    });
    const packed = npm(base, ['pack', '--ignore-scripts', '--pack-destination', base, ...dirs]);
    expect(packed.status, packed.stderr).toBe(0);
    const tgz = packed.stdout.trim().split('\n').map((f) => join(base, f));
    const flags = ['--offline', '--no-audit', '--no-fund', '--strict-peer-deps', '--ignore-scripts'];
    const first = npm(project, ['install', ...flags, tgz[0]!, ...tgz.slice(2)]);
    expect(first.status, first.stderr).toBe(0);
    const newer = npm(project, ['install', ...flags, tgz[1]!]);
    expect(newer.status, newer.stderr).toBe(0);
    const installed = JSON.parse(readFileSync(join(project, 'node_modules', '@dl', 'tensor', 'package.json'), 'utf8')).version;
    return { installed, warnings: newer.stderr, ls: npm(project, ['ls', '--all', '--offline']) };
  }

  it('the policy\'s range (as published): tensor 0.4.0 installs beside siblings released with 0.1.0, every peer satisfied', () => {
    const range = published(manifests().get('@dl/optim')!.peerDependencies!['@dl/tensor']!);
    const { installed, warnings, ls } = scenario('policy', range);
    expect(installed).toBe('0.4.0');
    expect(warnings).not.toContain('ERESOLVE');
    expect(ls.status, ls.stdout + ls.stderr).toBe(0);
  });

  it('a caret range (what `workspace:^` published) does not: ERESOLVE, and npm ls reports the peer invalid', () => {
    const { warnings, ls } = scenario('caret', '^0.1.0');
    expect(warnings).toContain('ERESOLVE overriding peer dependency');
    expect(ls.status).not.toBe(0);
    expect(ls.stdout).toContain('invalid: "^0.1.0"');
  });
});
