// The ops import their argument checks from here; the checks themselves are public (src/checks.ts).
export { expectDType, expectFinite, expectFloat, expectInt, expectRank } from '../checks.js';
