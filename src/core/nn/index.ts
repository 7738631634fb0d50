export { Module } from './module';
export type { ParameterState, StateDict } from './module';
export { Linear } from './linear';
export type { InitOptions } from './linear';
export { MLP } from './mlp';
export type { MLPOptions } from './mlp';
export { activations, activationByName } from './activations';
export type { ActivationName } from './activations';
