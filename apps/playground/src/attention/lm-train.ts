/**
 * The training loop both attention commands share: AdamW with decoupled
 * weight decay on matrices only, linear warm-up then cosine decay, gradient
 * clipping, next-token cross-entropy, periodic evaluation.
 *
 * @packageDocumentation
 */
import { backward } from '@dl/autograd';
import { AdamW, clipGradNorm } from '@dl/optim';
import { type Tensor, crossEntropy, noGrad, reshape } from '@dl/tensor';
import type { Gpt } from './gpt.js';

/** A batch: int32 inputs `[N, T]`, int32 targets `[N, T]` (−100: not counted), as PyTorch's ignore index. */
export interface LmBatch {
  x: Tensor;
  y: Tensor;
}

/** Hyper-parameters of {@link trainLm}. */
export interface LmTrainConfig {
  steps: number;
  lr: number;
  minLr: number;
  warmup: number;
  weightDecay: number;
  clip: number;
  evalEvery: number;
  /**
   * Wall-clock budget in seconds (training time, evaluations excluded): the
   * schedule runs over the larger of step and time progress, and training
   * stops when the budget is spent — a run on a shared machine ends on time
   * with its schedule completed.
   */
  timeBudget?: number;
}

/** One evaluation during training. */
export interface LmEval {
  step: number;
  trainLoss: number;
  valLoss: number;
  lr: number;
  seconds: number;
  tokensPerSecond: number;
  extra?: Record<string, number>;
}

/** What the loop reports. */
export interface LmHooks {
  onStep?(step: number, loss: number, lr: number): void;
  onEval?(e: LmEval): void;
}

/**
 * Learning rate at `step` (0-based): linear warm-up to `lr`, then cosine down
 * to `minLr` at the last step; `progress` in [0, 1] (time spent over a time
 * budget) moves the cosine on when it is ahead of the steps.
 */
export function lrAt(step: number, c: Pick<LmTrainConfig, 'steps' | 'lr' | 'minLr' | 'warmup'>, progress = 0): number {
  if (step < c.warmup) return (c.lr * (step + 1)) / c.warmup;
  const p = Math.max(progress, (step - c.warmup) / Math.max(1, c.steps - c.warmup));
  return c.minLr + 0.5 * (c.lr - c.minLr) * (1 + Math.cos(Math.PI * Math.min(1, p)));
}

/** Mean next-token cross-entropy of `model` on a batch (ignore index −100). */
export function lmLoss(model: Gpt, b: LmBatch): Tensor {
  const logits = model.forward(b.x);
  const v = logits.shape[2]!;
  return crossEntropy(reshape(logits, [-1, v]), reshape(b.y, [-1]), { ignoreIndex: -100 });
}

/** Mean loss over `batches` in eval mode without recording. */
export function evaluateLm(model: Gpt, batches: readonly LmBatch[]): number {
  const was = model.training;
  model.eval();
  let total = 0;
  noGrad(() => {
    for (const b of batches) total += lmLoss(model, b).item();
  });
  model.train(was);
  return total / batches.length;
}

/**
 * Trains `model` for `config.steps` steps on `nextBatch()`; every `evalEvery`
 * steps (and at the end) evaluates on `valBatches` and calls `evalExtra` for
 * task metrics. Returns the evaluations.
 */
export function trainLm(
  model: Gpt,
  nextBatch: () => LmBatch,
  valBatches: readonly LmBatch[],
  config: LmTrainConfig,
  hooks: LmHooks = {},
  evalExtra?: () => Record<string, number>,
): LmEval[] {
  const decay = model.namedParameters().filter(([, p]) => p.ndim >= 2 && p.requiresGrad).map(([, p]) => p);
  const noDecay = model.namedParameters().filter(([, p]) => p.ndim < 2 && p.requiresGrad).map(([, p]) => p);
  const opt = new AdamW(
    [
      { params: decay, weightDecay: config.weightDecay },
      { params: noDecay, weightDecay: 0 },
    ],
    { lr: config.lr, betas: [0.9, 0.99] },
  );
  model.train();
  const history: LmEval[] = [];
  let start = performance.now();
  let tokens = 0;
  let running = 0;
  let runningCount = 0;
  let trainSeconds = 0;
  let last = performance.now();
  const budget = config.timeBudget ?? Infinity;
  for (let step = 0; step < config.steps; step++) {
    const lr = lrAt(step, config, trainSeconds / budget);
    for (const g of opt.paramGroups) g.lr = lr;
    const b = nextBatch();
    const loss = lmLoss(model, b);
    opt.zeroGrad();
    backward(loss);
    if (config.clip > 0) clipGradNorm(model.parameters(), config.clip);
    opt.step();
    const l = loss.item();
    running += l;
    runningCount++;
    tokens += b.x.size;
    hooks.onStep?.(step + 1, l, lr);
    const now = performance.now();
    trainSeconds += (now - last) / 1000;
    last = now;
    const outOfTime = trainSeconds >= budget;
    if ((step + 1) % config.evalEvery === 0 || step + 1 === config.steps || outOfTime) {
      const seconds = (performance.now() - start) / 1000;
      const e: LmEval = {
        step: step + 1,
        trainLoss: running / runningCount,
        valLoss: evaluateLm(model, valBatches),
        lr,
        seconds,
        tokensPerSecond: tokens / seconds,
        ...(evalExtra ? { extra: evalExtra() } : {}),
      };
      history.push(e);
      hooks.onEval?.(e);
      running = 0;
      runningCount = 0;
      tokens = 0;
      start = performance.now();
      last = start;
    }
    if (outOfTime) break;
  }
  return history;
}
