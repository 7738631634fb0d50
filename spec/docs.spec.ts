import { expect } from 'chai';
import * as fs from 'fs';
import { dirname, join, relative, resolve } from 'path';
import * as ts from 'typescript';
import * as maskgrad from '../src';
import { demoTable, tableDifferences } from '../scripts/check-demo-table';

// The guide: README.md (also the npm page) and the pages in docs/.
const ROOT = join(__dirname, '..');
const README = join(ROOT, 'README.md');
const DOCS = join(ROOT, 'docs');
const pages = [
  README,
  ...fs
    .readdirSync(DOCS)
    .filter((f) => f.endsWith('.md'))
    .map((f) => join(DOCS, f)),
];
const read = (file: string) => fs.readFileSync(file, 'utf8');
const name = (file: string) => relative(ROOT, file);

/** The fenced code blocks of a Markdown text, with their language. */
function codeBlocks(text: string): { lang: string; code: string }[] {
  const blocks: { lang: string; code: string }[] = [];
  const fence = /^```([\w-]*)[^\n]*\n([\s\S]*?)^```[ \t]*$/gm;
  for (let m = fence.exec(text); m; m = fence.exec(text)) {
    blocks.push({ lang: m[1], code: m[2] });
  }
  return blocks;
}

/** The text outside code blocks and inline code, where links are. */
const prose = (text: string) =>
  text.replace(/^```[\s\S]*?^```[ \t]*$/gm, '').replace(/`[^`\n]*`/g, '');

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
const anchorOf = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/`/g, '')
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');

