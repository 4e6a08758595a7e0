import '../shell/page.css';
import './selfcheck.css';
import { deviation, selfCheckVerdict } from '../../src/selfcheck/verdict.js';
import { mountRuntimeInfo } from '../shell/runtime-info.js';
import type { SelfCheckMessage, SelfCheckReport, SelfCheckRun } from './protocol.js';

const status = document.querySelector<HTMLElement>('[data-testid=selfcheck-status]')!;
const table = document.getElementById('selfcheck-table')!;
const json = document.getElementById('selfcheck-json')!;
const verdictLine = document.querySelector<HTMLElement>('[data-testid=selfcheck-verdict]')!;
mountRuntimeInfo(document.getElementById('runtime')!);

function label(run: SelfCheckRun): string {
  return run.backend === 'wasm' ? `wasm ${run.variant} · ${run.threadsUsed} thread${run.threadsUsed === 1 ? '' : 's'}` : run.backend;
}

function render(report: SelfCheckReport): void {
  const reference = report.runs.find((r) => r.backend === 'reference')!;
  const head = ['stage', ...report.runs.map(label)];
  // Compared with the reference kernels (the oracle): equal bits, or a different rounding within tolerance.
  const rows = reference.results.map((stage, i) => [
    stage.name,
    ...report.runs.map((run) => {
      const same = run.results[i]!.fingerprint === reference.results[i]!.fingerprint;
      return { text: run.results[i]!.fingerprint, title: `relative deviation from the reference kernels: ${deviation(run, reference, i).toExponential(1)}`, same };
    }),
  ]);
  const el = document.createElement('table');
  el.className = 'selfcheck';
  el.createTHead().insertRow().append(...head.map((h) => Object.assign(document.createElement('th'), { textContent: h })));
  const body = el.createTBody();
  for (const [name, ...cells] of rows) {
    const tr = body.insertRow();
    tr.insertCell().textContent = name as string;
    for (const cell of cells as Array<{ text: string; title: string; same: boolean }>) {
      const td = tr.insertCell();
      td.textContent = cell.text;
      td.title = cell.title;
      td.className = cell.same ? 'same' : 'rounds';
    }
  }
  const times = body.insertRow();
  times.className = 'times';
  times.insertCell().textContent = 'time (ms)';
  for (const run of report.runs) times.insertCell().textContent = run.milliseconds.toFixed(0);
  table.replaceChildren(el);
  json.textContent = JSON.stringify(report, null, 1);
  const verdict = selfCheckVerdict(report.runs);
  status.textContent = `done: ${report.runs.length} configurations. Green: bitwise equal to the reference kernels; blue: the same numbers rounded differently (hover for how far).`;
  verdictLine.textContent = verdict.text;
  verdictLine.className = `selfcheck-verdict ${verdict.pass ? 'pass' : 'fail'}`;
  verdictLine.dataset['pass'] = String(verdict.pass);
}

const worker = new Worker(new URL('./selfcheck.worker.ts', import.meta.url), { type: 'module' });
worker.onmessage = (event: MessageEvent<SelfCheckMessage>) => {
  const message = event.data;
  if (message.type === 'report') render(message.report);
  else status.textContent = `failed: ${message.message}`;
  worker.terminate();
};
worker.onerror = (event) => {
  status.textContent = `failed: ${event.message}`;
};
worker.postMessage('run');
