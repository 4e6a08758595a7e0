import {
  absDependencies,
  addDependencies,
  cosDependencies,
  coshDependencies,
  cotDependencies,
  type FactoryFunctionMap,
  sechDependencies,
  cschDependencies,
  cothDependencies,
  signDependencies,
  piDependencies,
  eDependencies,
  create,
  cscDependencies,
  derivativeDependencies,
  divideDependencies,
  expDependencies,
  log10Dependencies,
  logDependencies,
  multiplyDependencies,
  parseDependencies,
  powDependencies,
  secDependencies,
  sinDependencies,
  sinhDependencies,
  sqrtDependencies,
  subtractDependencies,
  tanDependencies,
  tanhDependencies,
  unaryMinusDependencies,
  unaryPlusDependencies,
} from 'mathjs';

/**
 * The mathjs instance the race parses and differentiates with: only the
 * parser, `derivative` and the operators and functions a race expression may
 * use (`functions.ts`) and the ones their derivatives are written with, so the worker does not ship all of mathjs.
 * `predictable` keeps every result a real number (sqrt(−1) is NaN, not the
 * complex i), so mathjs's values match what dl computes in float64.
 */
// mathjs's typings mark every dependency bundle as possibly undefined; the package always exports them.
const dependencies: FactoryFunctionMap = {};
for (const [name, bundle] of Object.entries({
  parseDependencies,
  derivativeDependencies,
  addDependencies,
  subtractDependencies,
  multiplyDependencies,
  divideDependencies,
  powDependencies,
  unaryMinusDependencies,
  unaryPlusDependencies,
  sinDependencies,
  cosDependencies,
  tanDependencies,
  secDependencies,
  cscDependencies,
  cotDependencies,
  sinhDependencies,
  coshDependencies,
  tanhDependencies,
  expDependencies,
  logDependencies,
  log10Dependencies,
  sqrtDependencies,
  absDependencies,
  // The constants an expression may name, and what derivatives of the above are written with.
  piDependencies,
  eDependencies,
  sechDependencies,
  cschDependencies,
  cothDependencies,
  signDependencies,
})) {
  if (bundle === undefined) throw new Error(`mathjs exports no ${name}`);
  dependencies[name] = bundle;
}

export const math = create(dependencies, { predictable: true });
