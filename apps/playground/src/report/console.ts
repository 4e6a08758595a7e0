import cliProgress from 'cli-progress';
import Table from 'cli-table3';
import type { EpochReport, TrainHooks } from '../mnist/train.js';

/**
 * Progress bar per epoch (batches done, running loss, throughput) and the
 * epoch table, printed to the terminal.
 */
export function consoleTrainHooks(totalEpochs: number): TrainHooks & { table(history: readonly EpochReport[]): string } {
  let bar: cliProgress.SingleBar | null = null;
  let runningLoss = 0;
  return {
    onEpochStart(epoch, batches) {
      runningLoss = 0;
      bar = new cliProgress.SingleBar(
        {
          format: `epoch ${epoch}/${totalEpochs} {bar} {percentage}% | {value}/{total} batches | loss {loss} | {eta_formatted} left`,
          hideCursor: true,
          clearOnComplete: true,
          etaBuffer: 50,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(batches, 0, { loss: '-' });
    },
    onBatch(_epoch, batch, loss) {
      runningLoss = batch === 1 ? loss : 0.98 * runningLoss + 0.02 * loss;
      if (batch % 10 === 0) bar?.update(batch, { loss: runningLoss.toFixed(4) });
    },
    onEpochEnd(r) {
      bar?.update(bar.getTotal(), { loss: runningLoss.toFixed(4) });
      bar?.stop();
      console.log(
        `epoch ${r.epoch}: loss ${r.loss.toFixed(4)}, train ${(100 * r.trainAccuracy).toFixed(2)}%, test ${(100 * r.testAccuracy).toFixed(2)}%, ${r.seconds.toFixed(1)} s (${Math.round(r.samplesPerSecond)} samples/s)`,
      );
    },
    table(history) {
      const t = new Table({ head: ['epoch', 'loss', 'train acc', 'test acc', 'time (s)', 'samples/s'], style: { head: [], compact: true } });
      for (const r of history) {
        t.push([r.epoch, r.loss.toFixed(4), `${(100 * r.trainAccuracy).toFixed(2)}%`, `${(100 * r.testAccuracy).toFixed(2)}%`, r.seconds.toFixed(1), Math.round(r.samplesPerSecond)]);
      }
      return t.toString();
    },
  };
}
