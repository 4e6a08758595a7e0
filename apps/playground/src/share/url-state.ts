/**
 * The page's settings in its address, so a link restores them: the training
 * card's fields and the race's f, start and per-optimizer rates.
 *
 * @packageDocumentation
 */
import type { Point } from '../race/format.js';
import { MOMENTUM_OPTIMIZERS, type MomentumOptimizer, OPTIMIZER_NAMES, type OptimizerName } from '../race/optimizers.js';
import { AUGMENT_NAMES } from '../train/augment.js';
import { OPTIMIZER_NAMES as TRAIN_OPTIMIZERS } from '../train/optimizers.js';
import { SCHEDULE_NAMES } from '../train/schedules.js';

/** The training fields as typed (text: the form checks them when a run starts). */
export interface TrainShare {
  sizes?: string;
  optimizer?: string;
  lr?: string;
  schedule?: string;
  batchSize?: string;
  epochs?: string;
  limit?: string;
  dropout?: string;
  weightDecay?: string;
  augment?: string;
}

/** The race: its f, start and the user's rate and momentum changes. */
export interface RaceShare {
  expression?: string;
  start?: Point;
  lrs?: Partial<Record<OptimizerName, number>>;
  momenta?: Partial<Record<MomentumOptimizer, number>>;
}

/** Everything the address carries. */
export interface PageShare {
  train: TrainShare;
  race: RaceShare;
}

// Short query names, stable once links are shared.
const TRAIN_KEYS: Readonly<Record<keyof TrainShare, string>> = {
  sizes: 'sizes',
  optimizer: 'opt',
  lr: 'lr',
  schedule: 'sched',
  batchSize: 'batch',
  epochs: 'epochs',
  limit: 'images',
  dropout: 'dropout',
  weightDecay: 'wd',
  augment: 'aug',
};

// The menus' values: a link naming anything else is reported, not passed on.
const CHOICES: Partial<Record<keyof TrainShare, readonly string[]>> = {
  optimizer: TRAIN_OPTIMIZERS,
  schedule: SCHEDULE_NAMES,
  augment: AUGMENT_NAMES,
};

const number = (v: number) => String(v);

function pairs<K extends string>(values: Partial<Record<K, number>> | undefined): string {
  return Object.entries(values ?? {})
    .map(([k, v]) => `${k}:${number(v as number)}`)
    .join(',');
}

/**
 * The query string (with its `?`, or empty) for `share`.
 *
 * @example encodeShare({ train: { lr: '0.05' }, race: { expression: 'x^2', start: [1, 2] } }) // '?lr=0.05&f=x%5E2&start=1%2C2'
 */
export function encodeShare(share: PageShare): string {
  const q = new URLSearchParams();
  for (const [field, key] of Object.entries(TRAIN_KEYS) as Array<[keyof TrainShare, string]>) {
    const v = share.train[field];
    if (v !== undefined && v !== '') q.set(key, v);
  }
  const { expression, start, lrs, momenta } = share.race;
  if (expression !== undefined) q.set('f', expression);
  if (start) q.set('start', `${number(start[0])},${number(start[1])}`);
  if (lrs && Object.keys(lrs).length > 0) q.set('rates', pairs(lrs));
  if (momenta && Object.keys(momenta).length > 0) q.set('momenta', pairs(momenta));
  const s = q.toString();
  return s === '' ? '' : `?${s}`;
}

function readPairs<K extends string>(text: string, names: readonly K[], ok: (v: number) => boolean, what: string, problems: string[]): Partial<Record<K, number>> {
  const out: Partial<Record<K, number>> = {};
  for (const item of text.split(',')) {
    const [name, value] = item.split(':');
    const v = value === undefined || value.trim() === '' ? Number.NaN : Number(value);
    if ((names as readonly string[]).includes(name ?? '') && ok(v)) out[name as K] = v;
    else problems.push(`${what} '${item}' was ignored`);
  }
  return out;
}

/**
 * The settings in a query string, and what in it could not be used (each
 * bad part is left out, so the rest still applies).
 *
 * @example decodeShare('?opt=adam&start=1,2').share // { train: { optimizer: 'adam' }, race: { start: [1, 2] } }
 */
export function decodeShare(search: string): { share: PageShare; problems: string[] } {
  const q = new URLSearchParams(search);
  const problems: string[] = [];
  const train: TrainShare = {};
  for (const [field, key] of Object.entries(TRAIN_KEYS) as Array<[keyof TrainShare, string]>) {
    const v = q.get(key);
    if (v === null) continue;
    const choices = CHOICES[field];
    if (choices && !choices.includes(v)) problems.push(`${key}='${v}' is not one of ${choices.join(', ')}`);
    else train[field] = v;
  }
  const race: RaceShare = {};
  const f = q.get('f');
  if (f !== null) race.expression = f;
  const start = q.get('start');
  if (start !== null) {
    const parts = start.split(',').map((s) => (s.trim() === '' ? Number.NaN : Number(s)));
    if (parts.length === 2 && parts.every(Number.isFinite)) race.start = [parts[0]!, parts[1]!];
    else problems.push(`start='${start}' is not two numbers x,y`);
  }
  const rates = q.get('rates');
  if (rates !== null) race.lrs = readPairs<OptimizerName>(rates, OPTIMIZER_NAMES, (v) => Number.isFinite(v) && v > 0, 'rate', problems);
  const momenta = q.get('momenta');
  if (momenta !== null) race.momenta = readPairs<MomentumOptimizer>(momenta, MOMENTUM_OPTIMIZERS, (v) => v >= 0 && v < 1, 'momentum', problems);
  return { share: { train, race }, problems };
}

