// The character-model card's worker: trains a small LSTM/GRU on a text in
// slices (or builds one from a `charlm train` weights file) and continues
// prompts a character at a time, sending each with its last layer's gates.
import { Generator } from '@dl/tensor';
import { trainingWorker, yieldToEvents } from '../shell/worker-support.js';
import type { CharlmFromWorker, CharlmModelInfo, CharlmToWorker } from './protocol.js';
import { continueText, signalNames } from './stepper.js';
import { type CharlmTrainSettings, CharlmTrainer } from './trainer.js';
import { type LoadedCharModel, charModelFromSafetensors, charModelToSafetensors } from './weights.js';

const { scope, post, threadsReady } = trainingWorker<CharlmToWorker, CharlmFromWorker>((info) => ({ type: 'backend', info }));

let current: { loaded: Omit<LoadedCharModel, 'metadata'>; info: CharlmModelInfo } | undefined;
// Bumped by every train, load, generate and stop: a loop still going sees it was superseded.
let generation = 0;

function describe(loaded: Omit<LoadedCharModel, 'metadata'>, info: Omit<CharlmModelInfo, 'config' | 'vocabulary' | 'parameters' | 'signals'>): CharlmModelInfo {
  return { ...info, config: loaded.config, vocabulary: [...loaded.tokenizer.chars], parameters: loaded.model.numParameters(), signals: signalNames(loaded.model) };
}

async function train(text: string, source: string, settings: CharlmTrainSettings): Promise<void> {
  const mine = ++generation;
  await threadsReady;
  const trainer = new CharlmTrainer(text, settings);
  const loaded = { model: trainer.model, tokenizer: trainer.tokenizer, config: trainer.config };
  current = undefined;
  const start = performance.now();
  let losses: number[] = [];
  let lastPost = 0;
  let sliceStart = performance.now();
  const finish = (stopped: boolean): void => {
    const info = describe(loaded, { source: stopped ? 'stopped' : 'trained', name: source, batches: trainer.batches, validLoss: trainer.validLoss() });
    current = { loaded, info };
    post({ type: 'model', info });
  };
  for (let b = 1; b <= settings.batches; b++) {
    losses.push(trainer.step());
    const now = performance.now();
    if (now - lastPost > 150 || b === settings.batches) {
      lastPost = now;
      post({ type: 'progress', batch: b, batches: settings.batches, losses, charsPerSecond: (b * settings.batchSize * settings.seqLen) / ((now - start) / 1000) });
      losses = [];
    }
    if (now - sliceStart > 40) {
      await yieldToEvents();
      sliceStart = performance.now();
      if (mine !== generation) {
        // Stopped (or replaced): what was learned so far stays usable.
        if (trainer.batches > 0) finish(true);
        return;
      }
    }
  }
  finish(false);
}

async function load(bytes: Uint8Array, name: string): Promise<void> {
  ++generation;
  await threadsReady;
  const loaded = charModelFromSafetensors(bytes, name);
  const validLoss = Number(loaded.metadata['validLoss']);
  const info = describe(loaded, { source: 'loaded', name, ...(Number.isFinite(validLoss) ? { validLoss } : {}) });
  current = { loaded, info };
  post({ type: 'model', info });
}

async function generate(id: number, prompt: string, length: number, temperature: number, seed: number): Promise<void> {
  const mine = ++generation;
  await threadsReady;
  if (!current) throw new Error('train or load a model first');
  const { model, tokenizer } = current.loaded;
  let batch: { chars: string[]; prompt: boolean[]; traces: Float32Array[] } = { chars: [], prompt: [], traces: [] };
  const flush = (): void => {
    if (batch.chars.length === 0) return;
    post({ type: 'chars', id, ...batch }, batch.traces.map((t) => t.buffer));
    batch = { chars: [], prompt: [], traces: [] };
  };
  let sliceStart = performance.now();
  for (const c of continueText(model, tokenizer, prompt, length, { temperature, generator: new Generator(seed) })) {
    batch.chars.push(c.char);
    batch.prompt.push(c.prompt);
    batch.traces.push(c.trace);
    // A character at a time, as the issue asks, unless steps outrun the page's frames.
    if (performance.now() - sliceStart > 15 || !c.prompt) {
      flush();
      await yieldToEvents();
      sliceStart = performance.now();
      if (mine !== generation) {
        post({ type: 'generated', id, stopped: true });
        return;
      }
    }
  }
  flush();
  post({ type: 'generated', id, stopped: false });
}

function fail(e: unknown, id?: number): void {
  post({ type: 'error', message: e instanceof Error ? e.message : String(e), ...(id === undefined ? {} : { id }) });
}

scope.onmessage = (event) => {
  const m = event.data;
  switch (m.type) {
    case 'train':
      train(m.text, m.source, m.settings).catch(fail);
      break;
    case 'load':
      load(m.bytes, m.name).catch(fail);
      break;
    case 'stop':
      generation++;
      break;
    case 'generate':
      generate(m.id, m.prompt, m.length, m.temperature, m.seed).catch((e: unknown) => fail(e, m.id));
      break;
    case 'save':
      try {
        if (!current) throw new Error('train or load a model first');
        const { model, config, tokenizer } = current.loaded;
        const { info } = current;
        const bytes = charModelToSafetensors(model, config, tokenizer, {
          source: `dl playground page (${info.source} ${info.name})`,
          ...(info.validLoss !== undefined ? { validLoss: info.validLoss.toFixed(4) } : {}),
          ...(info.batches !== undefined ? { batches: String(info.batches) } : {}),
        });
        post({ type: 'saved', bytes, name: `charlm-${config.cell}.safetensors` }, [bytes.buffer]);
      } catch (e) {
        fail(e);
      }
      break;
  }
};
