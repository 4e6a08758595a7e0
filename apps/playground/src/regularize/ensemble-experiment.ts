/**
 * Ensembles on 1 000 MNIST training images: one MLP against averaging K
 * independently initialized MLPs, bagging (averaged and by majority vote) and
 * AdaBoost SAMME over small MLPs. Every member's own test accuracy is reported
 * too, so the table shows what combining adds over the members themselves.
 *
 *   pnpm --filter @dl/playground regularize -- --only ensemble [--quick]
 */
import { Generator, Tensor } from '@dl/tensor';
import { adaBoostSamme, bagging } from '@dl/regularize';
import { standardize } from '../mnist/standardize.js';
import { boostedAccuracy, classAccuracy, ensembleAccuracy, meanSpread } from './ensemble-accuracy.js';
import { BASELINE, type EpochOptions, FEATURES, type Net, type NetSpec, type Split, buildNet, logitsOf, pct, sgdEpoch, slice } from './setup.js';

/** Weak learners for boosting: one hidden layer of 32 ReLUs, trained briefly, so they still err on the training set. */
const WEAK: NetSpec = { hidden: [32], activation: 'relu' };

interface Settings {
  /** Members per ensemble (boosting rounds at most). */
  k: number;
  epochs: number;
  weakEpochs: number;
}

/** An MLP of `spec` initialized from `g`, then trained for `epochs` epochs of SGD shuffled by `g`. */
function fit(spec: NetSpec, g: Generator, train: Split, epochs: number, extra: Pick<EpochOptions, 'rows' | 'sampleWeight'> = {}): Net {
  const model = buildNet(spec, g);
  model.train();
  for (let e = 0; e < epochs; e++) sgdEpoch(model, train, g, { batchSize: BASELINE.batchSize, lr: BASELINE.lr, ...extra });
  return model;
}

/** One ensemble's result on one seed. */
interface Run {
  ensemble: number;
  members: number[];
  seconds: number;
}

/** Per seed: the single baseline, averaging, bagging (average and vote) and AdaBoost. */
interface SeedRuns {
  single: Run;
  averaging: Run;
  baggingAverage: Run;
  baggingVote: Run;
  boosting: Run;
  boost: { alphas: number[]; errors: number[] };
}

