import { MaskgradError } from '../errors';
import { describeValue } from '../describe-value';
import { checkModelFile, type ModelFile } from './model-file';
import { type ExportDtype, modelDescription } from './onnx';

/** A tensor to store: its dtype as safetensors names it, its shape and row-major values. */
export interface SafetensorsEntry {
  name: string;
  dtype: 'F64' | 'F32' | 'I32';
  shape: number[];
  data: ArrayLike<number>;
}

const BYTES = { F64: 8, F32: 4, I32: 4 } as const;

/**
 * The safetensors encoding of `tensors`: an 8-byte little-endian header length, the JSON
 * header (`__metadata__` first, when given, then the tensors in the order given, each with
 * dtype, shape and data_offsets into the data), padded with spaces so the data starts at a
 * multiple of 8 bytes, then each tensor's raw little-endian values.
 */
export function encodeSafetensors(
  tensors: readonly SafetensorsEntry[],
  metadata?: Record<string, string>,
): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata) {
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') {
        throw new MaskgradError(
          `encodeSafetensors: metadata "${k}" must be a string (the format allows only strings)`,
        );
      }
    }
    header.__metadata__ = metadata;
  }
  let offset = 0;
  for (const t of tensors) {
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (
      count !== t.data.length ||
      !(t.dtype in BYTES) ||
      t.name === '__metadata__' ||
      t.name in header
    ) {
      throw new MaskgradError(
        `encodeSafetensors: tensor "${t.name}" is not valid: dtype ${t.dtype}, shape [${t.shape.join(',')}], ${t.data.length} values`,
      );
    }
    const end = offset + count * BYTES[t.dtype];
    header[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, end] };
    offset = end;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerLength = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerLength + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerLength), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength);
  let at = 8 + headerLength;
  for (const t of tensors) {
    for (let i = 0; i < t.data.length; i++) {
      if (t.dtype === 'F64') view.setFloat64(at, t.data[i], true);
      else if (t.dtype === 'F32') view.setFloat32(at, t.data[i], true);
      else view.setInt32(at, t.data[i], true);
      at += BYTES[t.dtype];
    }
  }
  return out;
}

/**
 * The model's weights as a safetensors file, named as PyTorch names the layers of
 * `torch.nn.Sequential(Linear, activation, Linear, ..., Linear)`: "0.weight", "0.bias",
 * "2.weight", ... (the activations sit at the odd indices). `__metadata__` holds
 * "format": "maskgrad-model" and "model": the model file's JSON without the weights
 * (architecture, feature names and standardization, labels and thresholds, training).
 */
export function toSafetensors(file: ModelFile, dtype: ExportDtype = 'float64'): Uint8Array {
  if (dtype !== 'float32' && dtype !== 'float64') {
    throw new MaskgradError(
      `toSafetensors: dtype must be 'float32' or 'float64', got ${describeValue(dtype)}`,
    );
  }
  checkModelFile(file, 'toSafetensors');
  const layers = file.architecture.sizes.length - 1;
  const tensors: SafetensorsEntry[] = [];
  for (let i = 0; i < layers; i++) {
    for (const part of ['weight', 'bias']) {
      const w = file.weights[`layers.${i}.${part}`];
      tensors.push({
        name: `${2 * i}.${part}`,
        dtype: dtype === 'float64' ? 'F64' : 'F32',
        shape: w.shape,
        data: w.data,
      });
    }
  }
  return encodeSafetensors(tensors, { format: 'maskgrad-model', model: modelDescription(file) });
}
