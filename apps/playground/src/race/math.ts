import { all, create } from 'mathjs';

/**
 * The mathjs instance the race parses and differentiates with. `predictable`
 * keeps every result a real number (sqrt(−1) is NaN, not the complex i), so
 * mathjs's values match what dl computes in float64.
 */
// mathjs types `all` as possibly undefined; the package always exports it.
export const math = create(all!, { predictable: true });
