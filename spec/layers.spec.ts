import { expect } from 'chai';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { layerViolations, nodeGlobalsIn } from './support/layers';

const SRC = path.join(__dirname, '..', 'src');

describe('layers: core, node, app, arrows pointing down only', () => {
  it('src/ keeps them: the core imports no Node built-in, no node or app file, no Node global; node imports no app file', () => {
    expect(layerViolations(SRC)).to.deep.equal([]);
  });

  describe('the check fails, naming the file, on each kind of violation', () => {
    let dir: string;
    const write = (file: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    };
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'maskgrad-layers-'));
      write('index.ts', "export { a } from './core/a';\n");
      write('core/a.ts', "import seedrandom from 'seedrandom';\nexport const a = seedrandom;\n");
      write(
        'node/b.ts',
        "import * as fs from 'fs';\nimport { a } from '../core/a';\nexport const b = [fs, a];\n",
      );
      write('app/c.ts', "import { b } from '../node/b';\nexport const c = b;\n");
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('a clean tree has none', () => {
      expect(layerViolations(dir)).to.deep.equal([]);
    });

    it('the core imports a Node built-in (also as node:fs, and through require)', () => {
      write('core/d.ts', "import { readFileSync } from 'fs';\nexport const d = readFileSync;\n");
      write('core/e.ts', "export { join } from 'node:path';\n");
      write('core/f.ts', "export const f = require('crypto');\n");
      expect(layerViolations(dir)).to.deep.equal([
        "core/d.ts: the core layer imports the Node built-in 'fs'",
        "core/e.ts: the core layer imports the Node built-in 'node:path'",
        "core/f.ts: the core layer imports the Node built-in 'crypto'",
        "core/f.ts:1: the core layer uses the Node.js global 'require'",
      ]);
    });

    it('the core imports the node layer, the app layer or an entry point', () => {
      write('core/d.ts', "import { b } from '../node/b';\nexport const d = b;\n");
      write('core/e.ts', "export type { c } from '../app/c';\n");
      write('core/f.ts', "import { a } from '..';\nexport const f = a;\n");
      expect(layerViolations(dir)).to.deep.equal([
        "core/d.ts: the core layer imports the node layer ('../node/b' is node/b.ts)",
        "core/e.ts: the core layer imports the app layer ('../app/c' is app/c.ts)",
        "core/f.ts: the core layer imports an entry point ('..' is index.ts)",
      ]);
    });

    it('the node layer imports the app layer', () => {
      write('node/d.ts', "import { c } from '../app/c';\nexport const d = c;\n");
      expect(layerViolations(dir)).to.deep.equal([
        "node/d.ts: the node layer imports the app layer ('../app/c' is app/c.ts)",
      ]);
    });

    it('the package entry re-exports the node layer', () => {
      write('index.ts', "export { b } from './node/b';\n");
      expect(layerViolations(dir)).to.deep.equal([
        "index.ts: the core layer imports the node layer ('./node/b' is node/b.ts)",
      ]);
    });

    it('the core augments a module of a higher layer', () => {
      write('core/d.ts', "export {};\ndeclare module '../node/b' {\n  interface X {}\n}\n");
      expect(layerViolations(dir)).to.deep.equal([
        "core/d.ts: the core layer imports the node layer ('../node/b' is node/b.ts)",
      ]);
    });

    it('the core imports a package that is not a runtime dependency', () => {
      write('core/d.ts', "import * as chart from 'asciichart';\nexport const d = chart;\n");
      expect(layerViolations(dir)).to.deep.equal([
        "core/d.ts: the core layer imports the package 'asciichart', which is not one of seedrandom",
      ]);
    });

    it('a file outside the three layers', () => {
      write('helpers.ts', 'export const h = 1;\n');
      expect(layerViolations(dir)).to.deep.equal([
        'helpers.ts: a file outside src/core, src/node and src/app that is no entry point',
      ]);
    });
  });

  it("Node's globals are found where used, not as property names or through globalThis", () => {
    const text = [
      'const a = process.env.X;',
      'const b = Buffer.from("x");',
      'const c = (globalThis as { process?: unknown }).process;',
      'const d = { process: 1, require: 2 };',
      'const e = __dirname;',
    ].join('\n');
    expect(nodeGlobalsIn('x.ts', text)).to.deep.equal([
      { name: 'process', line: 1 },
      { name: 'Buffer', line: 2 },
      { name: '__dirname', line: 5 },
    ]);
  });
});
