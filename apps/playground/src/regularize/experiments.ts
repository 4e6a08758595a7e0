/**
 * Over-fitting experiments for @dl/regularize on real MNIST with a small
 * training set. Prints a markdown table (the one in packages/regularize/README.md).
 *
 *   pnpm --filter @dl/playground regularize                # full run (a few minutes)
 *   pnpm --filter @dl/playground regularize -- --quick     # smoke run
 *   pnpm --filter @dl/playground regularize -- --only bn   # only the batch-norm experiment
 *   pnpm --filter @dl/playground regularize -- --only ensemble   # only the ensembles (ensemble-experiment.ts)
 *
 * Every model is an MLP trained with plain mini-batch SGD (no momentum) and
 * cross-entropy, from a fixed seed. Train accuracy is measured in eval mode on
 * the un-augmented training images; test accuracy on the 10 000 MNIST test images.
 */
import { Command, Option } from 'commander';
import { backward } from '@dl/autograd';
import { Generator, crossEntropy } from '@dl/tensor';
import { type Augmentation, Compose, EarlyStopping, RandomRotation, RandomScale, RandomShift } from '@dl/regularize';
import { loadMnist } from '../data/mnist.js';
import { ensembleExperiment } from './ensemble-experiment.js';
import { BASELINE, type NetSpec, type Split, accuracy, batchOf, buildNet, pct, sgdEpoch, sgdStep, slice } from './setup.js';

interface GapConfig {
  name: string;
  net: NetSpec;
  weightDecay?: number;
  augment?: Augmentation;
}

interface GapResult {
  name: string;
  train: number;
  test: number;
  seconds: number;
  /** Early stopping on the validation split (only for the baseline). */
  early?: { stopEpoch: number; bestEpoch: number; bestVal: number; restoredTest: number; restoredTrain: number };
}

interface Settings {
  epochs: number;
  batchSize: number;
  lr: number;
  seed: number;
  patience: number;
}

