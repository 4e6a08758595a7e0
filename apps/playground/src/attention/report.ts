/**
 * Terminal output of the attention commands: a progress bar over steps and
 * the evaluation table; attention maps of a model written as PNG.
 *
 * @packageDocumentation
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import cliProgress from 'cli-progress';
import Table from 'cli-table3';
import type { LmEval, LmHooks } from './lm-train.js';
import { attentionGridPng } from './png.js';

/** A progress bar over `steps` and a line per evaluation. */
export function consoleLmHooks(steps: number, log: (line: string) => void, extraLabel?: (e: LmEval) => string): LmHooks & { stop(): void } {
  const bar = new cliProgress.SingleBar(
    { format: 'step {bar} {value}/{total} | loss {loss} | lr {lr} | {eta_formatted} left', hideCursor: true, clearOnComplete: true, etaBuffer: 100 },
    cliProgress.Presets.shades_classic,
  );
  bar.start(steps, 0, { loss: '-', lr: '-' });
  let running = 0;
  // Without a terminal (output to a file) the bar draws nothing: a line every 5% instead.
  const tty = process.stderr.isTTY === true;
  const every = Math.max(1, Math.round(steps / 20));
  const start = performance.now();
  return {
    onStep(step, loss, lr) {
      running = step === 1 ? loss : 0.95 * running + 0.05 * loss;
      if (step % 5 === 0) bar.update(step, { loss: running.toFixed(4), lr: lr.toExponential(2) });
      if (!tty && step % every === 0) log(`  step ${step}/${steps}: loss ${running.toFixed(4)}, lr ${lr.toExponential(2)}, ${((performance.now() - start) / 1000).toFixed(0)} s`);
    },
    onEval(e) {
      // Logged above the bar so the bar stays on the last line.
      bar.stop();
      log(`step ${e.step}: train ${e.trainLoss.toFixed(4)}, val ${e.valLoss.toFixed(4)}${extraLabel ? `, ${extraLabel(e)}` : ''}, ${Math.round(e.tokensPerSecond)} tokens/s`);
      if (e.step < steps) bar.start(steps, e.step, { loss: running.toFixed(4), lr: e.lr.toExponential(2) });
    },
    stop() {
      bar.stop();
    },
  };
}

/** The evaluation table (step, losses, task metrics, throughput). */
export function evalTable(history: readonly LmEval[]): string {
  const extraKeys = Object.keys(history[0]?.extra ?? {});
  const t = new Table({ head: ['step', 'train loss', 'val loss', ...extraKeys, 'lr', 'time (s)', 'tokens/s'], style: { head: [], compact: true } });
  for (const e of history) {
    t.push([e.step, e.trainLoss.toFixed(4), e.valLoss.toFixed(4), ...extraKeys.map((k) => (e.extra![k]! * (k.includes('%') ? 100 : 1)).toFixed(2)), e.lr.toExponential(2), e.seconds.toFixed(1), Math.round(e.tokensPerSecond)]);
  }
  return t.toString();
}

/** Writes the maps as one PNG (rows = layers, columns = heads). */
export function writeAttentionPng(path: string, maps: Float32Array[][], length: number): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, attentionGridPng(maps, length, length <= 32 ? 10 : 4));
}
