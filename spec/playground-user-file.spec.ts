// The playground with a file of your own, in Chromium: labels picked in the middle of the
// header, a failed load that leaves everything as it was, early stopping, the model file that
// `maskgrad predict` reads, and the built page opened from disk (file://).
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import type { Server } from 'http';
import { tmpdir } from 'os';
import { join } from 'path';
import { pathToFileURL } from 'url';
import type { BrowserContext, Page } from 'playwright-core';
import { parseModelFile } from '../src';
import { runPredict } from '../src/app/cli/predict';
import { buildSite } from '../web/scripts/build';
import { launchChromium } from '../web/scripts/chromium';
import { serve } from '../web/scripts/serve';
import { captureIo } from './support/capture-io';
import { chromiumOrSkip } from './support/chromium-path';

// This spec is compiled without the DOM library: what the page's functions use is declared.
declare const window: unknown;
declare function requestAnimationFrame(callback: () => void): number;
declare const document: {
  querySelector(selector: string): { textContent: string | null } | null;
};

type Hooks = {
  __playground: {
    ready: boolean;
    info: { name: string; featureNames: string[]; labelNames: string[] } | null;
    snapshot: { epoch: number; strategies: { strategy: string; valMap: number[] }[] };
    earlyStop: { patience: number; epoch: number } | null;
    probabilities(): Promise<{
      rows: number;
      labels: number;
      probabilities: Record<string, number[]>;
    }>;
  };
};

/**
 * 300 rows: features height (near 170, as raw measurements are), w1, w2, then the labels
 * a, b, c in the middle with unknowns written all four ways, then w3, w4. Seeded.
 */
function userCsv(): string {
  let s = 12345;
  const next = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const unknown = ['', '?', 'NaN', '-1'];
  const lines = ['height,w1,w2,a,b,c,w3,w4'];
  for (let i = 0; i < 300; i++) {
    const height = 150 + 40 * next();
    const w = [next() * 2 - 1, next() * 2 - 1, next() * 2 - 1, next() * 2 - 1];
    const labels = [height > 170, w[0] + w[1] > 0, w[2] > 0.3].map((v, k) =>
      next() < 0.25 ? unknown[(i + k) % 4] : v ? '1' : '0',
    );
    lines.push([height.toFixed(2), w[0], w[1], ...labels, w[2], w[3]].join(','));
  }
  return lines.join('\n') + '\n';
}

/**
 * The same kind of data written as TSV (to be saved with a .csv name): a text id column first,
 * features, the labels a, b, c, then a text note holding commas, so only the header's tabs
 * tell the delimiter. 300 rows, seeded.
 */
function userTsvWithIds(): string {
  let s = 777;
  const next = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const unknown = ['', '?', 'NaN', '-1'];
  const notes = ['ok, fine', 'check', 'seen twice, kept', ''];
  const lines = ['id\theight\tw1\tw2\ta\tb\tc\tnote'];
  for (let i = 0; i < 300; i++) {
    const height = 150 + 40 * next();
    const w = [next() * 2 - 1, next() * 2 - 1];
    const labels = [height > 170, w[0] + w[1] > 0, w[1] > 0.3].map((v, k) =>
      next() < 0.25 ? unknown[(i + k) % 4] : v ? '1' : '0',
    );
    const id = `r${String(i).padStart(4, '0')}`;
    lines.push([id, height.toFixed(2), ...w, ...labels, notes[i % 4]].join('\t'));
  }
  return lines.join('\n') + '\n';
}

