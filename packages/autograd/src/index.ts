// @dl/autograd — the public API. Re-exports only.
export { backward, gradients } from './engine.js';
export type { BackwardOptions, GradientsOptions } from './engine.js';
export { grad, valueAndGrad, valueAndGradOf, vjp, jvp, jacobian, hessian, hvp } from './transforms.js';
export type { ArgnumsOptions, ValueAndGrads, ParamSource } from './transforms.js';
export { gradcheck, gradgradcheck, GradcheckError } from './gradcheck.js';
export type { GradcheckOptions } from './gradcheck.js';
export { checkpoint } from './checkpoint.js';
