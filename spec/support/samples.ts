import { Random } from '../../src/core/random';
import { Tensor } from '../../src/core/tensor';
import type { SampleInput } from '../../src/core/ops/define';
import { shapeSize } from '../../src/core/shape';

/** Builds the tensors of a gradient-check sample: seeded values, float64, leaf tensors. */
export function sampleTensors(inputs: readonly SampleInput[], rng: Random): Tensor[] {
  return inputs.map((input) => {
    const spec = Array.isArray(input) ? { shape: input } : input;
    const n = shapeSize(spec.shape);
    let data: Float64Array;
    if (spec.values) {
      data = Float64Array.from(spec.values);
    } else {
      data = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        data[i] =
          spec.low !== undefined && spec.high !== undefined
            ? rng.uniform(spec.low, spec.high)
            : rng.normal();
      }
    }
    return new Tensor(data, spec.shape, spec.requiresGrad ?? true);
  });
}
