// The one atomic writer (src/node/atomic-write.ts) and what it must never destroy: a device
// or FIFO named as the output is written to, not replaced; a symbolic link is written
// through; an output that is one of the command's inputs is refused before any work; and
// the stale-temporary cleanup never removes a live writer's file, even one of another PID
// namespace (a container sharing the folder).
import { expect } from 'chai';
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import { tmpdir } from 'os';
import { basename, join, relative } from 'path';
import { runExport } from '../src/app/cli/export';
import { captureIo } from './support/capture-io';
import { runPredict } from '../src/app/cli/predict';
import { isMaskgradError } from '../src/core/errors';
import {
  AtomicFile,
  checkWritable,
  FOREIGN_TEMPORARY_AGE_MS,
  isRunning,
  namespaceTag,
  removeStaleTemporaries,
  writeFileAtomic,
  writeTarget,
} from '../src/node/atomic-write';
import { writeModelFile } from '../src/node/model-file';
import { checkOutputNotInput } from '../src/node/output-not-input';
import { trainedYeastModel, YEAST_TEST } from './model-fixture';
import { runTrainCli } from './support/train-cli';

const made: string[] = [];
after(() => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function tempDir(): string {
  const dir = fs.mkdtempSync(join(tmpdir(), 'maskgrad-atomic-'));
  made.push(dir);
  return dir;
}

/** The writer's temporary files in `dir` (none must be left behind). */
const temporaries = (dir: string) => fs.readdirSync(dir).filter((n) => /^\.mg.*\.tmp$/.test(n));

/** A copy of /dev/null made with mknod (root only), or null where that is not allowed. */
function deviceCopy(dir: string): string | null {
  const device = join(dir, 'null');
  const made = spawnSync('mknod', [device, 'c', '1', '3']);
  return made.status === 0 ? device : null;
}

/** Skips the test, saying so loudly, where the system does not allow what it needs. */
function skipLoudly(test: Mocha.Context, why: string): never {
  console.log(`      SKIPPED: ${why}`);
  test.skip();
  throw new Error('unreachable');
}

/** A model file, a CSV input for it (the yeast test rows), in a fresh folder. */
function predictSetup(): { dir: string; model: string; input: string } {
  const dir = tempDir();
  const model = join(dir, 'yeast.model.json');
  writeModelFile(model, trainedYeastModel().file);
  const input = join(dir, 'yeast-test.arff');
  fs.copyFileSync(YEAST_TEST, input);
  return { dir, model, input };
}

/** A short train run on the bundled data that saves its model. */
const SHORT_TRAIN = ['--strategy', 'masked', '--runs', '1', '--epochs', '1', '--hidden', '4'];

/** Reads a FIFO with `cat` in a child process; resolves to what it read once the writer closes. */
function readFifo(fifo: string): Promise<string> {
  const reader = spawn('cat', [fifo]);
  let text = '';
  reader.stdout.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reader.kill();
      reject(new Error('the FIFO reader did not finish within 20 s'));
    }, 20_000);
    reader.on('close', () => {
      clearTimeout(timer);
      resolve(text);
    });
  });
}

