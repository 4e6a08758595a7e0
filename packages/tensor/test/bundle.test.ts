import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

// What an app's bundler keeps of the built package: the WebAssembly kernels
// (≈124 kB of base64) only when an op can run. Every module-level op or
// kernel declaration is marked free of side effects (@__NO_SIDE_EFFECTS__)
// and backends initialise on first use, so one unmarked factory call at
// module level would pull in everything — which this test catches.
const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));

async function bundle(imports: string, use: string): Promise<string> {
  const result = await build({
    stdin: { contents: `import { ${imports} } from ${JSON.stringify(dist)};\n${use}\n`, resolveDir: '.', loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

describe('tree-shaking the built package', () => {
  it('leaves the kernels and the embedded WebAssembly out of a bundle that only draws random numbers', async () => {
    expect(existsSync(dist), 'build @dl/tensor first (the README test command does)').toBe(true);
    const code = await bundle('Generator', 'console.log(new Generator(1).random());');
    expect(code).not.toContain('AGFzbQ'); // base64 of the "\0asm" header
    expect(code.length).toBeLessThan(20_000);
  }, 60_000);

  it('keeps them where an op runs (so the first test measures something)', async () => {
    const code = await bundle('matmul, rand', 'console.log(matmul(rand([2, 2]), rand([2, 2])).data);');
    expect(code).toContain('AGFzbQ');
  }, 60_000);
});
