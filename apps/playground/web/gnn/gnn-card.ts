// "Graph neural networks on Cora": the citation graph drawn with a force
// layout, its nodes coloured by the class a GCN or GAT (trained in a Web
// Worker of this tab) predicts, recoloured as it learns; the over-smoothing
// curve as propagation layers are added; and, after a GAT, a clicked node's
// attention weights on its edges.
import '../train/train.css';
import './gnn.css';
import { describeBackend } from '../../src/train/backend-info.js';
import { el } from '../train/dom.js';
import { attentionTable } from './attention-list.js';
import { edgeWeights } from './attention-weights.js';
import { CARD_RECIPES } from './card-trainer.js';
import { createGraphView } from './graph-canvas.js';
import { createLineChart } from './line-chart.js';
import { UNKNOWN_COLOUR, className, classColour } from './palette.js';
import type { CardModel, CoraSummary, GnnFromWorker, GnnToWorker, LayoutFromWorker, LayoutToWorker, NeighbourWeight } from './protocol.js';

const OVERSMOOTH_DEPTH = 32;
const OVERSMOOTH_SAMPLE = 400;
const STREAM_EVERY = 5;
const LAYOUT_EVERY = 5;
const pct = (v: number) => `${(100 * v).toFixed(1)}%`;

/** Mounts the card into `root` (the page's `#gnn-card` section). */
export function mountGnnCard(root: HTMLElement): void {
  const testid = <T extends HTMLElement>(e: T, id: string): T => {
    e.dataset['testid'] = id;
    return e;
  };
  const status = testid(el('p', { className: 'train-status', textContent: 'Cora loads when this card comes into view.' }), 'gnn-status');
  status.setAttribute('role', 'status');
  const backend = testid(el('p', { className: 'train-backend', textContent: 'backend: shown once the worker starts' }), 'gnn-backend');
  const model = testid(el('select', { title: 'the model to train' }), 'gnn-model');
  model.append(el('option', { value: 'gcn', textContent: 'GCN (Kipf & Welling)' }), el('option', { value: 'gat', textContent: 'GAT (Veličković et al.)' }));
  const epochs = testid(el('input', { type: 'number', min: '1', max: '2000', step: '1', value: String(CARD_RECIPES.gcn.epochs), title: 'epochs to train' }), 'gnn-epochs');
  const trainButton = testid(el('button', { type: 'button', className: 'primary', textContent: 'Train in this tab' }), 'gnn-train');
  const stopButton = testid(el('button', { type: 'button', textContent: 'Stop', disabled: true }), 'gnn-stop');
  const colourBy = testid(el('select', { title: 'what the node colours show' }), 'gnn-colour-by');
  colourBy.append(el('option', { value: 'predicted', textContent: 'colour: predicted class' }), el('option', { value: 'true', textContent: 'colour: true class' }));
  const nodeInput = testid(el('input', { type: 'number', min: '0', step: '1', placeholder: 'node #', title: 'pick a node by number (or click one)', className: 'gnn-node-input' }), 'gnn-node');
  const accuracy = testid(el('p', { className: 'gnn-accuracy', textContent: 'test accuracy: — (no model yet)' }), 'gnn-accuracy');
  const layoutText = testid(el('p', { className: 'train-caption', textContent: '' }), 'gnn-layout');
  const legend = testid(el('div', { className: 'gnn-legend' }), 'gnn-legend');
  const view = createGraphView(pick);
  const trainingChart = createLineChart(
    'epoch',
    [
      { label: 'loss', stroke: '#6b7280', scale: 'loss' },
      { label: 'train', stroke: '#b26a00', scale: 'acc' },
      { label: 'test', stroke: '#1c4fb0', scale: 'acc' },
    ],
    [
      { scale: 'loss', label: 'training loss', format: (v) => v.toFixed(2) },
      { scale: 'acc', label: 'accuracy', format: (v) => `${Math.round(100 * v)}%`, range: [0, 1] },
    ],
  );
  testid(trainingChart.root, 'gnn-training-chart');
  const oversmoothButton = testid(el('button', { type: 'button', textContent: `Add layers (0 … ${OVERSMOOTH_DEPTH})`, disabled: true }), 'gnn-oversmooth');
  // Rows are unit vectors with no negative entry, so every distance lies in [0, √2]: a fixed axis shows how far the curve falls.
  const oversmoothChart = createLineChart(
    'propagations k (layers)',
    [{ label: 'mean pairwise distance', stroke: '#7b3fb0', scale: 'd' }],
    [{ scale: 'd', label: 'distance', format: (v) => v.toFixed(1), range: [0, 1.5] }],
    [0, OVERSMOOTH_DEPTH],
  );
  testid(oversmoothChart.root, 'gnn-oversmooth-chart');
  const oversmoothText = testid(
    el('p', {
      className: 'train-caption',
      textContent: `Mean distance between the ℓ2-normalised features of ${OVERSMOOTH_SAMPLE} sampled papers after k rounds of GCN propagation Â^k X (no weights), as the oversmooth command measures: every round averages a node with its neighbours, so the curve falls toward the point where a connected component's nodes can no longer be told apart.`,
    }),
    'gnn-oversmooth-text',
  );
  const attentionInfo = testid(el('p', { className: 'train-caption', textContent: 'Click a node (or type its number) to see its neighbours; after a GAT, its attention weights on each edge.' }), 'gnn-attention-info');
  const attentionLayer = testid(el('select', { title: 'which layer’s attention draws the edges' }), 'gnn-attention-layer');
  attentionLayer.append(el('option', { value: '0', textContent: 'edges: layer 1' }), el('option', { value: '1', textContent: 'edges: layer 2' }));
  const attentionList = testid(el('div', { className: 'gnn-attention' }), 'gnn-attention');

  let worker: Worker | undefined;
  let cora: CoraSummary | undefined;
  let loading = false;
  let running = false;
  let predictions: Int32Array | null = null;
  // The model the worker holds (trained, or training): attention needs a GAT.
  let held: CardModel | undefined;
  let selected = -1;
  let attention: { node: number; heads: number[]; neighbours: NeighbourWeight[] } | undefined;

  const send = (m: GnnToWorker) => {
    worker ??= startWorker();
    worker.postMessage(m);
  };

  function startWorker(): Worker {
    const w = new Worker(new URL('./gnn.worker.ts', import.meta.url), { type: 'module' });
    w.onmessage = (e: MessageEvent<GnnFromWorker>) => onMessage(e.data);
    w.onerror = (e) => {
      e.preventDefault();
      fail(`the GNN worker failed: ${e.message || 'it could not be loaded'}`);
      worker?.terminate();
      worker = undefined;
      loading = false;
      setRunning(false);
    };
    return w;
  }

  function fail(message: string): void {
    status.className = 'train-status error';
    status.textContent = message;
  }

  function load(): void {
    if (cora || loading) return;
    loading = true;
    status.className = 'train-status';
    status.textContent = 'loading Cora (cora.content, cora.cites, the Planetoid split)…';
    send({ type: 'load', base: document.baseURI });
  }

  function setRunning(on: boolean): void {
    running = on;
    trainButton.disabled = on;
    stopButton.disabled = !on;
    model.disabled = on;
    epochs.disabled = on;
    root.dataset['running'] = String(on);
  }

  function recolour(): void {
    if (!cora) return;
    view.setColours(colourBy.value === 'true' ? cora.labels : predictions);
  }

  function buildLegend(c: CoraSummary): void {
    const counts = new Array<number>(c.classes.length).fill(0);
    for (const l of c.labels) counts[l]!++;
    const chip = (colour: string, text: string, ring = false) => {
      const dot = el('span', { className: `gnn-swatch${ring ? ' ring' : ''}` });
      dot.style.background = colour;
      return el('span', { className: 'gnn-legend-item' }, dot, text);
    };
    legend.replaceChildren(...c.classes.map((name, i) => chip(classColour(i), `${className(name)} (${counts[i]})`)), chip(UNKNOWN_COLOUR, 'no prediction yet'), chip('#fff', 'training node (ringed)', true));
  }

  function startLayout(c: CoraSummary): void {
    const w = new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module' });
    root.dataset['layout'] = 'running';
    w.onmessage = (e: MessageEvent<LayoutFromWorker>) => {
      const m = e.data;
      if (m.type === 'error') {
        fail(`the layout failed: ${m.message}`);
        w.terminate();
        return;
      }
      view.setPositions(m.positions);
      layoutText.textContent = m.tick < m.ticks ? `force layout (d3-force): tick ${m.tick} of ${m.ticks}…` : `force layout (d3-force): ${m.ticks} ticks; ringed nodes are the 140 training papers, the only labels the model sees.`;
      if (m.tick >= m.ticks) {
        root.dataset['layout'] = 'done';
        w.terminate();
      }
    };
    w.onerror = (e) => {
      e.preventDefault();
      fail(`the layout worker failed: ${e.message || 'it could not be loaded'}`);
    };
    const message: LayoutToWorker = { type: 'start', numNodes: c.numNodes, src: c.src.slice(), dst: c.dst.slice(), ticks: 300, every: LAYOUT_EVERY };
    w.postMessage(message, [message.src.buffer, message.dst.buffer]);
  }

  function describeNode(node: number): string {
    if (!cora) return '';
    let degree = 0;
    for (let e = 0; e < cora.src.length; e++) if (cora.src[e] === node || cora.dst[e] === node) degree++;
    const split = ['unlabelled in training', 'a training node', 'a validation node', 'a test node'][cora.split[node]!];
    const truth = className(cora.classes[cora.labels[node]!] ?? '');
    const guess = predictions && predictions[node]! >= 0 ? `, predicted ${className(cora.classes[predictions[node]!] ?? '')}` : '';
    return `Node ${node} (paper ${cora.paperIds[node]}): ${truth}${guess}; ${degree} citation${degree === 1 ? '' : 's'}; ${split}.`;
  }

  function pick(node: number): void {
    if (!cora || !Number.isInteger(node) || node < 0 || node >= cora.numNodes) {
      selected = -1;
      attention = undefined;
      view.setHighlight(null);
      attentionList.replaceChildren();
      attentionInfo.textContent = 'Click a node (or type its number) to see its neighbours; after a GAT, its attention weights on each edge.';
      root.dataset['selected'] = '';
      return;
    }
    selected = node;
    root.dataset['selected'] = String(node);
    nodeInput.value = String(node);
    if (held === 'gat') {
      attentionInfo.textContent = `${describeNode(node)} Reading the GAT’s attention…`;
      send({ type: 'attention', node });
    } else {
      attention = undefined;
      view.setHighlight({ node, weights: null });
      attentionList.replaceChildren();
      attentionInfo.textContent = `${describeNode(node)} Train a GAT to see how much attention it pays to each of these edges (a GCN weighs them by degree alone).`;
    }
  }

  function showAttention(): void {
    if (!cora || !attention || attention.node !== selected) return;
    const layer = Number(attentionLayer.value);
    view.setHighlight({ node: selected, weights: edgeWeights(attention.neighbours, layer, selected) });
    attentionInfo.textContent = `${describeNode(selected)} The GAT’s attention α over its ${attention.neighbours.length} incoming edges (its self-loop included; each layer’s weights sum to 1); edges drawn by layer ${layer + 1}’s weight.`;
    attentionList.replaceChildren(attentionTable(cora, selected, attention.neighbours, attention.heads, layer));
  }

  function onMessage(m: GnnFromWorker): void {
    switch (m.type) {
      case 'backend':
        backend.textContent = `backend: ${describeBackend(m.info)}`;
        break;
      case 'loaded': {
        cora = m.cora;
        loading = false;
        status.className = 'train-status done';
        const count = (code: number) => cora!.split.reduce((a, s) => a + (s === code ? 1 : 0), 0);
        status.textContent = `Cora: ${m.cora.numNodes} papers, ${m.cora.src.length} citation links, ${m.cora.classes.length} classes; public split ${count(1)} / ${count(2)} / ${count(3)} (train / val / test); parsed by @dl/gnn in ${m.seconds.toFixed(1)} s. Train a model.`;
        root.dataset['nodes'] = String(m.cora.numNodes);
        view.setGraph(m.cora);
        buildLegend(m.cora);
        recolour();
        startLayout(m.cora);
        // A Train clicked before Cora arrived is already queued behind the load.
        setRunning(running);
        oversmoothButton.disabled = false;
        break;
      }
      case 'epoch':
        status.className = 'train-status';
        status.textContent = `${m.model.toUpperCase()} epoch ${m.epoch} of ${m.epochs} · loss ${m.loss.toFixed(4)} · train ${pct(m.trainAccuracy)} · val ${pct(m.valAccuracy)} · test ${pct(m.testAccuracy)}`;
        root.dataset['epoch'] = String(m.epoch);
        trainingChart.add(m.epoch, [m.loss, m.trainAccuracy, m.testAccuracy]);
        break;
      case 'predictions':
        predictions = m.predictions;
        root.dataset['predictedEpoch'] = String(m.epoch);
        accuracy.textContent = `${m.model.toUpperCase()} test accuracy ${pct(m.testAccuracy)} after epoch ${m.epoch} (1000 test papers, public split)`;
        recolour();
        // The weights move as the GAT learns: keep the picked node's list live.
        if (m.model === 'gat' && selected >= 0) send({ type: 'attention', node: selected });
        break;
      case 'done':
        setRunning(false);
        status.className = 'train-status done';
        status.textContent = `${m.model.toUpperCase()} ${m.stopped ? 'stopped after' : 'trained for'} ${m.epochs} epoch${m.epochs === 1 ? '' : 's'}: test accuracy ${pct(m.testAccuracy)}.${m.model === 'gat' ? ' Click a node to see its attention weights.' : ''}`;
        root.dataset['done'] = m.model;
        break;
      case 'attention':
        // A late answer about another node, or from a GAT a new run has replaced, is dropped.
        if (m.node !== selected || held !== 'gat') return;
        attention = { node: m.node, heads: m.heads, neighbours: m.neighbours };
        showAttention();
        break;
      case 'oversmooth':
        oversmoothChart.add(m.depth, [m.distance]);
        oversmoothText.dataset['depth'] = String(m.depth);
        if (m.depth >= m.maxDepth) oversmoothButton.disabled = false;
        break;
      case 'error':
        fail(m.message);
        loading = false;
        setRunning(false);
        break;
    }
  }

  model.addEventListener('change', () => {
    epochs.value = String(CARD_RECIPES[model.value as CardModel].epochs);
  });
  trainButton.addEventListener('click', () => {
    load();
    const kind = model.value as CardModel;
    const n = Math.max(1, Math.min(2000, Math.floor(Number(epochs.value) || CARD_RECIPES[kind].epochs)));
    epochs.value = String(n);
    held = kind;
    predictions = null;
    attention = undefined;
    recolour();
    trainingChart.clear();
    delete root.dataset['done'];
    delete root.dataset['epoch'];
    accuracy.textContent = `${kind.toUpperCase()} test accuracy: — (training)`;
    setRunning(true);
    if (selected >= 0) pick(selected);
    send({ type: 'train', model: kind, epochs: n, every: STREAM_EVERY, seed: 0 });
  });
  stopButton.addEventListener('click', () => send({ type: 'stop' }));
  colourBy.addEventListener('change', recolour);
  attentionLayer.addEventListener('change', showAttention);
  nodeInput.addEventListener('change', () => pick(nodeInput.value === '' ? -1 : Number(nodeInput.value)));
  oversmoothButton.addEventListener('click', () => {
    oversmoothButton.disabled = true;
    oversmoothChart.clear();
    send({ type: 'oversmooth', maxDepth: OVERSMOOTH_DEPTH, sample: OVERSMOOTH_SAMPLE });
  });
  // Cora is 8 MB of text: fetched once the card has been on screen for a moment (a reader who
  // stopped here, not a scroll or a full-page screenshot passing by), or on Train.
  let dwell: ReturnType<typeof setTimeout> | undefined;
  new IntersectionObserver(
    (entries, observer) => {
      clearTimeout(dwell);
      if (!entries.some((e) => e.isIntersecting)) return;
      dwell = setTimeout(() => {
        observer.disconnect();
        load();
      }, 700);
    },
    { threshold: 0 },
  ).observe(root);

  root.append(
    el('h2', { id: 'gnn-title', textContent: 'Graph neural networks on Cora' }),
    el('p', {
      className: 'train-intro',
      textContent:
        'Cora’s 2,708 machine-learning papers and their citations, laid out by a force simulation. A two-layer GCN or GAT from @dl/gnn, trained in a Web Worker of this tab on the labels of just 140 papers (the Planetoid public split, with the recipe of the playground’s gcn and gat commands), colours every paper by the class it predicts; the colours settle as it learns. After a GAT, click a paper to see how much attention it pays to each citation.',
    }),
    el('div', { className: 'gnn-controls' }, model, epochs, trainButton, stopButton, colourBy, nodeInput),
    status,
    backend,
    accuracy,
    el(
      'div',
      { className: 'gnn-top' },
      el('div', { className: 'gnn-left' }, view.root, legend, layoutText),
      el(
        'div',
        { className: 'gnn-side' },
        el('h3', { textContent: 'Training' }),
        trainingChart.root,
        el('h3', { textContent: 'Attention on a node’s edges' }),
        el('div', { className: 'gnn-controls' }, attentionLayer),
        attentionInfo,
        attentionList,
      ),
    ),
    el('h3', { textContent: 'Over-smoothing as layers are added' }),
    el('div', { className: 'gnn-controls' }, oversmoothButton),
    el('div', { className: 'gnn-oversmooth' }, oversmoothChart.root),
    oversmoothText,
  );
  root.dataset['ready'] = 'true';
}
