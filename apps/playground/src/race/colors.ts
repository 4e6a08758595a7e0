import type { OptimizerName } from './optimizers.js';

/** Each racer's colour (saturated, to stand out on the grey contour bands); L-BFGS also dashes. */
export const OPTIMIZER_COLORS: Readonly<Record<OptimizerName, string>> = {
  SGD: '#1f77b4',
  Momentum: '#ff7f0e',
  NAG: '#2ca02c',
  Adagrad: '#d62728',
  RMSprop: '#9467bd',
  Adadelta: '#8c564b',
  Adam: '#e377c2',
  'L-BFGS': '#111111',
};
