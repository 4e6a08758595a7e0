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

/** Starts the worker and routes its answers to `handlers`. */
export function startRaceWorker(handlers: RaceClientHandlers): RaceClient {
  const worker = new Worker(new URL('./race.worker.ts', import.meta.url), { type: 'module' });
  let next = 0;
  let latestCheck = -1;
  let latestRun = -1;
  worker.onmessage = ({ data }: MessageEvent<FromRaceWorker>) => {
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
  worker.onerror = (event) => {
    event.preventDefault();
    handlers.failed(`The race worker stopped: ${event.message || 'it could not be loaded'}`, 'internal', 'run');
  };
  return {
    check(expression, start) {
      latestCheck = next++;
      worker.postMessage({ type: 'check', id: latestCheck, expression, start });
    },
    run(expression, start) {
      latestRun = next++;
      // A run answers the latest check too: its derivative view supersedes any pending one.
      latestCheck = -1;
      worker.postMessage({ type: 'run', id: latestRun, expression, start });
    },
  };
}
