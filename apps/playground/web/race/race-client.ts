// The card's side of the worker: numbered requests, and only the answer to
// the latest request of each kind is delivered (typing fast or pressing Race
// twice must not show a stale result).
import type { DerivativeView, FromRaceWorker, RaceBackend, RaceView } from '../../src/race/protocol.js';
import type { Point } from '../../src/race/format.js';

/** Callbacks for what the worker reports. */
export interface RaceClientHandlers {
  backend(info: RaceBackend): void;
  checked(derivative: DerivativeView): void;
  raced(view: RaceView): void;
  /** A refused expression or start (from `check` or `run`), or an unexpected failure (`internal`). */
  failed(message: string, kind: string, during: 'check' | 'run'): void;
}

/** Sends work to the race worker. */
export interface RaceClient {
  check(expression: string, start: Point): void;
  run(expression: string, start: Point): void;
}

/**
 * Starts the worker and routes its answers to `handlers`. A worker that fails
 * is terminated and a fresh one started by the next request, so one crash
 * does not leave the card waiting forever.
 */
export function startRaceWorker(handlers: RaceClientHandlers): RaceClient {
  let worker: Worker | undefined;
  let next = 0;
  let latestCheck = -1;
  let latestRun = -1;
  const onMessage = ({ data }: MessageEvent<FromRaceWorker>): void => {
    switch (data.type) {
      case 'backend':
        handlers.backend(data.info);
        break;
      case 'checked':
        if (data.id === latestCheck) handlers.checked(data.derivative);
        break;
      case 'raced':
        if (data.id === latestRun) handlers.raced(data.view);
        break;
      case 'error':
        if (data.id === latestRun) handlers.failed(data.message, data.kind, 'run');
        else if (data.id === latestCheck) handlers.failed(data.message, data.kind, 'check');
        break;
    }
  };
  const live = (): Worker => {
    if (worker) return worker;
    const w = new Worker(new URL('./race.worker.ts', import.meta.url), { type: 'module' });
    w.onmessage = onMessage;
    w.onerror = (event) => {
      event.preventDefault();
      w.terminate();
      if (worker === w) worker = undefined;
      handlers.failed(`The race worker stopped: ${event.message || 'it could not be loaded'}; press Race to start a new one`, 'internal', 'run');
    };
    worker = w;
    return w;
  };
  live();
  return {
    check(expression, start) {
      latestCheck = next++;
      live().postMessage({ type: 'check', id: latestCheck, expression, start });
    },
    run(expression, start) {
      latestRun = next++;
      // A run answers the latest check too: its derivative view supersedes any pending one.
      latestCheck = -1;
      live().postMessage({ type: 'run', id: latestRun, expression, start });
    },
  };
}