function trainGap(cfg: GapConfig, train: Split, val: Split, test: Split, st: Settings, withEarlyStopping: boolean): GapResult {
  const g = new Generator(st.seed);
  const model = buildNet(cfg.net, g);
  model.train();
  const t0 = performance.now();
  const stopper = withEarlyStopping ? new EarlyStopping({ patience: st.patience, mode: 'max' }) : null;
  let early: GapResult['early'];
  for (let epoch = 1; epoch <= st.epochs; epoch++) {
    sgdEpoch(model, train, g, { batchSize: st.batchSize, lr: st.lr, augment: cfg.augment, weightDecay: cfg.weightDecay });
    if (stopper && !early && stopper.step(accuracy(model, val), model).stop) {
      // Evaluate the restored best weights on a copy, so the baseline run can continue to the full budget.
      const copy = buildNet(cfg.net, new Generator(0));
      stopper.restoreBest(copy);
      early = {
        stopEpoch: epoch,
        bestEpoch: stopper.bestEpoch,
        bestVal: stopper.bestValue,
        restoredTest: accuracy(copy, test),
        restoredTrain: accuracy(copy, train),
      };
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  return { name: cfg.name, train: accuracy(model, train), test: accuracy(model, test), seconds, ...(early ? { early } : {}) };
}

interface BnResult {
  name: string;
  lr: number;
  steps: number | null;
  finalTest: number;
  seconds: number;
}

/** Steps of SGD until accuracy on `probe` first reaches `target` (checked every `every` steps). */
function stepsToAccuracy(name: string, net: NetSpec, lr: number, train: Split, probe: Split, target: number, maxSteps: number, every: number, seed: number): BnResult {
  const g = new Generator(seed);
  const model = buildNet(net, g);
  model.train();
  const t0 = performance.now();
  let step = 0;
  let reached: number | null = null;
  while (step < maxSteps && reached === null) {
    const order = g.permutation(train.count);
    for (let from = 0; from + 50 <= train.count && step < maxSteps; from += 50) {
      const { x, y } = batchOf(train, order.subarray(from, from + 50), undefined, g);
      const loss = crossEntropy(model.forward(x), y);
      model.zeroGrad();
      backward(loss);
      sgdStep(model, lr);
      step++;
      if (step % every === 0 && accuracy(model, probe) >= target) {
        reached = step;
        break;
      }
    }
  }
  return { name, lr, steps: reached, finalTest: accuracy(model, probe), seconds: (performance.now() - t0) / 1000 };
}

/** Which experiments to run: the over-fitting table (with early stopping), the batch-norm steps-to-accuracy table, the ensembles. */
const EXPERIMENTS = ['gap', 'bn', 'ensemble'] as const;
type Experiment = (typeof EXPERIMENTS)[number];

function parseArgs(): { quick: boolean; only?: Experiment } {
  const program = new Command()
    .name('regularize')
    .description('Over-fitting, batch-norm and ensemble experiments for @dl/regularize on real MNIST.')
    .option('--quick', 'smoke run: tiny budgets, one seed')
    .addOption(new Option('--only <experiment>', 'run only one experiment').choices(EXPERIMENTS));
  // `pnpm regularize -- --quick` forwards the `--` itself; drop it so the options still parse.
  program.parse(process.argv.filter((a, i) => !(a === '--' && i === 2)));
  const o = program.opts<{ quick?: boolean; only?: Experiment }>();
  return { quick: o.quick === true, ...(o.only ? { only: o.only } : {}) };
}

async function main(): Promise<void> {
  const { quick, only } = parseArgs();
  const t0 = performance.now();
  const all = await loadMnist({ split: 'train', limit: 12_000 });
  const testAll = await loadMnist({ split: 'test' });
  const full: Split = { images: all.images, labels: all.labels, count: all.count };
  const seeds = quick ? [1] : [1, 2];
  const run = (e: Experiment) => only === undefined || only === e;
  if (run('gap')) gapExperiments(full, testAll, quick, seeds);
  if (run('bn')) batchNormExperiment(full, testAll, quick, seeds);
  if (run('ensemble')) ensembleExperiment(full, testAll, quick, seeds);
  console.log(`\nTotal ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}

/** Train/test accuracy and gap for each regularizer on 1 000 training images, plus early stopping inside the baseline. */
function gapExperiments(full: Split, testAll: Split, quick: boolean, seeds: readonly number[]): void {
  const train = slice(full, 0, 1000);
  const val = slice(full, 1000, 2000);
  const test: Split = quick ? slice(testAll, 0, 2000) : { images: testAll.images, labels: testAll.labels, count: testAll.count };
  const st: Settings = { epochs: quick ? BASELINE.quickEpochs : BASELINE.epochs, batchSize: BASELINE.batchSize, lr: BASELINE.lr, seed: 1, patience: 10 };

  const relu = BASELINE.net;
  const augment = new Compose([new RandomShift({ maxFraction: 2 / 28 }), new RandomRotation({ degrees: 10 }), new RandomScale({ range: [0.9, 1.1] })]);
  const configs: GapConfig[] = [
    { name: 'baseline (no regularization)', net: relu },
    { name: 'dropout (input 0.2, hidden 0.5)', net: { ...relu, inputDropout: 0.2, hiddenDropout: 0.5 } },
    { name: 'decoupled weight decay 5e-3', net: relu, weightDecay: 5e-3 },
    { name: 'decoupled weight decay 5e-2', net: relu, weightDecay: 5e-2 },
    { name: 'augmentation (shift ±2 px, rotate ±10°, scale 0.9–1.1)', net: relu, augment },
  ];
  console.log(`MNIST: ${train.count} training images, ${val.count} validation, ${test.count} test; MLP 784-256-256-10 ReLU, SGD lr ${st.lr}, batch ${st.batchSize}, ${st.epochs} epochs; mean over seeds ${seeds.join(', ')} (per-seed values in brackets)\n`);
  console.log('| setting | train acc | test acc | gap (train − test) | time / run |');
  console.log('|---|---:|---:|---:|---:|');
  const earlies: NonNullable<GapResult['early']>[] = [];
  const fmt = (vs: number[]) => `${pct(vs.reduce((a, b) => a + b, 0) / vs.length)}${vs.length > 1 ? ` [${vs.map(pct).join(', ')}]` : ''}`;
  for (const [i, cfg] of configs.entries()) {
    const rs = seeds.map((seed) => trainGap(cfg, train, val, test, { ...st, seed }, i === 0));
    for (const r of rs) if (r.early) earlies.push(r.early);
    const gaps = rs.map((r) => r.train - r.test);
    const gapMean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    console.log(
      `| ${cfg.name} | ${fmt(rs.map((r) => r.train))} | ${fmt(rs.map((r) => r.test))} | ${(100 * gapMean).toFixed(1)} pts | ${(rs.reduce((a, r) => a + r.seconds, 0) / rs.length).toFixed(0)} s |`,
    );
  }
  console.log(`\nEarly stopping on the baseline (patience ${st.patience} epochs on validation accuracy, ${val.count} held-out training images):`);
  if (earlies.length === 0) console.log(`  did not trigger within ${st.epochs} epochs.`);
  for (const [k, e] of earlies.entries()) {
    console.log(`  seed ${seeds[k]}: stopped after epoch ${e.stopEpoch}, best epoch ${e.bestEpoch} (validation ${pct(e.bestVal)}); restored weights: train ${pct(e.restoredTrain)}, test ${pct(e.restoredTest)}`);
  }
}

/**
 * Batch norm on deep sigmoid and ReLU MLPs: steps of SGD (batch 50) to reach a test accuracy, per seed.
 * Both activations share sizes, data, learning rates and seeds, so "batch norm helps sigmoid most" can be checked.
 */
function batchNormExperiment(full: Split, testAll: Split, quick: boolean, seeds: readonly number[]): void {
  const bnTrain = slice(full, 2000, quick ? 4000 : 12_000);
  const probe = slice(testAll, 0, 2000);
  const target = quick ? 0.5 : 0.9;
  const maxSteps = quick ? 100 : 3000;
  const every = 25;
  console.log(
    `\nMLP 784-100-100-100-10 (sigmoid or ReLU), ${bnTrain.count} training images, batch 50: SGD steps until accuracy on ${probe.count} test images ≥ ${pct(target)} (checked every ${every} steps, at most ${maxSteps}); seeds ${seeds.join(', ')} (per-seed values in brackets; mean only where every seed reached the target).\n`,
  );
  console.log('| model | lr | steps to target | mean steps | accuracy at stop | time / run |');
  console.log('|---|---:|---:|---:|---:|---:|');
  const label = { sigmoid: 'sigmoid', relu: 'ReLU' } as const;
  for (const activation of ['sigmoid', 'relu'] as const) {
    const plain: NetSpec = { hidden: [100, 100, 100], activation };
    for (const lr of [0.1, 1.0]) {
      for (const [name, net] of [[label[activation], plain], [`${label[activation]} + BatchNorm1d`, { ...plain, batchNorm: true }]] as const) {
        const rs = seeds.map((seed) => stepsToAccuracy(name, net, lr, bnTrain, probe, target, maxSteps, every, seed));
        const steps = rs.map((r) => r.steps);
        const reached = steps.filter((s): s is number => s !== null);
        const mean = reached.length === steps.length ? (reached.reduce((a, b) => a + b, 0) / reached.length).toFixed(0) : '—';
        console.log(
          `| ${name} | ${lr} | [${steps.map((s) => s ?? `not reached in ${maxSteps}`).join(', ')}] | ${mean} | [${rs.map((r) => pct(r.finalTest)).join(', ')}] | ${(rs.reduce((a, r) => a + r.seconds, 0) / rs.length).toFixed(0)} s |`,
        );
      }
    }
  }
}

await main();
