import { expect } from 'chai';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { apiReport, REPORT_PATH } from '../scripts/api-report';
import { MASKGRAD_VERSION } from '../src';

const ROOT = path.join(__dirname, '..');

describe('the public API and its report', () => {
  it(`${REPORT_PATH} is the API as the sources define it (regenerate: npm run api:report)`, () => {
    const committed = fs.readFileSync(path.join(ROOT, REPORT_PATH), 'utf8');
    expect(
      apiReport(ROOT) === committed,
      `${REPORT_PATH} is out of date: the public API changed. Run npm run api:report and ` +
        'review the difference (git diff api/)',
    ).to.equal(true);
  });

  it('the report shows a change of signature, a new name and a removed one', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'maskgrad-api-'));
    try {
      const entries = [{ specifier: 'demo', source: 'index.ts' }];
      const report = (text: string) => {
        fs.writeFileSync(path.join(dir, 'index.ts'), text);
        return apiReport(dir, entries).split('\n');
      };
      const before = report('export function f(a: number): number { return a; }\n');
      expect(before).to.include('function f(a: number): number;');
      expect(before).to.include('## demo (index.ts): 1 names');
      const changed = report('export function f(a: number, b?: string): number { return a; }\n');
      expect(changed).to.include('function f(a: number, b?: string | undefined): number;');
      const added = report(
        'export function f(a: number): number { return a; }\nexport interface G { x: number }\n',
      );
      expect(added).to.include.members([
        'interface G {',
        '  x: number;',
        '## demo (index.ts): 2 names',
      ]);
      const removed = report('export const g = 1;\n');
      expect(removed.some((line) => line.startsWith('function f'))).to.equal(false);
      expect(removed).to.include('const g: 1;');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("MASKGRAD_VERSION is package.json's version", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(MASKGRAD_VERSION).to.equal(pkg.version);
  });
});
