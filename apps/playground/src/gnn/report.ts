/**
 * Terminal output of the GNN commands: a progress bar per run, the epoch
 * table, and the summary over seeds or folds.
 *
 * @packageDocumentation
 */
import cliProgress from 'cli-progress';
import Table from 'cli-table3';

/** Mean and (sample) standard deviation. */
export function meanStd(xs: readonly number[]): { mean: number; std: number } {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / Math.max(1, n);
  const v = n > 1 ? xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1) : 0;
  return { mean, std: Math.sqrt(v) };
}

/** `81.52 ± 0.61%` from fractions. */
export function percent(xs: readonly number[]): string {
  const { mean, std } = meanStd(xs);
  return `${(100 * mean).toFixed(2)} ± ${(100 * std).toFixed(2)}%`;
}

/** A bar over a run's epochs, showing the loss and an accuracy; silent when `quiet`. */
export function progressBar(label: string, quiet: boolean): { start(total: number): void; update(done: number, loss: number, acc: number): void; stop(): void } {
  let bar: cliProgress.SingleBar | null = null;
  return {
    start(total) {
      if (quiet) return;
      bar = new cliProgress.SingleBar(
        { format: `${label} {bar} {value}/{total} epochs | loss {loss} | val {acc} | {eta_formatted} left`, hideCursor: true, clearOnComplete: true, etaBuffer: 30 },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, 0, { loss: '-', acc: '-' });
    },
    update(done, loss, acc) {
      bar?.update(done, { loss: loss.toFixed(4), acc: `${(100 * acc).toFixed(1)}%` });
    },
    stop() {
      bar?.stop();
      bar = null;
    },
  };
}

/** A compact table. */
export function table(head: string[], rows: (string | number)[][]): string {
  const t = new Table({ head, style: { head: [], compact: true } });
  for (const r of rows) t.push(r);
  return t.toString();
}