function anchors(file: string): Set<string> {
  const headings = prose(read(file))
    .split('\n')
    .filter((l) => /^#{1,6} /.test(l))
    .map((l) => anchorOf(l.replace(/^#+ /, '')));
  return new Set(headings);
}

const CODE_LANGS = new Set(['ts', 'typescript', 'js', 'javascript', 'mjs', 'cjs']);

describe('the guide (README.md and docs/*.md)', () => {
  it('the README, also the npm page, has at most 300 lines', () => {
    const lines = read(README).split('\n').length - (read(README).endsWith('\n') ? 1 : 0);
    expect(lines, 'README.md lines').to.be.at.most(300);
  });

  it('the README names no commit, issue or dated sitting', () => {
    const text = read(README);
    expect(text).to.not.match(/\b[0-9a-f]{7,40}\b/, 'a commit hash');
    expect(text).to.not.match(/\bissue \d+|#\d+\b/i, 'an issue number');
    expect(text).to.not.match(/\b20\d\d-\d\d-\d\d\b/, 'a date');
  });

  it('every relative link leads to a file, and every anchor to a heading there', () => {
    const broken: string[] = [];
    for (const page of pages) {
      const link = /!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g;
      const text = prose(read(page));
      for (let m = link.exec(text); m; m = link.exec(text)) {
        const target = m[1];
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
        const [path, anchor] = target.split('#');
        const file = path === '' ? page : resolve(dirname(page), path);
        if (!fs.existsSync(file)) {
          broken.push(`${name(page)}: ${target} (no such file)`);
        } else if (anchor !== undefined && file.endsWith('.md') && !anchors(file).has(anchor)) {
          broken.push(`${name(page)}: ${target} (no heading with that anchor)`);
        }
      }
    }
    expect(broken).to.deep.equal([]);
  });

  it('the links find links: a page with a broken one is caught', () => {
    // The link pattern above, on a known text, so an empty list means no broken link.
    const text = prose('see [a](docs/none.md) and ![b](x.png) but not `[c](d)`');
    const found = [...text.matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]);
    expect(found).to.deep.equal(['docs/none.md', 'x.png']);
    expect(anchorOf('The study: which missing-label method when')).to.equal(
      'the-study-which-missing-label-method-when',
    );
  });

  it("code blocks import from 'maskgrad', never from the sources", () => {
    const wrong: string[] = [];
    for (const page of pages) {
      for (const { lang, code } of codeBlocks(read(page))) {
        if (!CODE_LANGS.has(lang)) continue;
        for (const m of code.matchAll(/(?:from\s+|require\(\s*|import\(\s*)['"]([^'"]+)['"]/g)) {
          if (!/^maskgrad(\/(node|experiment))?$/.test(m[1])) wrong.push(`${name(page)}: ${m[1]}`);
        }
      }
    }
    expect(wrong).to.deep.equal([]);
    const readmeImports = codeBlocks(read(README)).filter(
      (b) => CODE_LANGS.has(b.lang) && /from 'maskgrad'/.test(b.code),
    );
    expect(readmeImports, "the README's library example").to.have.length(1);
  });

  describe("the README's library example", () => {
    const example = codeBlocks(read(README)).find(
      (b) => CODE_LANGS.has(b.lang) && /from 'maskgrad'/.test(b.code),
    )!.code;

    it("type-checks with 'maskgrad' as the package's entry (src/index.ts)", function () {
      this.timeout(120000);
      const file = join(ROOT, 'readme-example.ts'); // served from memory, never written
      const options: ts.CompilerOptions = {
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.CommonJS,
        moduleResolution: ts.ModuleResolutionKind.Node10,
        lib: ['lib.es2022.d.ts'],
        types: ['node'],
        strict: true,
        esModuleInterop: true,
        skipLibCheck: true,
        noEmit: true,
        baseUrl: ROOT,
        paths: { maskgrad: ['src/index.ts'] },
      };
      const host = ts.createCompilerHost(options);
      const getSourceFile = host.getSourceFile;
      host.getSourceFile = (f, language, ...rest) =>
        resolve(f) === file
          ? ts.createSourceFile(f, example, language)
          : getSourceFile.call(host, f, language, ...rest);
      const fileExists = host.fileExists;
      host.fileExists = (f) => resolve(f) === file || fileExists.call(host, f);
      // The library's own declaration of seedrandom's Alea, as tsconfig.json includes it.
      const alea = join(ROOT, 'src', 'core', 'seedrandom-alea.d.ts');
      const program = ts.createProgram([file, alea], options, host);
      const problems = ts
        .getPreEmitDiagnostics(program)
        .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      expect(problems).to.deep.equal([]);
    });

    it('runs: the unknown entry gets a gradient of exactly 0, and training lowers the loss', () => {
      const { outputText } = ts.transpileModule(example, {
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
      });
      const printed: unknown[][] = [];
      const fakeConsole = { log: (...args: unknown[]) => printed.push(args) };
      const fakeRequire = (id: string) => {
        if (id !== 'maskgrad') throw new Error(`the example requires ${id}`);
        return maskgrad;
      };
      new Function('require', 'console', 'exports', outputText)(fakeRequire, fakeConsole, {});
      expect(printed).to.have.length(3);
      const [grad] = printed[0] as [number[][]];
      expect(grad[0][1]).to.equal(0);
      expect(Object.is(grad[0][1], 0), 'the masked gradient is +0').to.equal(true);
      expect(grad[0][0]).to.be.closeTo(-0.0596, 1e-4);
      expect(grad[0][2]).to.be.closeTo(0.3112, 1e-4);
      const [first, arrow, last] = printed[1] as [number, string, number];
      expect(arrow).to.equal('->');
      expect(last).to.be.below(first / 10);
      const probs = printed[2][0] as number[][];
      expect(probs).to.have.length(6);
      for (const row of probs) {
        expect(row).to.have.length(2);
        for (const p of row) expect(p).to.be.within(0, 1);
      }
    });
  });

  it("scripts/check-demo-table.ts reads the README's demo table and finds a changed digit, not the seconds", () => {
    const table = demoTable(read(README));
    expect(table.map((r) => r[0])).to.deep.equal([
      'strategy',
      'all labels',
      'masked',
      'unknown = negative (AN)',
    ]);
    expect(table.every((r) => r.length === 9)).to.equal(true);
    const slower = table.map((r, i) => (i === 0 ? r : [...r.slice(0, 8), '99.9']));
    expect(tableDifferences(table, slower)).to.deep.equal([]);
    const changed = table.map((r) => [...r]);
    changed[2][1] = '0.479';
    expect(tableDifferences(table, changed)).to.deep.equal([
      "row 3, column 2: README '0.478', demo '0.479'",
    ]);
  });
});
