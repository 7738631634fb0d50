import { MaskgradError } from './errors';
import { noGrad } from './autograd';
import { checkOptions } from './check-options';
import { describeValue } from './describe-value';
import { formatShape } from './shape';
import { Tensor } from './tensor';

export interface GradcheckOptions {
  /** Step of the central difference. */
  eps?: number;
  /** A pair passes when |analytical - numerical| <= atol + rtol * |numerical|. */
  atol?: number;
  rtol?: number;
  /** Jacobians larger than this many rows or columns are truncated in the error. */
  maxPrint?: number;
}

function formatJacobian(j: Float64Array, rows: number, cols: number, maxPrint: number): string {
  const lines: string[] = [];
  const r = Math.min(rows, maxPrint);
  const c = Math.min(cols, maxPrint);
  for (let i = 0; i < r; i++) {
    const cells: string[] = [];
    for (let k = 0; k < c; k++) cells.push(j[i * cols + k].toExponential(4).padStart(12));
    lines.push(cells.join(' ') + (cols > c ? ' ...' : ''));
  }
  if (rows > r) lines.push(`... (${rows - r} more rows)`);
  return lines.join('\n');
}

const OPTION_RANGES: Record<keyof GradcheckOptions, [(v: number) => boolean, string]> = {
  eps: [(v) => v > 0 && Number.isFinite(v), 'a finite number > 0'],
  atol: [(v) => v >= 0 && Number.isFinite(v), 'a finite number >= 0'],
  rtol: [(v) => v >= 0 && Number.isFinite(v), 'a finite number >= 0'],
  maxPrint: [(v) => Number.isInteger(v) && v >= 1, 'a positive integer'],
};

function checkGradcheckOptions(options: unknown): void {
  checkOptions('gradcheck', options, Object.keys(OPTION_RANGES));
  for (const [key, value] of Object.entries(options as object)) {
    const range = OPTION_RANGES[key as keyof GradcheckOptions];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !range[0](value)) {
      throw new MaskgradError(`gradcheck: ${key} must be ${range[1]}, got ${describeValue(value)}`);
    }
  }
}

/**
 * Checks the gradients that backward computes for `fn` against central finite
 * differences, in float64, like torch.autograd.gradcheck: for every input that
 * requires a gradient, the full Jacobian d(output)/d(input) both ways. Rows are
 * input elements, columns output elements. Throws on a mismatch, naming the input
 * and printing both Jacobians; returns true otherwise.
 */
export function gradcheck(
  fn: (...inputs: Tensor[]) => Tensor,
  inputs: Tensor[],
  options: GradcheckOptions = {},
): true {
  if (typeof fn !== 'function') {
    throw new MaskgradError(
      `gradcheck: expected a function of the inputs, got ${describeValue(fn)}`,
    );
  }
  if (!Array.isArray(inputs)) {
    throw new MaskgradError(
      `gradcheck: inputs must be an array of tensors, got ${describeValue(inputs)}`,
    );
  }
  inputs.forEach((t, i) => {
    if (!(t instanceof Tensor)) {
      throw new MaskgradError(`gradcheck: input ${i} must be a Tensor, got ${describeValue(t)}`);
    }
  });
  checkGradcheckOptions(options);
  const eps = options.eps ?? 1e-6;
  const atol = options.atol ?? 1e-5;
  const rtol = options.rtol ?? 1e-3;
  const maxPrint = options.maxPrint ?? 8;
  if (!inputs.some((t) => t.requiresGrad)) {
    throw new MaskgradError(
      'gradcheck: no input requires a gradient; pass tensors made with { requiresGrad: true }',
    );
  }
  for (const [i, t] of inputs.entries()) {
    if (t.requiresGrad && t.node !== null) {
      throw new MaskgradError(
        `gradcheck: input ${i} is not a leaf (it was computed by '${t.node.op}'); pass leaf tensors`,
      );
    }
  }

  // The caller's gradients are put back afterwards, and every perturbed value is restored
  // even when fn throws: gradcheck leaves its inputs as it found them.
  const callerGrads = inputs.map((t) => t.grad);
  try {
    const output = fn(...inputs);
    if (!(output instanceof Tensor)) {
      throw new MaskgradError(
        `gradcheck: the function must return a Tensor, got ${describeValue(output)}`,
      );
    }
    const m = output.size;
    const analytical = inputs.map((t) => (t.requiresGrad ? new Float64Array(t.size * m) : null));
    if (output.requiresGrad) {
      for (let j = 0; j < m; j++) {
        for (const t of inputs) t.grad = null;
        const out = fn(...inputs);
        const seed = new Float64Array(m);
        seed[j] = 1;
        out.backward(new Tensor(seed, out.shape));
        inputs.forEach((t, i) => {
          const a = analytical[i];
          if (!a || !t.grad) return;
          for (let k = 0; k < t.size; k++) a[k * m + j] = t.grad.data[k];
        });
      }
      for (const t of inputs) t.grad = null;
    }

    inputs.forEach((t, i) => {
      const a = analytical[i];
      if (!a) return;
      const numerical = new Float64Array(t.size * m);
      noGrad(() => {
        for (let k = 0; k < t.size; k++) {
          const original = t.data[k];
          let plus: Float64Array;
          let minus: Float64Array;
          try {
            t.data[k] = original + eps;
            plus = fn(...inputs).data.slice();
            t.data[k] = original - eps;
            minus = fn(...inputs).data;
          } finally {
            t.data[k] = original;
          }
          for (let j = 0; j < m; j++) numerical[k * m + j] = (plus[j] - minus[j]) / (2 * eps);
        }
      });
      for (let idx = 0; idx < a.length; idx++) {
        const diff = Math.abs(a[idx] - numerical[idx]);
        if (!(diff <= atol + rtol * Math.abs(numerical[idx]))) {
          const k = Math.floor(idx / m);
          const j = idx % m;
          throw new MaskgradError(
            `gradcheck: the gradient of input ${i} (shape ${formatShape(t.shape)}) does not match finite differences: ` +
              `at input element ${k}, output element ${j}, backward gives ${a[idx]} and finite differences ${numerical[idx]} ` +
              `(tolerance atol ${atol} + rtol ${rtol})\n` +
              `analytical Jacobian (rows: input elements, columns: output elements):\n${formatJacobian(a, t.size, m, maxPrint)}\n` +
              `numerical Jacobian:\n${formatJacobian(numerical, t.size, m, maxPrint)}`,
          );
        }
      }
    });
  } finally {
    inputs.forEach((t, i) => (t.grad = callerGrads[i]));
  }
  return true;
}