function runSeed(seed: number, train: Split, test: Split, st: Settings): SeedRuns {
  const yTest = new Tensor(test.labels, [test.count]);
  const timed = <T>(f: () => T): [T, number] => {
    const t0 = performance.now();
    return [f(), (performance.now() - t0) / 1000];
  };
  // One line per trained model on stderr, so the markdown on stdout stays clean.
  const member = (what: string, model: Net, t0: number): Tensor => {
    const logits = logitsOf(model, test);
    process.stderr.write(`  seed ${seed} ${what}: test ${pct(classAccuracy(logits, yTest))} (${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);
    return logits;
  };
  const trainAndLog = (what: string, trainIt: () => Net): Tensor => {
    const t0 = performance.now();
    return member(what, trainIt(), t0);
  };
  // Member k of averaging and of bagging share their initialization and shuffling seed, so bagging differs only by its resamples.
  const memberSeed = (k: number) => 100 * seed + k;

  const [single, singleSeconds] = timed(() => trainAndLog('single MLP', () => fit(BASELINE.net, new Generator(seed), train, st.epochs)));
  const [avgLogits, avgSeconds] = timed(() =>
    Array.from({ length: st.k }, (_, k) => trainAndLog(`averaging member ${k + 1}/${st.k}`, () => fit(BASELINE.net, new Generator(memberSeed(k)), train, st.epochs))),
  );
  const [bagLogits, bagSeconds] = timed(
    () =>
      bagging({
        numSamples: train.count,
        estimators: st.k,
        generator: new Generator(100 * seed + 99),
        train: (rows, k) => trainAndLog(`bagging member ${k + 1}/${st.k}`, () => fit(BASELINE.net, new Generator(memberSeed(k)), train, st.epochs, { rows })),
      }).models,
  );
  const xTrain = new Tensor(standardize(train.images), [train.count, FEATURES]);
  const [boosted, boostSeconds] = timed(() => {
    const logits: Tensor[] = [];
    const boost = adaBoostSamme<Net>({
      x: xTrain,
      y: new Tensor(train.labels, [train.count]),
      numClasses: 10,
      rounds: st.k,
      train: (sampleWeight, r) => {
        const t0 = performance.now();
        const model = fit(WEAK, new Generator(100 * seed + 50 + r), train, st.weakEpochs, { sampleWeight });
        logits.push(member(`AdaBoost round ${r + 1}/${st.k}`, model, t0));
        return model;
      },
      predict: (m, x) => m.forward(x),
    });
    // A learner no better than chance is dropped: keep only the logits of the members that vote.
    const kept = logits.slice(0, boost.models.length);
    return { boost, kept };
  });

  const avg = ensembleAccuracy(avgLogits, yTest);
  const bag = ensembleAccuracy(bagLogits, yTest);
  const boostMembers = boosted.kept.map((l) => classAccuracy(l, yTest));
  return {
    single: { ensemble: classAccuracy(single, yTest), members: [classAccuracy(single, yTest)], seconds: singleSeconds },
    averaging: { ensemble: avg.average, members: avg.members, seconds: avgSeconds },
    baggingAverage: { ensemble: bag.average, members: bag.members, seconds: bagSeconds },
    baggingVote: { ensemble: bag.vote, members: bag.members, seconds: bagSeconds },
    boosting: { ensemble: boostedAccuracy(boosted.boost, boosted.kept, yTest), members: boostMembers, seconds: boostSeconds },
    boost: { alphas: boosted.boost.alphas, errors: boosted.boost.errors },
  };
}

/** Prints the ensemble table (markdown) for `seeds` on the first 1 000 training images and the test set (its first 2 000 images when quick). */
export function ensembleExperiment(full: Split, testAll: Split, quick: boolean, seeds: readonly number[]): void {
  const train = slice(full, 0, 1000);
  const test = quick ? slice(testAll, 0, 2000) : testAll;
  const st: Settings = { k: quick ? 3 : 5, epochs: quick ? BASELINE.quickEpochs : BASELINE.epochs, weakEpochs: quick ? 2 : 10 };
  const weakName = `784-${WEAK.hidden.join('-')}-10`;
  console.log(
    `\nEnsembles: ${train.count} training images, ${test.count} test; members are MLPs 784-256-256-10 ReLU (SGD lr ${BASELINE.lr}, batch ${BASELINE.batchSize}, ${st.epochs} epochs) unless noted; K = ${st.k}; seeds ${seeds.join(', ')}: mean ± half the range [per seed].\n`,
  );
  const t0 = performance.now();
  const runs = seeds.map((seed) => runSeed(seed, train, test, st));
  const rows: [string, (r: SeedRuns) => Run][] = [
    ['single MLP (the gap baseline)', (r) => r.single],
    [`averaging ${st.k} independently initialized MLPs (mean of softmax)`, (r) => r.averaging],
    [`bagging ${st.k} bootstrap resamples, averaged (mean of softmax)`, (r) => r.baggingAverage],
    [`bagging ${st.k} bootstrap resamples, majority vote`, (r) => r.baggingVote],
    [`AdaBoost SAMME, ${st.k} rounds of ${weakName} (${st.weakEpochs} epochs, weighted cross-entropy)`, (r) => r.boosting],
  ];
  const fmt = (vs: number[]) => {
    const { mean, spread } = meanSpread(vs);
    return vs.length > 1 ? `${pct(mean)} ± ${(100 * spread).toFixed(1)} [${vs.map(pct).join(', ')}]` : pct(mean);
  };
  console.log('| ensemble | members | test acc (ensemble) | member alone (mean of members) | gain over its members | best member alone | time / ensemble |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const [name, pick] of rows) {
    const rs = runs.map(pick);
    const memberMeans = rs.map((r) => meanSpread(r.members).mean);
    const gain = meanSpread(rs.map((r, i) => r.ensemble - memberMeans[i]!)).mean;
    const sizes = [...new Set(rs.map((r) => r.members.length))].join(' / ');
    const several = rs[0]!.members.length > 1;
    console.log(
      `| ${name} | ${sizes} | ${fmt(rs.map((r) => r.ensemble))} | ${fmt(memberMeans)} | ${several ? `${gain >= 0 ? '+' : ''}${(100 * gain).toFixed(1)} pts` : '—'} | ${several ? fmt(rs.map((r) => Math.max(...r.members))) : '—'} | ${meanSpread(rs.map((r) => r.seconds)).mean.toFixed(0)} s |`,
    );
  }
  console.log('\nAdaBoost rounds (weighted training error → vote α):');
  for (const [i, r] of runs.entries()) {
    const rounds = r.boost.errors.map((e, k) => `${pct(e)} → ${r.boost.alphas[k]!.toFixed(2)}`).join(', ');
    console.log(`  seed ${seeds[i]}: ${rounds}; members alone on test [${r.boosting.members.map(pct).join(', ')}]`);
  }
  console.log(`\nEnsemble experiment: ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}
