import './shell/page.css';
import { mountRuntimeInfo } from './shell/runtime-info.js';
import { mountTrainCard } from './train/train-card.js';
import { mountRaceCard } from './race/race-card.js';

function section(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`playground: the page has no #${id} element`);
  return el;
}

mountRuntimeInfo(section('runtime'));
mountTrainCard(section('train-card'));
mountRaceCard(section('race-card'));
