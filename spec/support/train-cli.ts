// The `train` command run in-process (as `npx ts-node examples/train.ts ...argv`), with what
// it printed.
import { main, type Io } from '../../examples/train';

export function runTrainCli(argv: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const io: Io = { out: (t) => (out += t), err: (t) => (err += t), tty: false, colors: false };
  const code = main(argv, io);
  return { code, out, err };
}
