// The run report of `train --report` in a real browser: Debian's chromium, driven by
// playwright-core, opens the page from file:// and the charts have drawn: every chart's SVG
// and every line and bar in it has a size on the page, with no console error and no request
// but the page itself. A picture of the page goes to test-results/report/.
import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { pathToFileURL } from 'url';
import type { BrowserContext } from 'playwright-core';
import { launchChromium } from '../web/scripts/chromium';
import { chromiumOrSkip } from './support/chromium-path';
import { runTrainCli } from './support/train-cli';

// What the function run in the page uses there (this spec compiles without the DOM library).
declare const document: {
  querySelectorAll(selector: string): ArrayLike<{
    getBoundingClientRect(): { width: number; height: number };
    closest(selector: string): { id: string; className: string } | null;
    tagName: string;
  }>;
};

const SHOTS = resolve(__dirname, '..', 'test-results', 'report');

describe('the run report in the browser (file://)', function () {
  this.timeout(60000);
  let dir = '';
  let browser: BrowserContext;

  before(async function () {
    const executablePath = chromiumOrSkip(
      this,
      'the run report browser spec (spec/report-browser.spec.ts)',
    );
    mkdirSync(SHOTS, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'maskgrad-report-browser-'));
    browser = await launchChromium(join(dir, 'profile'), executablePath, {
      viewport: { width: 1200, height: 900 },
    });
  });
  after(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('opens from disk and draws every chart: sized SVGs, lines and bars, no console error, no request', async () => {
    const report = join(dir, 'yeast report.html');
    // Two strategies on the bundled yeast data: two lines per chart, 14 labels.
    const r = runTrainCli([
      ...['--strategy', 'masked,negative', '--runs', '1', '--epochs', '6', '--hidden', '16'],
      ...['--report', report],
    ]);
    expect(r.code, r.err).to.equal(0);

    const page = await browser.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('request', (request) => requests.push(request.url()));
    const url = pathToFileURL(report).href;
    await page.goto(url);
    await page.screenshot({ path: join(SHOTS, 'report.png'), fullPage: true });

    const drawn = await page.evaluate(() => {
      const sized = (selector: string) =>
        Array.from(document.querySelectorAll(selector)).map((e) => {
          const box = e.getBoundingClientRect();
          const figure = e.closest('figure');
          return {
            where: figure ? figure.id || figure.className : '',
            tag: e.tagName,
            width: box.width,
            height: box.height,
          };
        });
      return {
        svgs: sized('svg'),
        lines: sized('svg polyline'),
        bars: sized('#ap-chart svg rect'),
      };
    });
    // The loss and validation charts, the AP bars, and a precision-recall chart per label.
    expect(drawn.svgs.map((s) => s.where)).to.deep.equal([
      'loss-chart',
      'validation-chart',
      'ap-chart',
      ...Array.from({ length: 14 }, () => 'pr'),
    ]);
    for (const item of [...drawn.svgs, ...drawn.bars]) {
      expect(item.width, `${item.where} ${item.tag}`).to.be.above(0);
      expect(item.height, `${item.where} ${item.tag}`).to.be.above(0);
    }
    // Loss: 2 runs and their 2 refits; validation: 2 runs; per label, a curve per strategy
    // where the test rows have a known positive (yeast's every label does).
    const count = (where: string) => drawn.lines.filter((l) => l.where === where).length;
    expect([count('loss-chart'), count('validation-chart'), count('pr')]).to.deep.equal([4, 2, 28]);
    for (const line of drawn.lines) {
      // A line has extent in at least one direction (a flat loss curve is still drawn).
      expect(line.width + line.height, line.where).to.be.above(0);
    }
    expect(drawn.bars.length).to.equal(28);
    expect(errors).to.deep.equal([]);
    expect(requests).to.deep.equal([url]);
  });
});
