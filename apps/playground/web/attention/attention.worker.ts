// The attention card's worker: builds the GPT a chargpt / transformer-task
// weights file holds and returns its attention maps for typed text.
import { loadSafetensors } from '@dl/tensor';
import { type LoadedGpt, attentionMaps, encodeText, gptFromState, positionTables } from '../../src/attention/inspect.js';
import type { AttentionFromWorker, AttentionToWorker } from '../../src/attention/protocol.js';
import { trainingWorker } from '../shell/worker-support.js';

const { scope, post, threadsReady } = trainingWorker<AttentionToWorker, AttentionFromWorker>((info) => ({ type: 'backend', info }));

let loaded: LoadedGpt | undefined;

scope.onmessage = async (event) => {
  const m = event.data;
  await threadsReady;
  try {
    if (m.type === 'load') {
      const file = loadSafetensors(m.bytes);
      loaded = gptFromState(file.tensors, file.metadata);
      const { config } = loaded.model;
      const tables = positionTables(loaded.model);
      post(
        { type: 'model', name: m.name, description: loaded.description, layers: config.nLayer, heads: config.nHead, dModel: config.nEmbd, context: config.blockSize, vocabulary: loaded.vocabulary, tables },
        [tables.learned.buffer, tables.sinusoidal.buffer],
      );
    } else if (m.type === 'inspect') {
      if (!loaded) throw new Error('load a weights file first');
      const ids = encodeText(loaded, m.text);
      if (ids.length === 0) {
        post({ type: 'inspected', id: m.id, tokens: [], maps: [] });
        return;
      }
      const maps = attentionMaps(loaded.model, ids);
      const chars = [...loaded.vocabulary];
      post({ type: 'inspected', id: m.id, tokens: ids.map((i) => chars[i]!), maps }, maps.flat().map((a) => a.buffer));
    }
  } catch (e) {
    post({ type: 'error', message: (e as Error).message, ...(m.type === 'inspect' ? { id: m.id } : {}) });
  }
};
