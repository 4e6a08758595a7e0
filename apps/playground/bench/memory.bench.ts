/**
 * Memory of a long training loop: 10,000 steps of the MNIST MLP (784-256-10,
 * batch 64, SGD) in dl and in TensorFlow.js layers (wasm backend), each in its
 * own process so their numbers do not mix. dl has no dispose(): tensors are
 * garbage-collected, and the WebAssembly kernels keep only scratch memory, so
 * memory must stay flat. TensorFlow.js frees tensors inside `tidy` and
 * `trainOnBatch` by reference counting.
 *
 *   pnpm --filter @dl/playground bench:memory                 # 10,000 steps each
 *   pnpm --filter @dl/playground bench:memory -- --steps 2000
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import cliProgress from 'cli-progress';

interface Sample {
  step: number;
  rss: number;
  /** JS heap plus ArrayBuffer storage after a full GC: what is actually alive. */
  live: number;
  /** The library's own native/wasm memory (dl: kernel scratch; tfjs: bytes in its tensors). */
  own: number;
}

const program = new Command()
  .option('--steps <n>', 'training steps per library', (v) => Number.parseInt(v, 10), 10000)
  .option('--child <lib>', 'internal: run one library in this process')
  .parse(process.argv.filter((a) => a !== '--'));
const opts = program.opts<{ steps: number; child?: 'dl' | 'tfjs' }>();
const EVERY = 250;

if (opts.child) await child(opts.child, opts.steps);
else await parent(opts.steps);

async function parent(steps: number): Promise<void> {
  const bar = new cliProgress.SingleBar({ format: '{lib} [{bar}] {value}/{total} steps | rss {rss} MB' }, cliProgress.Presets.shades_classic);
  const results = new Map<string, Sample[]>();
  for (const lib of ['dl', 'tfjs'] as const) {
    const samples: Sample[] = [];
    bar.start(steps, 0, { lib: lib.padEnd(4), rss: '—' });
    await new Promise<void>((resolve, reject) => {
      const proc = spawn(process.execPath, [...process.execArgv, '--expose-gc', fileURLToPath(import.meta.url), '--child', lib, '--steps', String(steps)], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let buf = '';
      proc.stdout.on('data', (chunk: Buffer) => {
        buf += chunk.toString();
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          if (!line.startsWith('{')) continue;
          const s = JSON.parse(line) as Sample;
          samples.push(s);
          bar.update(s.step, { lib: lib.padEnd(4), rss: (s.rss / 2 ** 20).toFixed(0) });
        }
      });
      proc.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${lib} child exited with ${code}`))));
    });
    bar.stop();
    results.set(lib, samples);
  }
  const mb = (x: number): string => (x / 2 ** 20).toFixed(1);
  console.log(`\nMemory over ${steps.toLocaleString('en-US')} training steps (MB; "live" = JS heap + ArrayBuffers after a full GC)\n`);
  const marks = [0.05, 0.25, 0.5, 0.75, 1].map((f) => Math.round((f * steps) / EVERY) * EVERY);
  console.log(`| library | peak rss | ${marks.map((m) => `live at ${m.toLocaleString('en-US')}`).join(' | ')} | library-owned at end |`);
  console.log(`|---|---|${marks.map(() => '---').join('|')}|---|`);
  for (const [lib, s] of results) {
    const at = (step: number): Sample => s.find((x) => x.step >= step) ?? s[s.length - 1]!;
    const peak = Math.max(...s.map((x) => x.rss));
    console.log(`| ${lib === 'dl' ? 'dl' : 'tfjs-layers wasm'} | ${mb(peak)} | ${marks.map((m) => mb(at(m).live)).join(' | ')} | ${mb(s[s.length - 1]!.own)} |`);
  }
}

async function child(lib: 'dl' | 'tfjs', steps: number): Promise<void> {
  const { loadMnist } = await import('../src/data/mnist.js');
  const { batches } = await import('../src/mnist/batches.js');
  const { standardize } = await import('../src/mnist/train.js');
  const raw = await loadMnist({ split: 'train' });
  const data = { inputs: standardize(raw.images), labels: raw.labels, count: raw.count, features: 784 };
  const gc = (globalThis as { gc?: () => void }).gc!;
  const report = (step: number, own: number): void => {
    gc();
    const m = process.memoryUsage();
    process.stdout.write(`${JSON.stringify({ step, rss: m.rss, live: m.heapUsed + m.arrayBuffers, own })}\n`);
  };
  if (lib === 'dl') {
    const { Generator, crossEntropy, noGrad, wasmInfo, wasmThreadsReady } = await import('@dl/tensor');
    const { backward } = await import('@dl/autograd');
    const { mlp } = await import('../src/mnist/model.js');
    await wasmThreadsReady();
    const generator = new Generator(0);
    const model = mlp([784, 256, 10], generator);
    let step = 0;
    while (step < steps) {
      for (const { x, y } of batches(data, 64, { shuffle: true, generator, dropLast: true })) {
        const loss = crossEntropy(model.forward(x), y);
        model.zeroGrad();
        backward(loss);
        noGrad(() => {
          for (const p of model.parameters()) p.addInPlace_(p.grad!, -0.1);
        });
        loss.item();
        if (++step % EVERY === 0) report(step, wasmInfo().memoryBytes);
        if (step >= steps) break;
      }
    }
  } else {
    const tf = await import('@tensorflow/tfjs-core');
    const tfl = await import('@tensorflow/tfjs-layers');
    const { initTfjs } = await import('../../../tools/bench/tfjs.js');
    const { Generator } = await import('@dl/tensor');
    await initTfjs('wasm');
    const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [784], units: 256, activation: 'relu' }), tfl.layers.dense({ units: 10 })] });
    model.compile({ optimizer: tf.train.sgd(0.1), loss: (a: import('@tensorflow/tfjs-core').Tensor, b: import('@tensorflow/tfjs-core').Tensor) => tf.losses.softmaxCrossEntropy(a, b) });
    const generator = new Generator(0);
    let step = 0;
    while (step < steps) {
      for (const { x, y } of batches(data, 64, { shuffle: true, generator, dropLast: true })) {
        const xs = tf.tensor2d(x.data as Float32Array, [64, 784]);
        const ys = tf.tidy(() => tf.oneHot(tf.tensor1d(y.data as Int32Array, 'int32'), 10));
        await model.trainOnBatch(xs, ys);
        xs.dispose();
        ys.dispose();
        if (++step % EVERY === 0) report(step, tf.memory().numBytes);
        if (step >= steps) break;
      }
    }
  }
  process.exit(0);
}