describe('the atomic writer: devices, FIFOs and symbolic links', () => {
  it('writes a character device (a mknod copy of /dev/null) directly: it stays the device, no temporary', function () {
    const dir = tempDir();
    const device = deviceCopy(dir) ?? skipLoudly(this, 'mknod is not allowed here (not root)');
    const rdev = fs.statSync(device).rdev;
    writeFileAtomic(device, 'one');
    const file = new AtomicFile(device, 'predict');
    file.write('two');
    file.commit();
    const aborted = new AtomicFile(device, 'predict');
    aborted.write('three');
    aborted.abort();
    checkWritable(device);
    const stat = fs.lstatSync(device);
    expect(stat.isCharacterDevice(), 'still a character device').to.equal(true);
    expect(stat.rdev).to.equal(rdev);
    expect(fs.readdirSync(dir)).to.deep.equal(['null']);
  });

  it('predict --output, export --output and train --save onto a mknod copy of /dev/null leave it a device', async function () {
    const { dir, model, input } = predictSetup();
    const device = deviceCopy(dir) ?? skipLoudly(this, 'mknod is not allowed here (not root)');
    const io = captureIo();
    expect(await runPredict(['--model', model, '--input', input, '--output', device], io)).to.equal(
      0,
    );
    expect(fs.lstatSync(device).isCharacterDevice(), 'after predict').to.equal(true);
    const exported = captureIo();
    expect(
      runExport(['--model', model, '--format', 'safetensors', '--output', device], exported),
      exported.stderr,
    ).to.equal(0);
    expect(fs.lstatSync(device).isCharacterDevice(), 'after export').to.equal(true);
    const trained = runTrainCli([...SHORT_TRAIN, '--save', device]);
    expect(trained.code, trained.err).to.equal(0);
    expect(fs.lstatSync(device).isCharacterDevice(), 'after train').to.equal(true);
    expect(fs.readdirSync(dir).sort()).to.deep.equal([
      'null',
      'yeast-test.arff',
      'yeast.model.json',
    ]);
  });

  it('writes a FIFO directly: a reader gets the bytes, the FIFO stays a FIFO', async function () {
    const dir = tempDir();
    const fifo = join(dir, 'pipe');
    if (spawnSync('mkfifo', [fifo]).status !== 0) skipLoudly(this, 'mkfifo is not available');
    const read = readFifo(fifo);
    writeFileAtomic(fifo, 'through the pipe\n');
    expect(await read).to.equal('through the pipe\n');
    expect(fs.lstatSync(fifo).isFIFO()).to.equal(true);
    // predict streams its rows into the FIFO: the reader gets the header and every row.
    const { model, input } = predictSetup();
    const rows = readFifo(fifo);
    const io = captureIo();
    expect(await runPredict(['--model', model, '--input', input, '--output', fifo], io)).to.equal(
      0,
    );
    const lines = (await rows).trim().split('\n');
    expect(lines).to.have.length(1 + 917);
    expect(lines[0]).to.equal(trainedYeastModel().file.labels.names.join(','));
    expect(fs.lstatSync(fifo).isFIFO()).to.equal(true);
    expect(temporaries(dir)).to.deep.equal([]);
  });

  it('writes through a symbolic link: the link stays, the file it names is replaced atomically', () => {
    const dir = tempDir();
    const elsewhere = tempDir();
    const real = join(elsewhere, 'model.json');
    fs.writeFileSync(real, 'old');
    const link = join(dir, 'model.json');
    fs.symlinkSync(real, link);
    // A chain: a relative link to the link.
    const chain = join(dir, 'latest.json');
    fs.symlinkSync('model.json', chain);
    writeFileAtomic(link, 'new');
    expect(fs.lstatSync(link).isSymbolicLink()).to.equal(true);
    expect(fs.readlinkSync(link)).to.equal(real);
    expect(fs.readFileSync(real, 'utf8')).to.equal('new');
    const file = new AtomicFile(chain);
    file.write('newer');
    file.commit();
    expect(fs.readlinkSync(chain)).to.equal('model.json');
    expect(fs.readlinkSync(link)).to.equal(real);
    expect(fs.readFileSync(real, 'utf8')).to.equal('newer');
    expect(writeTarget(chain)).to.equal(fs.realpathSync(real));
    expect(temporaries(dir)).to.deep.equal([]);
    expect(temporaries(elsewhere)).to.deep.equal([]);
  });

  it('keeps the permissions of the file it replaces (a private model stays private)', () => {
    const dir = tempDir();
    const target = join(dir, 'private.json');
    fs.writeFileSync(target, 'old', { mode: 0o600 });
    fs.chmodSync(target, 0o600);
    writeFileAtomic(target, 'new');
    expect(fs.statSync(target).mode & 0o777).to.equal(0o600);
    fs.chmodSync(target, 0o640);
    const file = new AtomicFile(target);
    file.write('newer');
    file.commit();
    expect(fs.statSync(target).mode & 0o777).to.equal(0o640);
    expect(fs.readFileSync(target, 'utf8')).to.equal('newer');
  });

  it('a dangling symbolic link writes the file it names, and stays a link', () => {
    const dir = tempDir();
    const sub = join(dir, 'sub');
    fs.mkdirSync(sub);
    const link = join(dir, 'out.csv');
    fs.symlinkSync(join('sub', 'predictions.csv'), link);
    checkWritable(link);
    writeFileAtomic(link, 'a,b\n');
    expect(fs.lstatSync(link).isSymbolicLink()).to.equal(true);
    expect(fs.readFileSync(join(sub, 'predictions.csv'), 'utf8')).to.equal('a,b\n');
    expect(fs.readdirSync(dir).sort()).to.deep.equal(['out.csv', 'sub']);
  });

  it('a link into a missing folder, or a loop of links, is an ERR_IO error naming the file', () => {
    const dir = tempDir();
    const nowhere = join(dir, 'nowhere.json');
    fs.symlinkSync(join(dir, 'missing', 'm.json'), nowhere);
    expect(() => checkWritable(nowhere, '--save')).to.throw(
      `--save: cannot write ${nowhere}: no such folder: ${join(dir, 'missing')} (${nowhere} is a symbolic link to ${join(dir, 'missing', 'm.json')})`,
    );
    const loop = join(dir, 'loop.json');
    fs.symlinkSync('loop.json', loop);
    try {
      writeFileAtomic(loop, 'x', 'export');
      expect.fail('expected an error');
    } catch (e) {
      expect(isMaskgradError(e, 'ERR_IO'), String(e)).to.equal(true);
      expect((e as Error).message).to.equal(
        `export: cannot write ${loop}: too many levels of symbolic links; expected a link chain that ends`,
      );
    }
  });
});

