import { MaskgradError } from '../errors';
import { describeValue } from '../describe-value';
import { checkModelFile, type ModelFile, maskgradVersion } from './model-file';
import { ProtoWriter } from './protobuf';

/** The element types an export can use. */
export type ExportDtype = 'float32' | 'float64';

/** ONNX IR version 8 and opset 17: read by onnx 1.12's checker and by current ONNX Runtime. */
export const ONNX_IR_VERSION = 8;
export const ONNX_OPSET = 17;

// Field numbers of onnx.proto (the messages and fields this export writes, nothing else).
const MODEL = {
  irVersion: 1,
  producerName: 2,
  producerVersion: 3,
  docString: 6,
  graph: 7,
  opset: 8,
  metadata: 14,
};
const OPSET = { domain: 1, version: 2 };
const GRAPH = { node: 1, name: 2, initializer: 5, input: 11, output: 12 };
const NODE = { input: 1, output: 2, name: 3, opType: 4, attribute: 5 };
const ATTRIBUTE = { name: 1, i: 3, type: 20 };
const ATTRIBUTE_INT = 2;
const TENSOR = { dims: 1, dataType: 2, name: 8, rawData: 9 };
const VALUE_INFO = { name: 1, type: 2 };
const TYPE = { tensorType: 1 };
const TENSOR_TYPE = { elemType: 1, shape: 2 };
const SHAPE = { dim: 1 };
const DIMENSION = { value: 1, param: 2 };
const ENTRY = { key: 1, value: 2 };
const DATA_TYPE: Record<ExportDtype, number> = { float32: 1, float64: 11 };

const ACTIVATION_OP: Record<string, string> = { relu: 'Relu', tanh: 'Tanh', sigmoid: 'Sigmoid' };

/** Little-endian bytes of `values` as float32 or float64. */
export function littleEndian(values: ArrayLike<number>, dtype: ExportDtype): Uint8Array {
  const size = dtype === 'float32' ? 4 : 8;
  const bytes = new Uint8Array(values.length * size);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) {
    if (dtype === 'float32') view.setFloat32(i * size, values[i], true);
    else view.setFloat64(i * size, values[i], true);
  }
  return bytes;
}

function initializer(name: string, dims: number[], values: ArrayLike<number>, dtype: ExportDtype) {
  const t = new ProtoWriter();
  for (const d of dims) t.int(TENSOR.dims, d);
  return t
    .int(TENSOR.dataType, DATA_TYPE[dtype])
    .string(TENSOR.name, name)
    .bytes(TENSOR.rawData, littleEndian(values, dtype));
}

function node(op: string, name: string, inputs: string[], outputs: string[], transB = false) {
  const n = new ProtoWriter();
  for (const i of inputs) n.string(NODE.input, i);
  for (const o of outputs) n.string(NODE.output, o);
  n.string(NODE.name, name).string(NODE.opType, op);
  if (transB) {
    n.message(
      NODE.attribute,
      new ProtoWriter()
        .string(ATTRIBUTE.name, 'transB')
        .int(ATTRIBUTE.i, 1)
        .int(ATTRIBUTE.type, ATTRIBUTE_INT),
    );
  }
  return n;
}

/** A value of shape [N, size] (N a symbolic batch size). */
function valueInfo(name: string, size: number, dtype: ExportDtype) {
  const shape = new ProtoWriter()
    .message(SHAPE.dim, new ProtoWriter().string(DIMENSION.param, 'N'))
    .message(SHAPE.dim, new ProtoWriter().int(DIMENSION.value, size));
  const tensorType = new ProtoWriter()
    .int(TENSOR_TYPE.elemType, DATA_TYPE[dtype])
    .message(TENSOR_TYPE.shape, shape);
  return new ProtoWriter()
    .string(VALUE_INFO.name, name)
    .message(VALUE_INFO.type, new ProtoWriter().message(TYPE.tensorType, tensorType));
}

/** The model file without its weights, as JSON: what the exported files carry as metadata. */
export function modelDescription(file: ModelFile): string {
  checkModelFile(file, 'modelDescription');
  const { weights: _weights, ...rest } = file;
  return JSON.stringify(rest);
}

/**
 * The model as an ONNX file (IR 8, opset 17). Input `features` [N, F] holds raw features in
 * the order of `file.features.names`; the graph standardizes them (Sub mean, Div std), runs
 * each layer as Gemm (transB = 1, the weight kept [out, in] as in maskgrad and PyTorch) with
 * the activation between layers, and returns `probabilities` [N, L] from a Sigmoid. The
 * model file's JSON without the weights is kept in the metadata under "maskgrad-model".
 */
export function toOnnx(file: ModelFile, dtype: ExportDtype = 'float32'): Uint8Array {
  if (dtype !== 'float32' && dtype !== 'float64') {
    throw new MaskgradError(
      `toOnnx: dtype must be 'float32' or 'float64', got ${describeValue(dtype)}`,
    );
  }
  checkModelFile(file, 'toOnnx');
  const { sizes, activation } = file.architecture;
  const F = sizes[0];
  const L = sizes[sizes.length - 1];
  const graph = new ProtoWriter();
  graph.message(GRAPH.node, node('Sub', 'center', ['features', 'mean'], ['centered']));
  graph.message(GRAPH.node, node('Div', 'scale', ['centered', 'std'], ['h0']));
  let h = 'h0';
  const layers = sizes.length - 1;
  for (let i = 0; i < layers; i++) {
    const out = i === layers - 1 ? 'logits' : `z${i + 1}`;
    graph.message(
      GRAPH.node,
      node('Gemm', `layer${i}`, [h, `layers.${i}.weight`, `layers.${i}.bias`], [out], true),
    );
    if (i < layers - 1) {
      h = `h${i + 1}`;
      graph.message(
        GRAPH.node,
        node(ACTIVATION_OP[activation], `${activation}${i + 1}`, [out], [h]),
      );
    }
  }
  graph.message(GRAPH.node, node('Sigmoid', 'probabilities', ['logits'], ['probabilities']));
  graph.string(GRAPH.name, 'maskgrad');
  graph.message(GRAPH.initializer, initializer('mean', [F], file.features.mean, dtype));
  graph.message(GRAPH.initializer, initializer('std', [F], file.features.std, dtype));
  for (let i = 0; i < layers; i++) {
    for (const part of ['weight', 'bias']) {
      const name = `layers.${i}.${part}`;
      const w = file.weights[name];
      graph.message(GRAPH.initializer, initializer(name, w.shape, w.data, dtype));
    }
  }
  graph.message(GRAPH.input, valueInfo('features', F, dtype));
  graph.message(GRAPH.output, valueInfo('probabilities', L, dtype));

  return new ProtoWriter()
    .int(MODEL.irVersion, ONNX_IR_VERSION)
    .string(MODEL.producerName, 'maskgrad')
    .string(MODEL.producerVersion, maskgradVersion())
    .string(
      MODEL.docString,
      `maskgrad multi-label classifier: raw features [N, ${F}] -> probabilities [N, ${L}]; ` +
        'feature and label names in the metadata "maskgrad-model"',
    )
    .message(MODEL.graph, graph)
    .message(MODEL.opset, new ProtoWriter().string(OPSET.domain, '').int(OPSET.version, ONNX_OPSET))
    .message(
      MODEL.metadata,
      new ProtoWriter()
        .string(ENTRY.key, 'maskgrad-model')
        .string(ENTRY.value, modelDescription(file)),
    )
    .finish();
}
