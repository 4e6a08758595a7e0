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

/** The worker's global, as the page's tsconfig (DOM types, not WebWorker ones) can name it. */
export interface WorkerScope<ToWorker, FromWorker> {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
  crossOriginIsolated?: boolean;
}

/** What {@link trainingWorker} hands a worker: its scope, a typed `post`, and the thread pool's start. */
export interface TrainingWorker<ToWorker, FromWorker> {
  scope: WorkerScope<ToWorker, FromWorker>;
  post(message: FromWorker, transfer?: Transferable[]): void;
  threadsReady: Promise<void>;
}

/**
 * The preamble of every training worker: this worker's scope typed by its
 * protocol, a `post` for it, and the kernel thread pool started at once, the
 * backend announced to the card with `backend(info)` (its protocol's message).
 *
 * @example const { scope, post, threadsReady } = trainingWorker<ToWorker, FromWorker>((info) => ({ type: 'backend', info }));
 */
export function trainingWorker<ToWorker, FromWorker>(backend: (info: BackendInfo) => FromWorker): TrainingWorker<ToWorker, FromWorker> {
  const scope = self as unknown as WorkerScope<ToWorker, FromWorker>;
  const post = (message: FromWorker, transfer: Transferable[] = []): void => scope.postMessage(message, transfer);
  const threadsReady = startKernelThreads(scope.crossOriginIsolated === true, (info) => post(backend(info)));
  return { scope, post, threadsReady };
}
