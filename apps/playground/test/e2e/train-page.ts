// Filling in and running the training card, shared by the browser tests.
import type { Page } from 'playwright-core';

/** The training card's settings, as typed. */
export interface RunSettings {
  sizes: string;
  optimizer: string;
  lr: string;
  schedule: string;
  batch: string;
  epochs: string;
  limit: string;
  dropout?: string;
  weightDecay?: string;
  augment?: string;
}

/** Types `s` into the card. */
export async function configure(page: Page, s: RunSettings): Promise<void> {
  await page.getByTestId('train-sizes').fill(s.sizes);
  await page.getByTestId('train-optimizer').selectOption(s.optimizer);
  await page.getByTestId('train-lr').fill(s.lr);
  await page.getByTestId('train-schedule').selectOption(s.schedule);
  await page.getByTestId('train-batch').fill(s.batch);
  await page.getByTestId('train-epochs').fill(s.epochs);
  await page.getByTestId('train-limit').fill(s.limit);
  if (s.dropout !== undefined) await page.getByTestId('train-dropout').fill(s.dropout);
  if (s.weightDecay !== undefined) await page.getByTestId('train-weight-decay').fill(s.weightDecay);
  if (s.augment !== undefined) await page.getByTestId('train-augment').selectOption(s.augment);
}

/** Waits until the run ends and returns the status line. */
export async function runEnds(page: Page, timeout = 170_000): Promise<string> {
  await page.getByTestId('train-status').filter({ hasText: /done|error|stopped|weights loaded|loaded/ }).waitFor({ timeout });
  return (await page.getByTestId('train-status').textContent()) ?? '';
}

/** A small, quick run: 784-32-10, SGD 0.1, 1 epoch on 2,000 images. */
export const QUICK: RunSettings = { sizes: '784-32-10', optimizer: 'sgd', lr: '0.1', schedule: 'constant', batch: '64', epochs: '1', limit: '2000' };

/** Draws a polyline on the drawing pad, in fractions of its size. */
export async function draw(page: Page, points: ReadonlyArray<readonly [number, number]>): Promise<void> {
  const box = (await page.getByTestId('draw-pad').boundingBox())!;
  const at = ([u, v]: readonly [number, number]) => [box.x + u * box.width, box.y + v * box.height] as const;
  await page.mouse.move(...at(points[0]!));
  await page.mouse.down();
  for (const p of points.slice(1)) await page.mouse.move(...at(p), { steps: 4 });
  await page.mouse.up();
}
