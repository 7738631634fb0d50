import { describeValue } from '../describe-value';
import { MaskgradError } from '../errors';
import { relu, sigmoid, tanh } from '../ops';
import { Tensor } from '../tensor';

/** The activations an MLP can use between its layers. */
export const activations = {
  relu,
  tanh,
  sigmoid,
} as const;

/** The name of an activation: 'relu', 'tanh' or 'sigmoid'. */
export type ActivationName = keyof typeof activations;

/** The activation op called `name`; an unknown name is an error listing the allowed ones. */
export function activationByName(name: string): (x: Tensor) => Tensor {
  if (!Object.prototype.hasOwnProperty.call(activations, name)) {
    throw new MaskgradError(
      `unknown activation ${describeValue(name)} (allowed: ${Object.keys(activations).join(', ')})`,
    );
  }
  return activations[name as ActivationName];
}
