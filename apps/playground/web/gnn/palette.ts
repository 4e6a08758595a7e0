// Colours of Cora's classes on the graph, the legend and the attention list.
import { schemeTableau10 } from 'd3-scale-chromatic';

/** Colour of class `c` (Tableau 10: seven colours a colour-blind reader can still mostly tell apart). */
export function classColour(c: number): string {
  return c >= 0 ? schemeTableau10[c % schemeTableau10.length]! : UNKNOWN_COLOUR;
}

/** Nodes without a prediction yet. */
export const UNKNOWN_COLOUR = '#c3c9d1';

/** `Neural_Networks` → `Neural Networks`. */
export function className(name: string): string {
  return name.replaceAll('_', ' ');
}
