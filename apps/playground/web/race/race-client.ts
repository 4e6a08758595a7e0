// The card's side of the worker: numbered requests, and only the answer to
// the latest request of each kind is delivered (typing fast or pressing Race
// twice must not show a stale result). A race is one long synchronous
// computation in the worker, so a newer race cancels an older one by ending
// the worker and starting a fresh one: the old race stops at once instead of
// running to its end first.
import type { RaceRequest } from '../../src/race/config.js';
import type { Point } from '../../src/race/format.js';
import type { OptimizerName } from '../../src/race/optimizers.js';
import type { PresetId } from '../../src/race/presets.js';
import type { DerivativeView, FromRaceWorker, RaceBackend, RaceTrace, RaceView, ToRaceWorker } from '../../src/race/protocol.js';

/** Callbacks for what the worker reports. */
export interface RaceClientHandlers {
  backend(info: RaceBackend): void;
  checked(derivative: DerivativeView, presetId: PresetId | null): void;
  raced(view: RaceView): void;
  traced(trace: RaceTrace): void;
  /** A refused expression or start (from `check` or `run`), or an unexpected failure (`internal`). */
  failed(message: string, kind: string, during: 'check' | 'run'): void;
}

/** Sends work to the race worker. */
export interface RaceClient {
  check(expression: string, start: Point): void;
  run(request: RaceRequest): void;
  /** Asks for one racer's full path in the last race. */
  trace(optimizer: OptimizerName): void;
  /** Races cancelled because a newer one was asked for before they finished. */
  readonly cancelled: number;
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
  let latestTrace = -1;
  let runPending = false;
  let cancelled = 0;
  const onMessage = ({ data }: MessageEvent<FromRaceWorker>): void => {
    switch (data.type) {
      case 'backend':
        handlers.backend(data.info);
        break;
      case 'checked':
        if (data.id === latestCheck) handlers.checked(data.derivative, data.presetId);
        break;
      case 'raced':
        if (data.id !== latestRun) break;
        runPending = false;
        handlers.raced(data.view);
        break;
      case 'traced':
        if (data.id === latestTrace) handlers.traced(data.trace);
        break;
      case 'error':
        if (data.id === latestRun) {
          runPending = false;
          handlers.failed(data.message, data.kind, 'run');
        } else if (data.id === latestCheck) handlers.failed(data.message, data.kind, 'check');
        break;
    }
  };
  const end = (w: Worker) => {
    w.terminate();
    if (worker === w) worker = undefined;
  };
  const live = (): Worker => {
    if (worker) return worker;
    const w = new Worker(new URL('./race.worker.ts', import.meta.url), { type: 'module' });
    w.onmessage = onMessage;
    w.onerror = (event) => {
      event.preventDefault();
      end(w);
      runPending = false;
      handlers.failed(`The race worker stopped: ${event.message || 'it could not be loaded'}; press Race to start a new one`, 'internal', 'run');
    };
    worker = w;
    return w;
  };
  const send = (message: ToRaceWorker) => live().postMessage(message);
  live();
  return {
    check(expression, start) {
      latestCheck = next++;
      send({ type: 'check', id: latestCheck, expression, start });
    },
    run(request) {
      if (runPending && worker) {
        cancelled++;
        end(worker);
      }
      latestRun = next++;
      // A run answers the latest check too: its derivative view supersedes any pending one.
      latestCheck = -1;
      latestTrace = -1;
      runPending = true;
      send({ type: 'run', id: latestRun, request });
    },
    trace(optimizer) {
      latestTrace = next++;
      send({ type: 'trace', id: latestTrace, optimizer });
    },
    get cancelled() {
      return cancelled;
    },
  };
}
