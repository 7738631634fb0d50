// The playground in a real browser: Debian's chromium, driven by playwright-core, on the
// built static site. Screenshots of each step go to test-results/playground/.
import { expect } from 'chai';
import { chromiumOrSkip } from './support/chromium-path';
import { mkdirSync, mkdtempSync, rmSync } from 'fs';
import type { Server } from 'http';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import type { BrowserContext, Page } from 'playwright-core';
import { detectLabelColumns } from '../src';
import { configFromQuery } from '../web/src/config';
import { toyDataset } from '../web/src/toy';
import { PlaygroundTrainer, prepareData } from '../web/src/train-core';
import { buildSite } from '../web/scripts/build';
import { launchChromium } from '../web/scripts/chromium';
import { serve } from '../web/scripts/serve';
import { manyLabelsCsv } from '../web/scripts/many-labels-csv';
import { MAX_CLASSES_DRAWN, MAX_TOY_MAPS, TOY_WORK_PER_FRAME } from '../web/src/frame-budget';
import { build } from 'esbuild';
import { judge, mathFixture, type MathName, UNARY } from './support/math-fixture';

// What the functions run in the page (page.evaluate, waitForFunction) use there. This spec is
// compiled without the DOM library, so these are declared here, as loosely as the specs need.
declare const window: unknown;
declare const document: {
  querySelector(selector: string): { textContent: string | null } | null;
};
declare const location: { search: string };
type PageElement = {
  value: string;
  dataset: Record<string, string | undefined>;
  dispatchEvent(e: unknown): void;
};

const SHOTS = resolve(__dirname, '..', 'test-results', 'playground');
/** The bits of a float64 as hex: compares exactly, -0 and NaN included. */
const bits = (v: number) => {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, v);
  return view.getBigUint64(0).toString(16).padStart(16, '0');
};

