import { expect } from 'chai';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { isMaskgradError } from '../src/core/errors';
import { Linear, MLP, Module, type StateDict } from '../src/core/nn';
import { Tensor } from '../src/core/tensor';
import { loadModule, saveModule } from '../src/node';
import { namespaceTag } from '../src/node/atomic-write';

/** The fs module itself (not the import's read-only view), to watch and fail its calls. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const nodeFs: typeof fs = require('fs');

/** A module whose parameters have names that are also properties of Object.prototype. */
class Awkward extends Module {
  constructor() {
    super();
    for (const [i, name] of ['__proto__', 'constructor', 'toString', 'hasOwnProperty'].entries()) {
      this.registerParameter(name, new Tensor(Float64Array.from([i, i + 0.5]), [2]));
    }
  }
  forward(input: Tensor): Tensor {
    return input;
  }
}

describe('Module: stateDict, save and load (hardened)', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'maskgrad-save-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a parameter named __proto__ (or constructor, toString) is an own key of stateDict()', () => {
    const state = new Awkward().stateDict();
    expect(Object.keys(state)).to.deep.equal([
      '__proto__',
      'constructor',
      'toString',
      'hasOwnProperty',
    ]);
    expect(Object.getPrototypeOf(state)).to.equal(null);
    expect(state['__proto__']).to.deep.equal({ shape: [2], data: [0, 0.5] });
    expect(JSON.parse(JSON.stringify(state))['__proto__']).to.deep.equal({
      shape: [2],
      data: [0, 0.5],
    });
  });

  it('such a model saves and loads back bit for bit, and loadStateDict takes its state', () => {
    const file = path.join(dir, 'awkward.json');
    saveModule(new Awkward(), file);
    const m = new Awkward();
    for (const p of m.parameters()) p.data.fill(7);
    loadModule(m, file);
    expect(m.parameters().map((p) => Array.from(p.data))).to.deep.equal([
      [0, 0.5],
      [1, 1.5],
      [2, 2.5],
      [3, 3.5],
    ]);
    const other = new Awkward();
    for (const p of other.parameters()) p.data.fill(7);
    other.loadStateDict(JSON.parse(fs.readFileSync(file, 'utf8')) as StateDict);
    expect(other.parameters()[0].data[1]).to.equal(0.5);
  });

  it('saves to a name of 255 characters (the longest most file systems allow)', () => {
    const file = path.join(dir, 'm'.repeat(250) + '.json');
    const model = new MLP([3, 4, 2], { seed: 1 });
    saveModule(model, file);
    const copy = new MLP([3, 4, 2], { seed: 2 });
    loadModule(copy, file);
    expect(copy.stateDict()).to.deep.equal(model.stateDict());
    expect(fs.readdirSync(dir)).to.deep.equal([path.basename(file)]);
  });

  /** A temporary name of the one atomic writer (writeFileAtomic) for process `pid` of this PID namespace. */
  const temporaryOf = (pid: number, random: string) => `.mg${pid}-${namespaceTag()}-${random}.tmp`;

  it('removes the temporary file a crashed writer left behind, and keeps the files of live writers and everything else', () => {
    const file = path.join(dir, 'model.json');
    // A crash between writing and renaming leaves the temporary file of a process that is
    // gone; no process has the id 99999999 (Linux allows at most 4194304).
    const stale = path.join(dir, temporaryOf(99_999_999, '0badf00d'));
    const live = path.join(dir, temporaryOf(process.pid, '0badf00d'));
    fs.writeFileSync(stale, '{"half":');
    fs.writeFileSync(live, '{"half":');
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'kept');
    saveModule(new Linear(2, 1, { seed: 1 }), file);
    expect(fs.readdirSync(dir).sort()).to.deep.equal(
      [path.basename(live), 'model.json', 'notes.txt'].sort(),
    );
  });

  it('flushes the temporary file to disk before renaming it over the target', () => {
    const file = path.join(dir, 'model.json');
    const calls: string[] = [];
    const { fsyncSync, renameSync } = fs;
    const writable = nodeFs as { fsyncSync: typeof fsyncSync; renameSync: typeof renameSync };
    writable.fsyncSync = (fd) => {
      calls.push('fsync');
      fsyncSync(fd);
    };
    writable.renameSync = (from, to) => {
      calls.push(`rename ${path.basename(String(from))} -> ${path.basename(String(to))}`);
      renameSync(from, to);
    };
    try {
      saveModule(new Linear(2, 1, { seed: 1 }), file);
    } finally {
      writable.fsyncSync = fsyncSync;
      writable.renameSync = renameSync;
    }
    expect(calls[0]).to.equal('fsync');
    expect(calls[1]).to.match(
      new RegExp(
        `^rename \\.mg${process.pid}-${namespaceTag()}-[0-9a-f]{8}\\.tmp -> model\\.json$`,
      ),
    );
  });

  it('a rename that fails leaves the old file whole, no temporary file, and an ERR_IO error', () => {
    const file = path.join(dir, 'model.json');
    saveModule(new Linear(2, 1, { seed: 1 }), file);
    const before = fs.readFileSync(file, 'utf8');
    const { renameSync } = fs;
    const writable = nodeFs as { renameSync: typeof renameSync };
    writable.renameSync = () => {
      throw Object.assign(new Error('EIO: simulated failure'), { code: 'EIO' });
    };
    try {
      saveModule(new Linear(2, 1, { seed: 2 }), file);
      expect.fail('expected an error');
    } catch (e) {
      expect(isMaskgradError(e, 'ERR_IO'), String(e)).to.equal(true);
      expect((e as Error).message).to.equal(
        `saveModule: cannot write ${file}: EIO: simulated failure`,
      );
    } finally {
      writable.renameSync = renameSync;
    }
    expect(fs.readFileSync(file, 'utf8')).to.equal(before);
    expect(fs.readdirSync(dir)).to.deep.equal(['model.json']);
  });

  it('saves through a symbolic link (the link stays) and into a device (it stays a device)', () => {
    const real = path.join(dir, 'real.json');
    fs.writeFileSync(real, 'old');
    const link = path.join(dir, 'model.json');
    fs.symlinkSync('real.json', link);
    const model = new Linear(2, 1, { seed: 1 });
    saveModule(model, link);
    expect(fs.readlinkSync(link)).to.equal('real.json');
    expect(JSON.parse(fs.readFileSync(real, 'utf8'))).to.deep.equal(
      JSON.parse(JSON.stringify(model.stateDict())),
    );
    // A copy of /dev/null (mknod needs root): written to, never replaced by a regular file.
    const device = path.join(dir, 'null');
    if (spawnSync('mknod', [device, 'c', '1', '3']).status === 0) {
      saveModule(model, device);
      expect(fs.lstatSync(device).isCharacterDevice()).to.equal(true);
    } else {
      console.log('      SKIPPED (not root): saveModule onto a mknod copy of /dev/null');
    }
    expect(
      fs.readdirSync(dir).filter((n) => n.endsWith('.tmp')),
      'no temporary left',
    ).to.deep.equal([]);
  });

  it('a save that fails leaves no temporary file and an ERR_IO error naming the file', () => {
    const file = path.join(dir, 'model.json');
    fs.mkdirSync(file);
    try {
      saveModule(new Linear(2, 1, { seed: 1 }), file);
      expect.fail('expected an error');
    } catch (e) {
      expect(isMaskgradError(e, 'ERR_IO')).to.equal(true);
      expect((e as Error).message).to.equal(
        `saveModule: cannot write ${file}: it is a folder; expected a file name`,
      );
    }
    expect(fs.readdirSync(dir)).to.deep.equal(['model.json']);
  });
});