describe("an output that is one of the command's inputs is refused before any work", () => {
  const inputs = (model: string, input: string) => [
    { flag: '--model', file: model },
    { flag: '--input', file: input },
  ];

  it('by the same path, another spelling, a symbolic link or a hard link', () => {
    const { dir, model, input } = predictSetup();
    const symlink = join(dir, 'link.json');
    fs.symlinkSync(model, symlink);
    const hardLink = join(dir, 'hard.arff');
    fs.linkSync(input, hardLink);
    fs.mkdirSync(join(dir, 'sub'));
    // Not path.join, which would tidy the spelling away.
    const spelled = `${dir}/sub/.././/yeast.model.json`;
    const fromHere = relative(process.cwd(), input);
    const cases: [string, string][] = [
      [model, `--output: cannot write ${model}: it is the --model file ${model}`],
      [spelled, `--output: cannot write ${spelled}: it is the --model file ${model}`],
      [fromHere, `--output: cannot write ${fromHere}: it is the --input file ${input}`],
      [symlink, `--output: cannot write ${symlink}: it is the --model file ${model}`],
      [hardLink, `--output: cannot write ${hardLink}: it is the --input file ${input}`],
    ];
    for (const [output, message] of cases) {
      expect(() => checkOutputNotInput('--output', output, inputs(model, input))).to.throw(
        `${message}; writing it would destroy that input: choose another file`,
      );
    }
    // Inputs named through links are found too.
    expect(() =>
      checkOutputNotInput('--output', input, [{ flag: '--input', file: hardLink }]),
    ).to.throw(`it is the --input file ${hardLink}`);
  });

  it('allows another file, a new file, and devices shared with an input (a terminal, /dev/null)', () => {
    const { dir, model, input } = predictSetup();
    checkOutputNotInput('--output', join(dir, 'out.csv'), inputs(model, input));
    fs.writeFileSync(join(dir, 'old.csv'), 'x');
    checkOutputNotInput('--output', join(dir, 'old.csv'), inputs(model, input));
    checkOutputNotInput('--output', '/dev/null', [{ flag: '--input', file: '/dev/null' }]);
    // An input that does not exist (yet) is compared by its resolved path.
    expect(() =>
      checkOutputNotInput('--out', join(dir, 'new.json'), [
        { flag: '--model', file: join(dir, '.', 'new.json') },
      ]),
    ).to.throw(`it is the --model file ${join(dir, '.', 'new.json')}`);
  });

  it('predict --output naming --model (by a symbolic link) or --input (by a hard link): exit 2, both files as they were', async () => {
    const { dir, model, input } = predictSetup();
    const modelBefore = fs.readFileSync(model);
    const inputBefore = fs.readFileSync(input);
    const symlink = join(dir, 'link.json');
    fs.symlinkSync('yeast.model.json', symlink);
    const hardLink = join(dir, 'hard.arff');
    fs.linkSync(input, hardLink);
    for (const [output, flag, named] of [
      [model, '--model', model],
      [symlink, '--model', model],
      [hardLink, '--input', input],
    ]) {
      const io = captureIo();
      expect(
        await runPredict(['--model', model, '--input', input, '--output', output], io),
      ).to.equal(2);
      expect(io.stderr).to.equal(
        `predict: --output: cannot write ${output}: it is the ${flag} file ${named}; writing it would destroy that input: choose another file\n`,
      );
      expect(io.stdout).to.equal('');
    }
    expect(fs.readFileSync(model).equals(modelBefore)).to.equal(true);
    expect(fs.readFileSync(input).equals(inputBefore)).to.equal(true);
    expect(fs.lstatSync(symlink).isSymbolicLink()).to.equal(true);
    expect(temporaries(dir)).to.deep.equal([]);
  });

  it('export --output naming --model: exit 2, the model file as it was', () => {
    const { dir, model } = predictSetup();
    const before = fs.readFileSync(model);
    const io = captureIo();
    const spelled = `${dir}/../${basename(dir)}/yeast.model.json`;
    expect(runExport(['--model', model, '--format', 'onnx', '--output', spelled], io)).to.equal(2);
    expect(io.stderr).to.equal(
      `export: --output: cannot write ${spelled}: it is the --model file ${model}; writing it would destroy that input: choose another file\n`,
    );
    expect(fs.readFileSync(model).equals(before)).to.equal(true);
  });

  it('train --save naming --train or --test: exit 2 before training, the data as it was', () => {
    const dir = tempDir();
    const trainFile = join(dir, 'train.arff');
    const testFile = join(dir, 'test.arff');
    fs.copyFileSync(YEAST_TEST, trainFile);
    fs.copyFileSync(YEAST_TEST, testFile);
    const link = join(dir, 'model.json');
    fs.symlinkSync('test.arff', link);
    const before = fs.readFileSync(testFile);
    const data = ['--train', trainFile, '--test', testFile, '--labels', '14'];
    for (const [save, flag, named] of [
      [trainFile, '--train', trainFile],
      [link, '--test', testFile],
    ]) {
      const r = runTrainCli([...SHORT_TRAIN, ...data, '--save', save]);
      expect(r.code).to.equal(2);
      expect(r.err).to.equal(
        `train: --save: cannot write ${save}: it is the ${flag} file ${named}; writing it would destroy that input: choose another file\n`,
      );
      expect(r.out).to.equal('');
    }
    expect(fs.readFileSync(testFile).equals(before)).to.equal(true);
    expect(fs.readFileSync(trainFile).equals(before)).to.equal(true);
  });
});