describe('playground in the browser', function () {
  this.timeout(60000);
  let browser: BrowserContext;
  let server: Server;
  let url = '';
  let site = '';
  let profile = '';
  let page: Page;
  let errors: string[] = [];

  before(async function () {
    const executablePath = chromiumOrSkip(
      this,
      'the playground browser specs (spec/playground-browser.spec.ts)',
    );
    mkdirSync(SHOTS, { recursive: true });
    site = await buildSite(mkdtempSync(join(tmpdir(), 'maskgrad-site-')));
    ({ server, url } = await serve(site));
    profile = mkdtempSync(join(tmpdir(), 'maskgrad-chromium-'));
    // A fresh profile each run (Playwright passes it as --user-data-dir).
    browser = await launchChromium(profile, executablePath, {
      viewport: { width: 1280, height: 900 },
    });
  });

  after(async () => {
    await browser?.close();
    server?.close();
    if (site) rmSync(site, { recursive: true, force: true });
    if (profile) rmSync(profile, { recursive: true, force: true });
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

  const open = async (query = '') => {
    await page.goto(`${url}${query}`);
    await page.waitForFunction(
      () => (window as unknown as { __playground: { ready: boolean } }).__playground.ready,
    );
  };
  const text = (testid: string) => page.getByTestId(testid).innerText();
  const shot = (name: string) =>
    page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  const waitEpoch = (n: number) =>
    page.waitForFunction(
      (n) => Number(document.querySelector('[data-testid=epoch]')!.textContent) >= n,
      n,
    );

  it('loads with no console errors', async () => {
    await open();
    expect(await text('status')).to.match(/^Loaded toy: 600 rows/);
    expect(await text('epoch')).to.equal('0');
    await shot('01-loaded');
    expect(errors).to.deep.equal([]);
  });

  it('trains a few epochs at 50% hidden: the epoch and the mAP move', async () => {
    await open('?hide=0.2');
    await page.getByTestId('hide-rate').evaluate((el: PageElement) => {
      el.value = '50';
      el.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await page.waitForFunction(() => location.search === '');
    await page.waitForFunction(
      () => (window as unknown as { __playground: { ready: boolean } }).__playground.ready,
    );
    const before = await text('metric-map-masked');
    await page.getByTestId('train').click();
    expect(await page.getByTestId('train').innerText()).to.equal('Pause');
    await waitEpoch(3);
    await page.getByTestId('train').click();
    expect(Number(await text('epoch'))).to.be.at.least(3);
    const after = await text('metric-map-masked');
    expect(Number(after)).to.not.equal(Number(before));
    expect(Number(await text('metric-map-negative'))).to.be.within(0, 1);
    await shot('02-trained');
    expect(errors).to.deep.equal([]);
  });

  it('marks the masked classes of the batch as exactly zero in the gradient heatmap', async () => {
    // Many labels hidden and small batches: some class has no known label in a batch.
    await open('?hide=0.9&batch=8&hidden=8');
    type Hooks = {
      __playground: { trainEpochs(n: number): void; snapshot: { epoch: number; step: number } };
    };
    await page.evaluate(() => (window as unknown as Hooks).__playground.trainEpochs(3));
    await waitEpoch(3);
    const start = await page.evaluate(
      () => (window as unknown as Hooks).__playground.snapshot.step,
    );
    const rows = (strategy: string) =>
      page
        .getByTestId('grad-heatmap')
        .locator(`[data-strategy=${strategy}]`)
        .evaluate((el: PageElement) => ({
          zero: el.dataset.zeroRows,
          unobserved: el.dataset.unobservedRows,
        }));
    let masked = { zero: '', unobserved: '' } as { zero?: string; unobserved?: string };
    for (let i = 0; i < 20 && !masked.unobserved; i++) {
      await page.getByTestId('step').click();
      await page.waitForFunction(
        (n) => (window as unknown as Hooks).__playground.snapshot.step === n,
        start + i + 1,
      );
      masked = await rows('masked');
    }
    expect(masked.unobserved, 'a batch with an unobserved class').to.not.equal('');
    expect(masked.zero).to.equal(masked.unobserved);
    expect((await rows('negative')).zero).to.equal('');
    const note = await page
      .getByTestId('grad-heatmap')
      .locator('[data-strategy=masked] .zero-note')
      .innerText();
    expect(note).to.match(/^Exactly zero gradient \(hatched\): /);
    await page
      .getByTestId('grad-heatmap')
      .screenshot({ path: join(SHOTS, '03-gradient-heatmap.png') });
    await shot('03-page-with-zero-rows');
    expect(errors).to.deep.equal([]);
  });

  it('loads a CSV of your own through the file input', async () => {
    await open('?labels=2');
    const rows = ['x1,x2,a,b'];
    for (let i = 0; i < 40; i++)
      rows.push(`${(i % 7) / 7},${(i % 5) / 5},${i % 2},${i % 3 === 0 ? '?' : 1}`);
    await page.getByTestId('file-input').setInputFiles({
      name: 'mine.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(rows.join('\n')),
    });
    await page.waitForFunction(() =>
      document.querySelector('[data-testid=status]')!.textContent!.startsWith('Loaded mine.csv'),
    );
    expect(await text('status')).to.equal(
      'Loaded mine.csv: 40 rows (32 for training, 8 for validation), 2 features, 2 labels.',
    );
    expect(await page.getByTestId('dataset').inputValue()).to.equal('custom');
    // 32 training rows in one batch of 32: one step is one epoch.
    await page.getByTestId('step').click();
    await page.waitForFunction(
      () => document.querySelector('[data-testid=epoch]')!.textContent === '1',
    );
    await shot('04-own-csv');
    expect(errors).to.deep.equal([]);
  });

  it('works from the keyboard, and reads a file dropped on the page', async () => {
    await open('?labels=1');
    await page.getByTestId('step').focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      () => document.querySelector('#batch-count')!.textContent === '1 of 15',
    );
    await page.getByTestId('train').focus();
    await page.keyboard.press('Space');
    expect(await page.getByTestId('train').getAttribute('aria-pressed')).to.equal('true');
    await page.keyboard.press('Space');
    expect(await page.getByTestId('train').getAttribute('aria-pressed')).to.equal('false');
    // Every control has a label.
    const unlabelled = await page.evaluate(`[...document.querySelectorAll('input, select')]
      .filter((el) => el.labels.length === 0).map((el) => el.id)`);
    expect(unlabelled).to.deep.equal([]);
    const rows = ['u,v,w,label'];
    for (let i = 0; i < 20; i++) rows.push(`${i},${i % 3},${i % 4},${i % 2}`);
    const dataTransfer = await page.evaluateHandle(`(() => {
      const dt = new DataTransfer();
      dt.items.add(new File([${JSON.stringify(rows.join('\n'))}], 'dropped.csv', { type: 'text/csv' }));
      return dt;
    })()`);
    await page.dispatchEvent('body', 'drop', { dataTransfer });
    await page.waitForFunction(() =>
      document.querySelector('[data-testid=status]')!.textContent!.startsWith('Loaded dropped.csv'),
    );
    expect(await text('status')).to.equal(
      'Loaded dropped.csv: 20 rows (16 for training, 4 for validation), 3 features, 1 label.',
    );
    expect(errors).to.deep.equal([]);
  });

  it("shows the reader's error for a malformed file in the status line, and keeps the data shown", async () => {
    await open();
    const bad = 'x1,x2,a\n1,2,0\n"3,4,1\n';
    let expected = '';
    try {
      detectLabelColumns(bad);
    } catch (e) {
      expected = (e as Error).message;
    }
    expect(expected).to.match(/^detectLabelColumns: line 3: unterminated quoted field/);
    await page.getByTestId('file-input').setInputFiles({
      name: 'broken.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(bad),
    });
    await page.waitForFunction(() =>
      document.querySelector('[data-testid=status]')!.textContent!.startsWith('Could not'),
    );
    expect(await text('status')).to.equal(
      `Could not read broken.csv: ${expected}. The page still shows toy.`,
    );
    expect(await page.getByTestId('dataset').inputValue()).to.equal('toy');
    expect(await page.locator('#dataset option[value=custom]').innerText()).to.equal('your file');
    await shot('05-malformed-file');
    expect(errors).to.deep.equal([]);
  });

  it('loads the bundled yeast data from the static site', async () => {
    await open('?dataset=yeast&hidden=16');
    expect(await text('status')).to.equal(
      'Loaded yeast-train.arff: 1500 rows (1200 for training, 300 for validation), 103 features, 14 labels.',
    );
    await page.getByTestId('step').click();
    await page.waitForFunction(
      () => document.querySelector('#batch-count')!.textContent === '1 of 38',
    );
    expect(await page.getByTestId('dataset').inputValue()).to.equal('yeast');
    expect(errors).to.deep.equal([]);
  });

  it('restores the controls from a link with the settings in the URL', async () => {
    const query =
      '?hide=0.3&regime=single-positive&strategies=masked%2Cfull&hidden=8%2C4&optimizer=sgd&lr=0.05&batch=16&seed=7';
    await open(query);
    expect(await page.getByTestId('hide-rate').inputValue()).to.equal('30');
    expect(await page.getByTestId('strategy').inputValue()).to.equal('masked,full');
    expect(await page.locator('#regime').inputValue()).to.equal('single-positive');
    // The hidden share means nothing when each row keeps one positive.
    expect(await page.getByTestId('hide-rate').isDisabled()).to.equal(true);
    expect(await page.locator('#hidden').inputValue()).to.equal('8, 4');
    expect(await page.locator('#optimizer').inputValue()).to.equal('sgd');
    expect(await page.locator('#lr').inputValue()).to.equal('0.05');
    expect(await page.locator('#batch').inputValue()).to.equal('16');
    expect(await page.locator('#seed').inputValue()).to.equal('7');
    expect(await page.getByTestId('metric-map-full').count()).to.equal(1);
    expect(await page.getByTestId('metric-map-negative').count()).to.equal(0);
    expect(new URL(page.url()).search).to.equal(query);
    await shot('06-from-link');
    // A link from before the page used the library's regimes: 'positives' is single-positive.
    await open('?regime=positives');
    expect(await page.locator('#regime').inputValue()).to.equal('single-positive');
    expect(await text('status')).to.contain(
      'URL: regime=positives is the old name of single-positive, read as that',
    );
    // A bad value in a link: the default is kept and the status line says which and why.
    await open('?hide=2');
    expect(await page.getByTestId('hide-rate').inputValue()).to.equal('50');
    expect(await text('status')).to.contain(
      'URL: hide=2 is not valid; expected a number from 0 to 1',
    );
    // And in a control: the last good value is kept and the status line says so.
    await page.locator('#hidden').fill('0');
    await page.locator('#hidden').press('Tab');
    await page.waitForFunction(() =>
      document.querySelector('[data-testid=status]')!.textContent!.includes('hidden=0'),
    );
    expect(await text('status')).to.contain(
      'hidden=0 is not valid; expected up to 4 comma-separated layer sizes from 1 to 512',
    );
    expect(errors).to.deep.equal([]);
  });

  it('trains in the worker as in Node: the initial weights and every loss, bit for bit', async () => {
    const query = '?strategies=masked%2Cnegative%2Cfull&hidden=8&batch=16&seed=5';
    await open(query);
    type Hooks = {
      __playground: {
        trainEpochs(n: number): void;
        replayOnMainThread(steps: number): Record<string, number[]>;
        lossLog: Record<string, number[]>;
        snapshot: { epoch: number; batchesPerEpoch: number };
      };
    };
    // maskgrad computes exp, log, log1p, pow, sin and cos itself (src/math), so the data
    // pipeline, the initial weights (Box-Muller: log, sin, cos), the epoch-0 validation mAP
    // and every loss are Node's, bit for bit, whatever this Chromium's Math.* rounds to.
    // The reports leave the weights out: the page asks the worker for a full snapshot.
    const workerWeights = () =>
      page.evaluate(async () => {
        const view = new DataView(new ArrayBuffer(8));
        const hex = (v: number) => {
          view.setFloat64(0, v);
          return view.getBigUint64(0).toString(16).padStart(16, '0');
        };
        type Full = {
          strategies: {
            valMap: number[];
            layers: { weight: Float64Array; bias: Float64Array }[];
          }[];
        };
        const snapshot = await (
          window as unknown as { __playground: { fullSnapshot(): Promise<Full> } }
        ).__playground.fullSnapshot();
        return snapshot.strategies.map((s) => ({
          valMap: s.valMap.map(hex),
          weights: s.layers
            .flatMap((l) => [...Array.from(l.weight), ...Array.from(l.bias)])
            .map(hex),
        }));
      });
    const start = await workerWeights();
    // Every layer: 2 features to 8 units, 8 units to the toy data's 4 labels.
    expect(start[0].weights.length).to.equal(2 * 8 + 8 + 8 * 4 + 4);
    const { config: startConfig } = configFromQuery(query);
    const fresh = new PlaygroundTrainer(prepareData(toyDataset(), startConfig), startConfig);
    expect(start).to.deep.equal(
      fresh.snapshot().strategies.map((s) => ({
        valMap: s.valMap.map(bits),
        weights: s.layers
          .flatMap((l) => [...Array.from(l.weight), ...Array.from(l.bias)])
          .map(bits),
      })),
    );
    await page.evaluate(() => (window as unknown as Hooks).__playground.trainEpochs(2));
    await page.waitForFunction(() => {
      const state = (window as unknown as Hooks).__playground;
      return (
        state.snapshot.epoch === 2 &&
        state.lossLog.masked?.length === 2 * state.snapshot.batchesPerEpoch
      );
    });
    const { worker, mainThread } = await page.evaluate(() => {
      const state = (window as unknown as Hooks).__playground;
      const view = new DataView(new ArrayBuffer(8));
      const hex = (log: Record<string, number[]>) =>
        Object.fromEntries(
          Object.entries(log).map(([s, values]) => [
            s,
            values.map((v) => {
              view.setFloat64(0, v);
              return view.getBigUint64(0).toString(16).padStart(16, '0');
            }),
          ]),
        );
      return {
        worker: hex(state.lossLog),
        mainThread: hex(state.replayOnMainThread(state.lossLog.masked.length)),
      };
    });
    const steps = worker.masked.length;
    expect(steps).to.equal(60); // 480 training rows / 16, twice
    // The worker runs train-core unchanged: the page's own main thread gives the same bits.
    expect(worker).to.deep.equal(mainThread);

    const { config } = configFromQuery(query);
    const trainer = new PlaygroundTrainer(prepareData(toyDataset(), config), config);
    for (let i = 0; i < steps; i++) trainer.trainStep();
    const node = Object.fromEntries(
      Object.entries(trainer.lossLog).map(([s, values]) => [s, values.map(bits)]),
    );
    expect(worker).to.deep.equal(node);
    // And after those steps, every weight and the validation mAPs, bit for bit.
    expect(await workerWeights()).to.deep.equal(
      trainer.snapshot().strategies.map((s) => ({
        valMap: s.valMap.map(bits),
        weights: s.layers
          .flatMap((l) => [...Array.from(l.weight), ...Array.from(l.bias)])
          .map(bits),
      })),
    );
    expect(errors).to.deep.equal([]);
  });

  it("trains the library's stateful strategies in the worker as in Node, single positive, bit for bit", async () => {
    const query = '?regime=single-positive&strategies=role%2Cll-cp%2Cepr&hidden=8&batch=16&seed=3';
    await open(query);
    type Hooks = {
      __playground: {
        trainEpochs(n: number): void;
        lossLog: Record<string, number[]>;
        snapshot: { epoch: number; batchesPerEpoch: number };
      };
    };
    await page.evaluate(() => (window as unknown as Hooks).__playground.trainEpochs(2));
    await page.waitForFunction(() => {
      const state = (window as unknown as Hooks).__playground;
      return (
        state.snapshot.epoch === 2 &&
        state.lossLog['ll-cp']?.length === 2 * state.snapshot.batchesPerEpoch
      );
    });
    const worker = await page.evaluate(() => {
      const view = new DataView(new ArrayBuffer(8));
      return Object.fromEntries(
        Object.entries((window as unknown as Hooks).__playground.lossLog).map(([s, values]) => [
          s,
          values.map((v) => {
            view.setFloat64(0, v);
            return view.getBigUint64(0).toString(16).padStart(16, '0');
          }),
        ]),
      );
    });
    const { config } = configFromQuery(query);
    const trainer = new PlaygroundTrainer(prepareData(toyDataset(), config), config);
    trainer.trainEpoch();
    trainer.trainEpoch();
    const node = Object.fromEntries(
      Object.entries(trainer.lossLog).map(([s, values]) => [s, values.map(bits)]),
    );
    expect(Object.keys(worker)).to.deep.equal(['role', 'll-cp', 'epr']);
    expect(worker.role).to.have.length(60);
    expect(worker).to.deep.equal(node);
    expect(errors).to.deep.equal([]);
  });

  it("stops at a loss that overflows, with the Trainer's message, until Reset", async () => {
    // Four layers of 64 under plain SGD at lr 10: the loss of epoch 2's batch 2 is Infinity.
    await open('?hidden=64%2C64%2C64%2C64&optimizer=sgd&lr=10');
    type Hooks = { __playground: { trainEpochs(n: number): void; ready: boolean } };
    await page.evaluate(() => (window as unknown as Hooks).__playground.trainEpochs(3));
    await page.waitForFunction(() =>
      document.querySelector('[data-testid=status]')!.textContent!.startsWith('Training stopped'),
    );
    expect(await text('status')).to.equal(
      'Training stopped: playground (masked): the training loss became Infinity at epoch 2, batch 2; ' +
        'stopped, and the model keeps the weights of the last step with a finite loss (try a smaller ' +
        'learning rate). Change a setting or press Reset to start again.',
    );
    await page.getByTestId('train').click();
    expect(await page.getByTestId('train').innerText()).to.equal('Play');
    await page.getByTestId('reset').click();
    // The page draws the fresh state on the next animation frame after the worker is ready.
    await page.waitForFunction(
      () =>
        (window as unknown as Hooks).__playground.ready &&
        document.querySelector('[data-testid=epoch]')!.textContent === '0',
    );
    expect(await text('epoch')).to.equal('0');
    expect(errors).to.deep.equal([]);
  });

  it("computes maskgrad's exp, log, pow, ... in Chromium with the bits of Node 20's table", async () => {
    // src/math alone, bundled for the page: the same functions the worker runs.
    const bundle = await build({
      entryPoints: [resolve(__dirname, '..', 'src', 'core', 'math', 'index.ts')],
      bundle: true,
      format: 'iife',
      globalName: '__maskgradMath',
      platform: 'browser',
      write: false,
      logLevel: 'silent',
    });
    await open();
    await page.addScriptTag({ content: bundle.outputFiles[0].text });
    const table = mathFixture();
    type Run = { name: MathName; entries: string[][]; ours: boolean };
    // In the page: each entry's result as 16 hex digits, from maskgrad's function (ours) or
    // from this Chromium's own Math.* (for the note below).
    const inPage = ({ name, entries, ours }: Run) => {
      const view = new DataView(new ArrayBuffer(8));
      const value = (h: string) => {
        view.setBigUint64(0, BigInt(`0x${h}`));
        return view.getFloat64(0);
      };
      const hex = (v: number) => {
        view.setFloat64(0, v);
        return view.getBigUint64(0).toString(16).padStart(16, '0');
      };
      type F = (...args: number[]) => number;
      const lib = (window as unknown as { __maskgradMath: Record<string, F> }).__maskgradMath;
      const native = (n: string): F =>
        n === 'pow' ? (x, y) => x ** y : (Math as unknown as Record<string, F>)[n];
      const f = ours ? lib[name] : native(name);
      return entries.map((e) => hex(f(...e.slice(0, -1).map(value))));
    };
    let nativeDiffers = 0;
    for (const name of [...UNARY, 'pow'] as const) {
      const entries = table[name];
      const ours = judge(name, entries, await page.evaluate(inPage, { name, entries, ours: true }));
      expect(ours.wrong, `${name} in Chromium`).to.deep.equal([]);
      expect(ours.exact).to.equal(entries.length);
      const native = judge(
        name,
        entries,
        await page.evaluate(inPage, { name, entries, ours: false }),
      );
      nativeDiffers += native.wrong.length;
    }
    // Information, not a condition: how far this Chromium's own Math.* is from Node 20's.
    const total = Object.values(table).reduce((n, e) => n + e.length, 0);
    console.log(
      `      (this Chromium's own Math.* and ** give other bits than Node 20 for ${nativeDiffers} ` +
        `of the ${total} table entries; maskgrad's functions for none)`,
    );
    expect(errors).to.deep.equal([]);
  });

  it('opens the one-batch view and the graph view, loading Graphviz only then', async () => {
    const requested: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    await open();
    const before = requested.length;
    await page.locator('#one-batch-view summary').click();
    const table = page.locator('#one-batch table').last();
    expect(await table.innerText()).to.contain('0 (bit-identical)');
    await page.locator('#graph-view summary').click();
    await page.locator('#graph-output svg').waitFor();
    const svg = await page.locator('#graph-output svg').innerHTML();
    expect(svg).to.contain('tanh');
    expect(svg).to.contain('grad');
    expect(requested.slice(0, before).filter((u) => u.endsWith('/graph-view.js'))).to.deep.equal(
      [],
    );
    const scriptsAfterOpening = requested.slice(before).filter((u) => u.endsWith('/graph-view.js'));
    expect(scriptsAfterOpening.length, 'the graph view loads its own script').to.equal(1);
    await page.locator('#graph-preset').selectOption('masked-loss');
    await page.waitForFunction(() =>
      document
        .querySelector('#graph-output svg')
        ?.textContent?.includes('maskedBinaryCrossEntropyWithLogits'),
    );
    await shot('07-views');
    expect(errors).to.deep.equal([]);
  });

  it("trains on maskgrad's WebAssembly SIMD gemm kernel in the worker, as Node does", async () => {
    await open();
    const kernel = await page.evaluate(
      () => (window as unknown as { __playground: { kernel: string | null } }).__playground.kernel,
    );
    expect(kernel).to.equal('wasm');
    expect(await text('kernel')).to.equal("maskgrad's WebAssembly SIMD kernel");
    expect(errors).to.deep.equal([]);
  });

  describe('a worker that fails, Reset, and many labels', () => {
    type Hooks = {
      __playground: {
        ready: boolean;
        frameWork: { classesDrawn: number; toyMaps: number; toyWork: number; toyGrid: number };
      };
    };
    const statusStartsWith = (prefix: string) =>
      page.waitForFunction(
        (p) => document.querySelector('[data-testid=status]')!.textContent!.startsWith(p),
        prefix,
      );

    it('a worker that throws: the status says so, no page error, and Restart brings a new one', async () => {
      // The page starts its worker from this code instead of its own.
      await page.addInitScript(
        'window.__playgroundWorkerCode = "throw new Error(\'boom in the worker\');"',
      );
      await page.goto(url);
      await statusStartsWith('The training worker failed');
      expect(await text('status')).to.equal(
        'The training worker failed: Uncaught Error: boom in the worker. Press "Restart the worker" to start again.',
      );
      expect(await page.getByTestId('restart-worker').isVisible()).to.equal(true);
      expect(errors).to.deep.equal([]);
      await page.evaluate('delete window.__playgroundWorkerCode');
      await page.getByTestId('restart-worker').click();
      await statusStartsWith('Loaded toy');
      expect(await page.getByTestId('restart-worker').isVisible()).to.equal(false);
      await page.getByTestId('step').click();
      await page.waitForFunction(
        () => document.querySelector('#batch-count')!.textContent === '1 of 15',
      );
      expect(errors).to.deep.equal([]);
    });

    it('a worker that closes: after its silence the status says so, and Restart brings a new one', async () => {
      await page.addInitScript('window.__playgroundWorkerSilenceMs = 1500');
      await page.addInitScript("window.__playgroundWorkerCode = 'self.close();'");
      await page.goto(url);
      expect(await text('status')).to.equal('Loading data…');
      await statusStartsWith('The training worker has not answered');
      expect(await text('status')).to.equal(
        'The training worker has not answered for 2 s: it may have stopped. Press "Restart the worker" to start again.',
      );
      await page.evaluate('delete window.__playgroundWorkerCode');
      await page.getByTestId('restart-worker').click();
      await statusStartsWith('Loaded toy');
      expect(errors).to.deep.equal([]);
    });

    it('Reset while a data set is still loading: the status never names other data than the selector', async () => {
      // The yeast file arrives 1.5 s late; Reset is pressed meanwhile.
      await page.route('**/data/yeast-train.js', async (route) => {
        await new Promise((r) => setTimeout(r, 1500));
        await route.continue();
      });
      await open('?hidden=8');
      await page.evaluate(`(() => {
        window.__statuses = [];
        new MutationObserver(() =>
          window.__statuses.push(document.querySelector('[data-testid=status]').textContent),
        ).observe(document.querySelector('[data-testid=status]'), { childList: true, characterData: true, subtree: true });
      })()`);
      await page.getByTestId('dataset').selectOption('yeast');
      await page.getByTestId('reset').click();
      await statusStartsWith('Loaded yeast-train.arff');
      await page.waitForTimeout(300);
      const statuses = (await page.evaluate('window.__statuses')) as string[];
      expect(statuses.filter((t) => t.startsWith('Loaded'))).to.deep.equal([
        'Loaded yeast-train.arff: 1500 rows (1200 for training, 300 for validation), 103 features, 14 labels.',
      ]);
      expect(await page.getByTestId('dataset').inputValue()).to.equal('yeast');
      expect(errors).to.deep.equal([]);
    });

    it('Reset after a file of your own: the status names your file, as the selector does', async () => {
      await open('?labels=2');
      const rows = ['x1,x2,a,b'];
      for (let i = 0; i < 40; i++)
        rows.push(`${(i % 7) / 7},${(i % 5) / 5},${i % 2},${i % 3 === 0 ? 0 : 1}`);
      await page.getByTestId('file-input').setInputFiles({
        name: 'mine.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(rows.join('\n')),
      });
      // Reset at once, while the file is read.
      await page.getByTestId('reset').click();
      await statusStartsWith('Loaded mine.csv');
      await page.getByTestId('reset').click();
      await page.waitForFunction(() => (window as unknown as Hooks).__playground.ready);
      await page.waitForTimeout(300);
      expect(await text('status')).to.equal(
        'Loaded mine.csv: 40 rows (32 for training, 8 for validation), 2 features, 2 labels.',
      );
      expect(await page.getByTestId('dataset').inputValue()).to.equal('custom');
      expect(errors).to.deep.equal([]);
    });

    it('1,000 labels and 2 features: each frame draws at most 40 classes per picture, 6 region maps per strategy, regions in bounded slices', async () => {
      await open('?labels=1000');
      await page.getByTestId('file-input').setInputFiles({
        name: 'many.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(manyLabelsCsv(200, 2, 1000)),
      });
      await statusStartsWith('Loaded many.csv');
      expect(await text('status')).to.equal(
        'Loaded many.csv: 200 rows (160 for training, 40 for validation), 2 features, 1000 labels.',
      );
      await page.getByTestId('step').click();
      await page.waitForFunction(
        () => document.querySelector('#batch-count')!.textContent === '1 of 5',
      );
      await page.getByTestId('train').click();
      await page.waitForTimeout(1500);
      await page.getByTestId('train').click();
      const work = await page.evaluate(() => (window as unknown as Hooks).__playground.frameWork);
      expect(work.classesDrawn).to.equal(MAX_CLASSES_DRAWN);
      expect(work.toyMaps).to.equal(2 * MAX_TOY_MAPS);
      expect(work.toyGrid).to.equal(48);
      expect(work.toyWork).to.be.within(1, TOY_WORK_PER_FRAME);
      expect(await page.locator('#toy-maps canvas').count()).to.equal(2 * MAX_TOY_MAPS);
      expect(await text('ap-note')).to.equal('Showing the first 40 of 1000 classes.');
      // The worker's reports hold no weights and the drawn gradient rows only; the regions'
      // weights come on request, with 6 output rows.
      const sent = await page.evaluate(() => {
        type Layer = { shape: [number, number] };
        const state = (
          window as unknown as {
            __playground: {
              snapshot: {
                strategies: { layers: Layer[]; gradRows: number; gradWeight: Float64Array }[];
              };
              regionWeights: { strategies: { layers: Layer[] }[] } | null;
            };
          }
        ).__playground;
        return {
          layers: state.snapshot.strategies.map((s) => s.layers.length),
          gradValues: state.snapshot.strategies.map((s) => s.gradWeight.length / s.gradRows),
          gradRows: state.snapshot.strategies.map((s) => s.gradRows),
          regionShapes: state.regionWeights?.strategies.map((s) => s.layers.map((l) => l.shape)),
        };
      });
      expect(sent).to.deep.equal({
        layers: [0, 0],
        gradValues: [16, 16],
        gradRows: [MAX_CLASSES_DRAWN, MAX_CLASSES_DRAWN],
        regionShapes: [0, 1].map(() => [
          [16, 2],
          [16, 16],
          [MAX_TOY_MAPS, 16],
        ]),
      });
      expect(await text('grad-note')).to.equal('Showing the first 40 of 1000 classes.');
      expect(await text('toy-note')).to.equal(
        'Showing the first 6 of 1000 labels for each strategy.',
      );
      // The pictures' canvases are sized for 40 classes, not 1,000.
      const apHeight = await page
        .locator('#ap-bars')
        .evaluate((c: { style: { height: string } }) => c.style.height);
      expect(apHeight).to.equal(`${8 + 40 * (2 * 10 + 6)}px`);
      const gradLabel = await page
        .locator('#grad-heatmap canvas.grad')
        .first()
        .getAttribute('aria-label');
      expect(gradLabel).to.contain('40 of 1000 classes');
      await shot('08-many-labels');
      expect(errors).to.deep.equal([]);
    });
  });
});
