/**
 * Data augmentation for the in-browser trainer: random distortions of the
 * training images from `@dl/regularize`, each keeping the digit's class.
 *
 * @packageDocumentation
 */
import { type Augmentation, Compose, RandomRotation, RandomScale, RandomShift } from '@dl/regularize';

/** Names the UI and the worker use (the `<option>` values). */
export const AUGMENT_NAMES = ['none', 'shift', 'shift-rotate-scale'] as const;

/** One of {@link AUGMENT_NAMES}. */
export type AugmentName = (typeof AUGMENT_NAMES)[number];

/** Every augmentation with its menu label, in menu order. */
export const AUGMENTS: readonly { name: AugmentName; label: string }[] = [
  { name: 'none', label: 'none' },
  { name: 'shift', label: 'shift ±2 px (RandomShift)' },
  { name: 'shift-rotate-scale', label: 'shift ±2 px, rotate ±10°, scale ±10%' },
];

/**
 * The augmentation `name` stands for, or undefined for none. Shifts stay
 * within MNIST's 4-pixel empty border (±2 of 28 px), so no stroke is cut.
 *
 * @example makeAugmentation('shift')?.apply(images, generator) // images [N, 1, 28, 28]
 */
export function makeAugmentation(name: AugmentName): Augmentation | undefined {
  switch (name) {
    case 'none':
      return undefined;
    case 'shift':
      return new RandomShift({ maxFraction: 2 / 28 });
    case 'shift-rotate-scale':
      return new Compose([new RandomRotation({ degrees: 10 }), new RandomScale({ range: [0.9, 1.1] }), new RandomShift({ maxFraction: 2 / 28 })]);
  }
}
