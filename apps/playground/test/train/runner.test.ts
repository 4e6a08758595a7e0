import { beforeAll, describe, expect, it } from 'vitest';
import type { FromWorker } from '../../src/train/protocol.js';
import { TrainRunner } from '../../src/train/runner.js';
import { type SessionData, TrainingSession } from '../../src/train/session.js';
import type { TrainConfig } from '../../src/train/config.js';
import { mnistSubset } from './helpers.js';

let data: SessionData;
beforeAll(async () => {
  data = await mnistSubset(640, 200);
});

const config: TrainConfig = { sizes: [784, 16, 10], optimizer: 'sgd', lr: 0.1, schedule: 'constant', batchSize: 32, epochs: 2, seed: 0 };

/** A runner whose messages land in `messages`; `onPost` sees each as it is posted. */
function harness(session: TrainingSession, options: Partial<ConstructorParameters<typeof TrainRunner>[2]> = {}, onPost?: (m: FromWorker, r: TrainRunner) => void) {
  const messages: FromWorker[] = [];
  const runner: TrainRunner = new TrainRunner(
    session,
    {
      post: (m) => {
        messages.push(m);
        onPost?.(m, runner);
      },
      yieldToEvents: () => new Promise((resolve) => setTimeout(resolve, 0)),
    },
    { digitIndices: [0, 1, 2, 3], units: 5, ...options },
  );
  return { runner, messages };
}

const states = (ms: FromWorker[]): string[] => ms.flatMap((m) => (m.type === 'state' ? [m.state] : []));
const losses = (ms: FromWorker[]): number[] => ms.flatMap((m) => (m.type === 'progress' ? m.losses : []));

describe('TrainRunner', () => {
  it('trains to the end, posting every loss once, an epoch report per epoch, pictures and the final state', async () => {
    const session = new TrainingSession(config, data);
    const { runner, messages } = harness(session, { sliceMs: 1, progressMs: 0 });
    expect(await runner.run()).toBe('done');
    expect(states(messages)).toEqual(['running', 'done']);
    expect(messages.at(-1)).toEqual({ type: 'state', state: 'done' });
    expect(losses(messages)).toHaveLength(40);
    const epochs = messages.flatMap((m) => (m.type === 'epoch' ? [m.report.epoch] : []));
    expect(epochs).toEqual([1, 2]);
    // Pictures at the start and after each epoch.
    const preds = messages.filter((m) => m.type === 'predictions');
    expect(preds).toHaveLength(3);
    expect(preds.every((m) => m.type === 'predictions' && m.preds.length === 4)).toBe(true);
    const weights = messages.filter((m) => m.type === 'weights');
    expect(weights.every((m) => m.type === 'weights' && m.units === 5 && m.weights.length === 5 * 784)).toBe(true);
    const progress = messages.filter((m) => m.type === 'progress');
    const last = progress.at(-1)!;
    expect(last.type === 'progress' && last.batchesDone === 40 && last.epoch === 2 && last.samplesPerSecond > 0).toBe(true);
    // The batch counter counts within the epoch (20 per epoch here), never across the run.
    for (const m of progress) {
      if (m.type !== 'progress') continue;
      expect(m.batchesInEpoch).toBeGreaterThanOrEqual(1);
      expect(m.batchesInEpoch).toBeLessThanOrEqual(20);
      expect(m.batchesDone).toBe(20 * (m.epoch - 1) + m.batchesInEpoch);
    }
    expect(last.type === 'progress' && last.batchesInEpoch).toBe(20);
  });

  it('throttles progress: with a long interval the losses come once per epoch', async () => {
    const { runner, messages } = harness(new TrainingSession(config, data), { sliceMs: 1, progressMs: 1e9, picturesMs: 1e9 });
    await runner.run();
    expect(messages.filter((m) => m.type === 'progress').map((m) => (m.type === 'progress' ? m.losses.length : 0))).toEqual([20, 20]);
  });

  it('pauses after the current slice, posts nothing while paused, resumes, and stops', async () => {
    let pausedAt = -1;
    let resumed = false;
    const { runner, messages } = harness(new TrainingSession({ ...config, epochs: 20 }, data), { sliceMs: 1, progressMs: 0 }, (m, r) => {
      if (m.type === 'progress' && pausedAt < 0) r.pause();
      if (m.type === 'state' && m.state === 'paused') {
        pausedAt = messages.length;
        // Resume later, from another task, as a worker message would.
        setTimeout(() => {
          expect(messages.length).toBe(pausedAt); // nothing happened while paused
          resumed = true;
          r.resume();
        }, 50);
      }
      if (resumed && m.type === 'progress' && losses(messages).length > 60) r.stop();
    });
    expect(await runner.run()).toBe('stopped');
    expect(states(messages)).toEqual(['running', 'paused', 'running', 'stopped']);
    expect(losses(messages).length).toBeGreaterThan(60);
    expect(losses(messages).length).toBeLessThan(400);
  });

  it('stops while paused', async () => {
    const { runner, messages } = harness(new TrainingSession(config, data), { sliceMs: 1 }, (m, r) => {
      if (m.type === 'state' && m.state === 'running') r.pause();
      if (m.type === 'state' && m.state === 'paused') setTimeout(() => r.stop(), 10);
    });
    expect(await runner.run()).toBe('stopped');
    expect(states(messages)).toEqual(['running', 'paused', 'stopped']);
  });

  it('posts a failure as an error message', async () => {
    const { runner, messages } = harness(new TrainingSession({ ...config, lr: 1e6 }, data), { sliceMs: 1 });
    expect(await runner.run()).toBe('error');
    const last = messages.at(-1)!;
    expect(last.type).toBe('error');
    expect(last.type === 'error' && last.message).toMatch(/loss became .* learning rate 1000000 is too high for SGD/);
  });

  it('posts the finite losses taken before a blow-up, so the chart shows the climb', async () => {
    // lr 1e6 overflows within a few batches of one slice; the batches before it must still be charted.
    const { runner, messages } = harness(new TrainingSession({ ...config, lr: 1e6 }, data), { sliceMs: 1e9, progressMs: 1e9 });
    expect(await runner.run()).toBe('error');
    const charted = losses(messages);
    expect(charted.length).toBeGreaterThan(0);
    expect(charted.every(Number.isFinite)).toBe(true);
    const error = messages.findIndex((m) => m.type === 'error');
    expect(messages.findIndex((m) => m.type === 'progress')).toBeLessThan(error);
    const batch = Number(/batch (\d+)/.exec((messages[error] as { message: string }).message)![1]);
    expect(charted).toHaveLength(batch - 1);
  });
});
