// What every training worker of the page needs before its own work: a way to
// let queued page messages run between slices, and the kernels' thread pool
// started early with the backend announced to the card.
import { getBackend, wasmFeatures, wasmInfo, wasmThreadsReady } from '@dl/tensor';
import type { BackendInfo } from '../../src/train/backend-info.js';

// A message-channel round trip lets queued page messages (pause, stop) run
// first without setTimeout's 4 ms clamp on nested timers.
const channel = new MessageChannel();
const wakers: Array<() => void> = [];
channel.port1.onmessage = () => wakers.shift()?.();

/** Resolves after the messages already queued for this worker have been handled. */
export const yieldToEvents = (): Promise<void> =>
  new Promise((resolve) => {
    wakers.push(resolve);
    channel.port2.postMessage(null);
  });

/**
 * Starts the thread pool now, so the card can show the backend before any
 * run, and hands what runs to `announce`. A pool that cannot start (e.g.
 * workers blocked) leaves the kernels on this thread.
 */
export function startKernelThreads(crossOriginIsolated: boolean, announce: (info: BackendInfo) => void): Promise<void> {
  return wasmThreadsReady()
    .catch(() => 1)
    .then((threads) => {
      const info = wasmInfo();
      announce({
        backend: getBackend().name,
        variant: info.variant,
        relaxedAvailable: wasmFeatures().relaxedSimd,
        threads: Math.max(1, threads),
        crossOriginIsolated,
      });
    });
}
