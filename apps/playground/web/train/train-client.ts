// The card's side of the worker: typed messages both ways.
import type { FromWorker, ToWorker } from '../../src/train/protocol.js';

/** A typed handle on the training worker. */
export interface TrainClient {
  send(message: ToWorker): void;
  /** Ends the worker (after a failure, so the next run gets a fresh one). */
  terminate(): void;
}

/**
 * Starts the training worker; `onMessage` receives everything it posts and
 * `onFailure` a description if the worker itself fails (e.g. cannot load).
 */
export function startTrainWorker(onMessage: (message: FromWorker) => void, onFailure: (message: string) => void): TrainClient {
  const worker = new Worker(new URL('./train.worker.ts', import.meta.url), { type: 'module' });
  worker.onmessage = (event: MessageEvent<FromWorker>) => onMessage(event.data);
  worker.onerror = (event) => {
    event.preventDefault();
    onFailure(`the training worker failed: ${event.message || 'it could not be loaded'}`);
  };
  worker.onmessageerror = () => onFailure('the training worker sent a message that could not be read');
  return { send: (message) => worker.postMessage(message), terminate: () => worker.terminate() };
}
