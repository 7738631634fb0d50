import { escapeControls } from '../../core/describe-value';
import { writeFileAtomic } from '../../node/atomic-write';
import { type ExportDtype, toOnnx } from '../../core/model/onnx';
import { toSafetensors } from '../../core/model/safetensors';
import { type Command, commandFlags, type Io, processIo, reportError, UsageError } from './io';
import { readModelFileFor } from '../../node/model-file';
import { checkOutputNotInput } from '../../node/output-not-input';

const EXPORT: Command = {
  usage: 'maskgrad export --model FILE --format onnx|safetensors --output FILE',
  flags: {
    model: { type: 'string', arg: 'FILE', help: 'the model file written by train --save' },
    format: { type: 'string', arg: 'NAME', help: 'onnx | safetensors' },
    output: { type: 'string', arg: 'FILE', help: 'the file to write' },
    dtype: {
      type: 'string',
      arg: 'TYPE',
      help: 'float32 | float64 (default float32 for onnx, float64 for safetensors)',
    },
  },
  notes: [
    'onnx: input "features" [N, F] of raw features (in the model\'s feature order), output',
    '"probabilities" [N, L]; the graph standardizes, runs the layers and the sigmoid.',
    'safetensors: the weights as torch.nn.Sequential names them ("0.weight", "0.bias", "2.weight", ...);',
    'its __metadata__ "model" holds the model file without the weights. See examples/pytorch/.',
  ],
};

/** Runs `export` with `argv`; returns the exit code. */
export function runExport(argv: string[], io: Io = processIo): number {
  try {
    const flags = commandFlags(argv, EXPORT, io);
    if (flags === null) return 0;
    for (const name of ['model', 'format', 'output']) {
      if (typeof flags[name] !== 'string')
        throw new UsageError(`--${name} is required (see --help)`);
    }
    const format = flags.format as string;
    if (format !== 'onnx' && format !== 'safetensors') {
      throw new UsageError(`--format must be onnx or safetensors, got '${format}'`);
    }
    const dtype = (flags.dtype ?? (format === 'onnx' ? 'float32' : 'float64')) as string;
    if (dtype !== 'float32' && dtype !== 'float64') {
      throw new UsageError(`--dtype must be float32 or float64, got '${dtype}'`);
    }
    checkOutputNotInput('--output', flags.output as string, [
      { flag: '--model', file: flags.model as string },
    ]);
    const model = readModelFileFor(
      'export',
      flags.model as string,
      'export reads the JSON model file that train --save writes',
    );
    const bytes =
      format === 'onnx'
        ? toOnnx(model, dtype as ExportDtype)
        : toSafetensors(model, dtype as ExportDtype);
    writeFileAtomic(flags.output as string, bytes, '--output');
    io.err(
      `export: wrote ${escapeControls(String(flags.output))} (${format}, ${dtype}, ${bytes.length} bytes)\n`,
    );
    return 0;
  } catch (e) {
    return reportError('export', e, io);
  }
}
