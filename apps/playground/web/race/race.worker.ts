// The race worker: parses f with mathjs, runs the eight optimizers with dl's
// autograd and lays out the contour plot, so the page's thread only animates.
// It keeps the last race's full paths for the card's step-by-step view.
import { getBackend, setNumThreads, wasmInfo } from '@dl/tensor';
import { presetForExpression } from '../../src/race/config.js';
import { ExpressionError } from '../../src/race/expression-error.js';
import { parseExpression } from '../../src/race/expression.js';
import { assertFiniteStart, checkGradient } from '../../src/race/gradient-check.js';
import { type FromRaceWorker, type ToRaceWorker, derivativeView, toRaceTrace, toRaceView } from '../../src/race/protocol.js';
import { type RaceReport, raceReport } from '../../src/race/report.js';

// The page's tsconfig has DOM types, not WebWorker ones: name what is used here.
interface WorkerScope {
  postMessage(message: FromRaceWorker): void;
  onmessage: ((event: MessageEvent<ToRaceWorker>) => void) | null;
}
const scope = self as unknown as WorkerScope;
const post = (message: FromRaceWorker): void => scope.postMessage(message);

// The race's tensors hold two numbers: kernel threads would only add start-up cost.
setNumThreads(1);
const info = wasmInfo();
post({ type: 'backend', info: { backend: getBackend().name, variant: info.variant, threads: info.threads } });

let last: RaceReport | undefined;

function fail(id: number, e: unknown): void {
  if (e instanceof ExpressionError) post({ type: 'error', id, kind: e.kind, message: e.message });
  else post({ type: 'error', id, kind: 'internal', message: `The race failed unexpectedly: ${e instanceof Error ? e.message : String(e)}` });
}

scope.onmessage = ({ data: message }) => {
  try {
    switch (message.type) {
      case 'check': {
        const f = parseExpression(message.expression);
        assertFiniteStart(f, message.start);
        post({ type: 'checked', id: message.id, derivative: derivativeView(f, checkGradient(f, message.start)), presetId: presetForExpression(message.expression) });
        break;
      }
      case 'run':
        last = raceReport(message.request);
        post({ type: 'raced', id: message.id, view: toRaceView(last) });
        break;
      case 'trace': {
        const run = last?.runs.find((r) => r.name === message.optimizer);
        if (run) post({ type: 'traced', id: message.id, trace: toRaceTrace(run) });
        break;
      }
    }
  } catch (e) {
    fail(message.id, e);
  }
};
