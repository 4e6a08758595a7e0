// The house rule of DESIGN §1, checked on every test run: a package in
// packages/ may depend at run time (dependencies, peerDependencies,
// optionalDependencies) on @dl/tensor and on no other sibling. Siblings are
// fine as devDependencies (cross-package tests).
// The @dl/tensor peer range follows the versioning policy (RELEASING.md):
// `workspace:>=0.N.P <1`, satisfied by the workspace's @dl/tensor, so a
// tensor minor release stays inside it and never forces a major on dependents.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { policyRangeAdmits } from './pack.mjs';

const root = new URL('..', import.meta.url).pathname;
const problems = [];
let checked = 0;
const tensorVersion = JSON.parse(readFileSync(join(root, 'packages', 'tensor', 'package.json'), 'utf8')).version;
for (const name of readdirSync(join(root, 'packages'))) {
  const file = join(root, 'packages', name, 'package.json');
  if (!existsSync(file)) continue;
  const pkg = JSON.parse(readFileSync(file, 'utf8'));
  checked++;
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const dep of Object.keys(pkg[field] ?? {})) {
      if (dep.startsWith('@dl/') && dep !== '@dl/tensor') {
        problems.push(`${pkg.name}: ${field} names ${dep}; only @dl/tensor is allowed at run time (use devDependencies for tests)`);
      }
    }
  }
  if (pkg.name !== '@dl/tensor' && pkg.dependencies?.['@dl/tensor']) {
    problems.push(`${pkg.name}: @dl/tensor must be a peerDependency (one copy per app), not a dependency`);
  }
  const peer = pkg.peerDependencies?.['@dl/tensor'];
  if (peer !== undefined && (!peer.startsWith('workspace:') || !policyRangeAdmits(peer, tensorVersion))) {
    problems.push(
      `${pkg.name}: peer range on @dl/tensor is '${peer}'; RELEASING.md's policy wants 'workspace:>=0.N.P <1' admitting the workspace's @dl/tensor ${tensorVersion} (a caret range makes every tensor minor a major of ${pkg.name})`,
    );
  }
}
if (problems.length > 0) {
  console.error(`sibling dependency check failed:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`sibling dependency check: ${checked} packages, each depends at run time on @dl/tensor only, as a peer in the policy's range`);