describe('the stale-temporary cleanup across PID namespaces', () => {
  const tag = namespaceTag();
  /** A process id no process has here (Linux allows at most 4194304). */
  const DEAD = 99_999_999;

  it("names temporaries with this process's namespace tag", () => {
    const dir = tempDir();
    expect(tag).to.match(/^[0-9a-f]{8}$/);
    const file = new AtomicFile(join(dir, 'out.csv'));
    expect(temporaries(dir)).to.have.length(1);
    expect(temporaries(dir)[0]).to.match(
      new RegExp(`^\\.mg${process.pid}-${tag}-[0-9a-f]{8}\\.tmp$`),
    );
    file.abort();
  });

  it("removes this namespace's temporaries of dead processes; another namespace's only when a day old", () => {
    const dir = tempDir();
    const other = tag === '00000000' ? '11111111' : '00000000';
    const names = {
      ownDead: `.mg${DEAD}-${tag}-0badf00d.tmp`,
      ownLive: `.mg${process.pid}-${tag}-0badf00d.tmp`,
      // pid 12 is dead or alive here: it means nothing for another namespace's writer
      otherFresh: `.mg12-${other}-0badf00d.tmp`,
      otherDeadFresh: `.mg${DEAD}-${other}-0badf00d.tmp`,
      otherOld: `.mg${DEAD}-${other}-feedf00d.tmp`,
      untaggedFresh: `.mg${DEAD}-0badf00d.tmp`,
      untaggedOld: `.mg${DEAD}-feedf00d.tmp`,
    };
    for (const name of Object.values(names)) fs.writeFileSync(join(dir, name), 'half');
    fs.writeFileSync(join(dir, 'notes.tmp'), 'kept');
    const now = Date.now();
    const old = (now - FOREIGN_TEMPORARY_AGE_MS - 60_000) / 1000;
    fs.utimesSync(join(dir, names.otherOld), old, old);
    fs.utimesSync(join(dir, names.untaggedOld), old, old);
    expect(removeStaleTemporaries(dir, now).sort()).to.deep.equal(
      [names.ownDead, names.otherOld, names.untaggedOld].sort(),
    );
    expect(fs.readdirSync(dir).sort()).to.deep.equal(
      [
        names.ownLive,
        names.otherFresh,
        names.otherDeadFresh,
        names.untaggedFresh,
        'notes.tmp',
      ].sort(),
    );
  });

  it('a live writer in another PID namespace (unshare --pid) keeps its temporary while this one writes and cleans', async function () {
    this.timeout(60_000);
    const probe = spawnSync('unshare', ['--pid', '--fork', '--kill-child', 'true']);
    if (probe.status !== 0) {
      skipLoudly(
        this,
        `unshare --pid --fork --kill-child does not work here (${probe.error?.message ?? probe.stderr.toString().trim()}); the cross-namespace writer is only simulated above`,
      );
    }
    const dir = tempDir();
    const target = join(dir, 'shared.csv');
    // The writer runs in a new PID namespace, with a process id that no process has here (the
    // shell there starts short processes until the next id is free in this namespace's /proc,
    // which it still sees): the old cleanup, judging by the pid alone, took it for dead.
    const script =
      "const { AtomicFile } = require('./src/node/atomic-write');" +
      `const f = new AtomicFile(${JSON.stringify(target)});` +
      "f.write('from the container\\n');" +
      "process.stdout.write(process.pid + '\\n');" +
      "process.stdin.once('data', () => { f.commit(); process.stdout.write('committed\\n'); process.exit(0); });";
    const writer = spawn(
      'unshare',
      [
        ...['--pid', '--fork', '--kill-child', 'sh', '-c'],
        'i=0; while [ $i -lt 1000 ]; do p=$(/bin/sh -c "echo \\$\\$"); i=$((i+1)); ' +
          '[ -e /proc/$((p+1)) ] || break; done; ' +
          // not exec, nor last: the node process is the shell's next child, pid p+1 there
          '"$0" -r ts-node/register/transpile-only -e "$1"; exit $?',
        process.execPath,
        script,
      ],
      { cwd: join(__dirname, '..'), stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    writer.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const exited = new Promise<number | null>((resolve) => writer.on('close', resolve));
    const timer = setTimeout(() => writer.kill('SIGKILL'), 50_000);
    try {
      await new Promise<void>((resolve, reject) => {
        writer.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          if (out.includes('\n')) resolve();
        });
        writer.on('close', () => reject(new Error(`the writer ended early: ${err}`)));
      });
      const pid = Number(out.trim());
      const left = temporaries(dir);
      expect(left, 'the writer has its temporary').to.have.length(1);
      expect(left[0].startsWith(`.mg${pid}-`)).to.equal(true);
      expect(left[0]).to.not.include(`-${tag}-`);
      expect(isRunning(pid), `pid ${pid} is free here, so the pid alone calls it dead`).to.equal(
        false,
      );
      // This namespace writes beside it (which cleans up first) and cleans up explicitly.
      writeFileAtomic(join(dir, 'mine.csv'), 'from the host\n');
      expect(removeStaleTemporaries(dir)).to.deep.equal([]);
      expect(temporaries(dir)).to.deep.equal(left);
      writer.stdin.write('go\n');
      expect(await exited, err).to.equal(0);
    } finally {
      clearTimeout(timer);
      writer.kill('SIGKILL');
    }
    expect(out.trim().split('\n')[1]).to.equal('committed');
    expect(fs.readFileSync(target, 'utf8')).to.equal('from the container\n');
    expect(temporaries(dir)).to.deep.equal([]);
  });
});
