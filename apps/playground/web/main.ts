import './shell/page.css';
import { mountRuntimeInfo } from './shell/runtime-info.js';
import { createCopyLink, createShareStore } from './shell/share.js';
import { mountTrainCard } from './train/train-card.js';
import { mountRaceCard } from './race/race-card.js';
import { mountLenetCard } from './lenet/lenet-card.js';
import { mountAttentionCard } from './attention/attention-card.js';
import { mountCharlmCard } from './charlm/charlm-card.js';
import { mountGnnCard } from './gnn/gnn-card.js';

function section(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`playground: the page has no #${id} element`);
  return el;
}

const share = createShareStore();
mountRuntimeInfo(section('runtime'));
section('share').append(createCopyLink());
if (share.problems.length > 0) {
  const p = section('share-problems');
  p.textContent = `Parts of this link could not be used: ${share.problems.join('; ')}.`;
  p.hidden = false;
}
mountTrainCard(section('train-card'), { initial: share.initial.train, changed: (train) => share.setTrain(train) });
mountRaceCard(section('race-card'), { initial: share.initial.race, changed: (race) => share.setRace(race) });
mountLenetCard(section('lenet-card'));
mountAttentionCard(section('attention-card'));
mountCharlmCard(section('charlm-card'));
mountGnnCard(section('gnn-card'));