describe('Module.loadStateDict: messages stay short whatever the state holds', () => {
  it('lists at most 20 problems, then counts the rest; long names and shapes are cut short', () => {
    const state = new Linear(2, 1, { seed: 1 }).stateDict() as Record<string, unknown>;
    for (let i = 0; i < 1000; i++) state[`extra${i}`] = { shape: [1], data: [0] };
    state['x'.repeat(100_000)] = { shape: [1], data: [0] };
    const model = new Linear(2, 1, { seed: 2 });
    let message = '';
    try {
      model.loadStateDict(state as StateDict);
    } catch (e) {
      message = (e as Error).message;
    }
    const lines = message.split('\n');
    expect(lines.length).to.equal(22);
    expect(lines[1]).to.equal("  unexpected parameter 'extra0' (the model has no such parameter)");
    expect(lines[21]).to.equal('  ... and 981 more problems');
    const wide = new Linear(2, 1, { seed: 1 }).stateDict();
    wide.bias.shape = new Array(100_000).fill(2);
    expect(() => model.loadStateDict(wide)).to.throw(
      "parameter 'bias': shape [2,2,2,2,2,2,2,2,...] (100000 sizes) in the state but [1] in the model",
    );
    const long = new Linear(2, 1, { seed: 1 }).stateDict() as Record<string, unknown>;
    long['x'.repeat(100_000)] = { shape: [1], data: [0] };
    expect(() => model.loadStateDict(long as StateDict)).to.throw(
      `unexpected parameter '${'x'.repeat(40)}... (100000 characters)' (the model has no such parameter)`,
    );
  });
});
