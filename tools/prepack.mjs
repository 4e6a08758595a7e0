// `prepack` of every published package (run in its folder by `pnpm pack`,
// `pnpm publish` and so `changeset publish`): refuse to pack a tarball that
// would not work.
//
// - Only pnpm packs. pnpm rewrites `workspace:` ranges to real ones and
//   applies publishConfig.exports (the exports map without the workspace-only
//   `@dl/source` condition, whose src/ is not shipped); `npm pack` or
//   `npm publish` would ship `workspace:>=0.0.0 <1` and a condition pointing
//   at missing files.
// - The build is there: every file the published exports map, main, module
//   and types name exists (a tarball packed before `pnpm build` has no code).
// - LICENSE and README.md are in the folder.
import { existsSync, readFileSync, statSync } from 'node:fs';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const pnpm = `npx -y ${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).packageManager}`;
const problems = [];

const agent = process.env.npm_config_user_agent ?? '';
if (!agent.startsWith('pnpm/')) {
  problems.push(
    `packed by '${agent.split(' ')[0] || 'an unknown tool'}', not pnpm: only pnpm replaces the workspace: ranges and the ` +
      `workspace-only exports map. Use \`${pnpm} pack\` (or \`${pnpm} release\` at the root to publish)`,
  );
}

const targets = new Set([pkg.main, pkg.module, pkg.types].filter(Boolean));
const walk = (value) => {
  if (typeof value === 'string') targets.add(value);
  else if (value && typeof value === 'object') Object.values(value).forEach(walk);
};
walk(pkg.publishConfig?.exports ?? pkg.exports);
for (const target of targets) {
  if (target.endsWith('package.json')) continue;
  if (!existsSync(target) || statSync(target).size === 0) {
    problems.push(`${target} is missing or empty: build first (\`${pnpm} build\` at the repository root)`);
  }
}
for (const file of ['LICENSE', 'README.md']) {
  if (!existsSync(file)) problems.push(`${file} is missing`);
}

if (problems.length > 0) {
  console.error(`${pkg.name}: refusing to pack:\n  - ${problems.join('\n  - ')}`);
  process.exit(1);
}