describe('playground with a file of your own, in the browser', function () {
  this.timeout(60000);
  let browser: BrowserContext;
  let server: Server;
  let url = '';
  let site = '';
  let profile = '';
  let dir = '';
  let page: Page;
  let errors: string[] = [];

  before(async function () {
    const executablePath = chromiumOrSkip(
      this,
      'the playground browser specs (spec/playground-user-file.spec.ts)',
    );
    site = await buildSite(mkdtempSync(join(tmpdir(), 'maskgrad-site-')));
    ({ server, url } = await serve(site));
    profile = mkdtempSync(join(tmpdir(), 'maskgrad-chromium-'));
    dir = mkdtempSync(join(tmpdir(), 'maskgrad-user-file-'));
    browser = await launchChromium(profile, executablePath, {
      viewport: { width: 1280, height: 900 },
    });
  });

  after(async () => {
    await browser?.close();
    server?.close();
    for (const d of [site, profile, dir]) if (d) rmSync(d, { recursive: true, force: true });
  });

  beforeEach(async () => {
    errors = [];
    page = await browser.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
  });

  afterEach(async () => {
    await page?.close();
  });

  const ready = () => page.waitForFunction(() => (window as unknown as Hooks).__playground.ready);
  const open = async (address: string) => {
    await page.goto(address);
    await ready();
  };
  const text = (testid: string) => page.getByTestId(testid).innerText();
  const statusStartsWith = (prefix: string) =>
    page.waitForFunction(
      (p) => document.querySelector('[data-testid=status]')!.textContent!.startsWith(p),
      prefix,
    );
  /** The role picker of one column. */
  const column = (name: string) => page.locator(`#column-list select[data-column="${name}"]`);
  const upload = (name: string, text: string) =>
    page.getByTestId('file-input').setInputFiles({
      name,
      mimeType: 'text/csv',
      buffer: Buffer.from(text),
    });
  /** What the page shows of its data set and run: the selector, the counters and a chart. */
  const shown = async () => {
    // After the frames that draw what the last report brought.
    await page.evaluate(
      () => new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(done))),
    );
    return page.evaluate(() => {
      const p = (window as unknown as Hooks).__playground;
      const q = (s: string) =>
        (
          globalThis as unknown as { document: { querySelector(s: string): unknown } }
        ).document.querySelector(s) as { value: string; textContent: string; toDataURL(): string };
      return {
        dataset: q('#dataset').value,
        custom: q('#dataset option[value=custom]').textContent,
        epoch: q('[data-testid=epoch]').textContent,
        data: p.info?.name,
        loss: q('#loss-chart').toDataURL(),
        map: q('#map-chart').toDataURL(),
        ready: p.ready,
      };
    });
  };

  it('labels in the middle of the header: picked, trained, stopped, downloaded, and maskgrad predict gives the page’s probabilities', async () => {
    const csv = userCsv();
    const input = join(dir, 'mine.csv');
    writeFileSync(input, csv);
    await open(`${url}?strategies=masked&hide=0`);
    await upload('mine.csv', csv);
    // The trailing columns are features: no label is suggested, and the page says which field to change.
    await statusStartsWith('Could not load mine.csv');
    expect(await text('status')).to.equal(
      'Could not load mine.csv: Column roles: no column is set to label; set the columns that hold 0, 1 or unknown (empty, ?, NaN, -1) to label. The page still shows toy.',
    );
    expect(await page.locator('#column-list select').count()).to.equal(8);
    expect(await page.locator('#column-list').innerText()).to.contain('a (0/1/unknown)');
    for (const name of ['a', 'b', 'c']) await column(name).selectOption('label');
    await statusStartsWith('Loaded mine.csv');
    expect(await text('status')).to.equal(
      'Loaded mine.csv: 300 rows (240 for training, 60 for validation), 5 features, 3 labels.',
    );
    const info = await page.evaluate(() => (window as unknown as Hooks).__playground.info!);
    expect(info.featureNames).to.deep.equal(['height', 'w1', 'w2', 'w3', 'w4']);
    expect(info.labelNames).to.deep.equal(['a', 'b', 'c']);
    expect(await page.getByTestId('dataset').inputValue()).to.equal('custom');

    await page.getByTestId('train').click();
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid=epoch]')!.textContent) >= 3,
    );
    await page.getByTestId('stop').click();
    await statusStartsWith('Stopped at epoch');
    expect(await page.getByTestId('train').innerText()).to.equal('Play');
    const epoch = Number(await text('epoch'));
    expect(epoch).to.be.at.least(3);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('download-masked').click(),
    ]);
    expect(download.suggestedFilename()).to.equal('mine-masked.model.json');
    const modelPath = join(dir, 'mine-masked.model.json');
    await download.saveAs(modelPath);
    const model = parseModelFile(readFileSync(modelPath, 'utf8'));
    expect(model.features.names).to.deep.equal(info.featureNames);
    expect(model.labels.names).to.deep.equal(['a', 'b', 'c']);
    expect(model.labels.thresholds).to.deep.equal([0.5, 0.5, 0.5]);
    expect(model.training.strategy).to.equal('masked');
    expect(model.training.epochs).to.equal(Number(await text('epoch')));
    expect(model.training.data).to.have.length(1);
    expect(model.training.data[0].file).to.equal('mine.csv');
    // The page's digest is the one maskgrad train records for the same file.
    const { fileDigest } = await import('../src/node/model-file');
    expect(model.training.data[0]).to.deep.equal(fileDigest('train', input));

    const output = join(dir, 'predictions.csv');
    const io = captureIo();
    const code = await runPredict(['--model', modelPath, '--input', input, '--output', output], io);
    expect(code, io.stderr).to.equal(0);
    const lines = readFileSync(output, 'utf8').trim().split('\n');
    expect(lines[0]).to.equal('a,b,c');
    const predicted = lines.slice(1).map((line) => line.split(',').map(Number));
    const page_ = await page.evaluate(() =>
      (window as unknown as Hooks).__playground.probabilities(),
    );
    expect(page_.rows).to.equal(300);
    const ours = page_.probabilities.masked;
    // Exactly: predict writes the shortest digits that read back to the same float64.
    expect(predicted.flat()).to.deep.equal(ours);
    expect(errors).to.deep.equal([]);
  });

  it('a TSV named .csv with an id and a note: roles pre-selected, a text feature refused, and predict writes the ids first with the page’s probabilities', async () => {
    const tsv = userTsvWithIds();
    const input = join(dir, 'tabs.csv');
    writeFileSync(input, tsv);
    await open(`${url}?strategies=masked&hide=0`);
    await upload('tabs.csv', tsv);
    await statusStartsWith('Loaded tabs.csv');
    expect(await text('status')).to.equal(
      'Loaded tabs.csv: 300 rows (240 for training, 60 for validation), 3 features, 3 labels.',
    );
    expect(await page.locator('#columns-title').innerText()).to.equal(
      'Column roles of tabs.csv (separated by tabs)',
    );
    const roles: Record<string, string> = {};
    for (const name of ['id', 'height', 'w1', 'w2', 'a', 'b', 'c', 'note']) {
      roles[name] = await column(name).inputValue();
    }
    expect(roles).to.deep.equal({
      id: 'id',
      height: 'feature',
      w1: 'feature',
      w2: 'feature',
      a: 'label',
      b: 'label',
      c: 'label',
      note: 'ignore',
    });
    const info = await page.evaluate(() => (window as unknown as Hooks).__playground.info!);
    expect(info.featureNames).to.deep.equal(['height', 'w1', 'w2']);
    expect(info.labelNames).to.deep.equal(['a', 'b', 'c']);

    // The note as a feature: refused before loading, naming the column and what to set it to.
    const before = await shown();
    await column('note').selectOption('feature');
    await statusStartsWith('Could not load tabs.csv');
    expect(await text('status')).to.equal(
      'Could not load tabs.csv: Column roles: "note" is set to feature but is text (line 2: "ok, fine"); set it to id or leave out. The page still shows tabs.csv.',
    );
    expect(await shown()).to.deep.equal(before);
    await column('note').selectOption('ignore');
    await statusStartsWith('Loaded tabs.csv');

    await page.getByTestId('train').click();
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid=epoch]')!.textContent) >= 2,
    );
    await page.getByTestId('stop').click();
    await statusStartsWith('Stopped at epoch');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('download-masked').click(),
    ]);
    const modelPath = join(dir, download.suggestedFilename());
    await download.saveAs(modelPath);
    const model = parseModelFile(readFileSync(modelPath, 'utf8'));
    expect(model.training.idColumn).to.equal('id');
    expect(model.features.names).to.deep.equal(['height', 'w1', 'w2']);
    expect(model.labels.names).to.deep.equal(['a', 'b', 'c']);
    const { fileDigest } = await import('../src/node/model-file');
    expect(model.training.data[0]).to.deep.equal(fileDigest('train', input));

    // maskgrad predict on the same file: no --id, no --delimiter; the model's id column first.
    const output = join(dir, 'tabs-predictions.csv');
    const io = captureIo();
    const code = await runPredict(['--model', modelPath, '--input', input, '--output', output], io);
    expect(code, io.stderr).to.equal(0);
    const lines = readFileSync(output, 'utf8').trim().split('\n');
    expect(lines[0]).to.equal('id,a,b,c');
    const rows = lines.slice(1).map((line) => line.split(','));
    expect(rows.map((r) => r[0])).to.deep.equal(
      tsv
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => line.split('\t')[0]),
    );
    const ours = await page.evaluate(() =>
      (window as unknown as Hooks).__playground.probabilities(),
    );
    expect(ours.rows).to.equal(300);
    expect(rows.flatMap((r) => r.slice(1).map(Number))).to.deep.equal(ours.probabilities.masked);
    expect(errors).to.deep.equal([]);
  });

  it('a failed load keeps the data set, the charts and the selector as they were', async () => {
    await open(`${url}?strategies=masked&hide=0`);
    await page.getByTestId('train').click();
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid=epoch]')!.textContent) >= 2,
    );
    await page.getByTestId('stop').click();
    await statusStartsWith('Stopped at epoch');
    const before = await shown();
    expect(before.data).to.equal('toy');
    // The last column, cat, is not 0, 1 or unknown; x, a and b are.
    const rows = ['x,a,b,cat'];
    for (let i = 0; i < 30; i++) rows.push(`${i / 30},${i % 2},${i % 3 ? 1 : ''},${i % 4}`);
    await upload('cat.csv', rows.join('\n'));
    await statusStartsWith('Could not load cat.csv');
    // The user sets cat to label: the page names the column, the value and what to set.
    await column('cat').selectOption('label');
    await page.waitForFunction(() =>
      document.querySelector('[data-testid=status]')!.textContent!.includes('"cat"'),
    );
    expect(await text('status')).to.equal(
      'Could not load cat.csv: Column roles: "cat" is set to label but has a value that is not 0, 1 or unknown (line 4: "2"); set it to feature, id or leave out. The page still shows toy.',
    );
    expect(await shown()).to.deep.equal(before);
    // A file the worker's reader refuses (ARFF, read there) keeps it too.
    await upload(
      'bad.arff',
      '@relation r\n@attribute a numeric\n@attribute y {0,1}\n@data\n1,2,3\n',
    );
    await statusStartsWith('Could not load bad.arff');
    expect(await text('status')).to.match(
      /^Could not load bad\.arff: parseArff: .* The page still shows toy\.$/,
    );
    expect(await shown()).to.deep.equal(before);
    // And Play goes on with the data that was there.
    await page.getByTestId('train').click();
    await page.waitForFunction(
      (e) => Number(document.querySelector('[data-testid=epoch]')!.textContent) > e,
      Number(before.epoch),
    );
    await page.getByTestId('stop').click();
    expect(errors).to.deep.equal([]);
  });

  it('stops by itself after the patience runs out, at the first epoch it could, and says so', async () => {
    // A large learning rate: the validation mAP soon stops improving.
    await open(`${url}?strategies=masked,negative&lr=0.3&patience=3`);
    expect(await page.getByTestId('patience').inputValue()).to.equal('3');
    await page.getByTestId('train').click();
    await page.waitForFunction(() => (window as unknown as Hooks).__playground.earlyStop !== null);
    const { snapshot, earlyStop } = await page.evaluate(() => {
      const p = (window as unknown as Hooks).__playground;
      return { snapshot: p.snapshot, earlyStop: p.earlyStop! };
    });
    expect(earlyStop.patience).to.equal(3);
    expect(snapshot.epoch).to.equal(earlyStop.epoch);
    // The spec's own count: epochs since each strategy's best mAP (strictly better), the fewest.
    const since = (epoch: number) =>
      Math.min(
        ...snapshot.strategies.map((s) => {
          const map = s.valMap.slice(0, epoch + 1);
          let best = 0;
          map.forEach((v, e) => {
            if (v > map[best]) best = e;
          });
          return epoch - best;
        }),
      );
    expect(since(earlyStop.epoch)).to.equal(3);
    for (let e = 0; e < earlyStop.epoch; e++) expect(since(e), `epoch ${e}`).to.be.below(3);
    expect(await text('status')).to.equal(
      `Stopped early at epoch ${earlyStop.epoch}: the validation mAP has not improved for 3 epochs (the patience). Download a model, or raise the patience and press Play to go on.`,
    );
    expect(await page.getByTestId('train').innerText()).to.equal('Play');
    await page.waitForTimeout(300);
    expect(Number(await text('epoch'))).to.equal(earlyStop.epoch);
    expect(errors).to.deep.equal([]);
  });

  it('the built page opened from disk (file://) trains, yeast included, with no console error', async () => {
    const index = pathToFileURL(join(site, 'index.html')).href;
    await open(`${index}?hidden=8`);
    expect(await text('status')).to.match(/^Loaded toy: 600 rows/);
    await page.getByTestId('train').click();
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid=epoch]')!.textContent) >= 3,
    );
    await page.getByTestId('stop').click();
    await page.getByTestId('dataset').selectOption('yeast');
    await statusStartsWith('Loaded yeast-train.arff');
    expect(await text('kernel')).to.equal("maskgrad's WebAssembly SIMD kernel");
    expect(errors).to.deep.equal([]);
  });
});
