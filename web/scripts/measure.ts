// Measures training yeast per epoch in the page (Web Worker, headless Chromium) and in Node,
// with the same code (web/src/train-core.ts) and settings, and the page's longest frame while
// it plays. A measurement, not a test.
//
//   npx ts-node --transpile-only web/scripts/measure.ts [--epochs 8] [--chromium /usr/bin/chromium]
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { chromium } from 'playwright-core';
import { configFromQuery, configToQuery } from '../src/config';
import { parseDataFile, PlaygroundTrainer, prepareData } from '../src/train-core';
import { buildSite } from './build';
import { serve } from './serve';

const QUERY = 'dataset=yeast&hidden=128,128&lr=0.001&batch=64';

function arg(name: string, fallback: string): string {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : fallback;
}

const median = (values: number[]) => {
  const s = values.slice().sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

type Hooks = {
  __playground: {
    ready: boolean;
    playing: boolean;
    trainEpochs(n: number): void;
    snapshot: { epoch: number };
    epochMs: number[];
    epochWall: number[];
    longestFrame: number;
    longestDraw: number;
  };
};
declare const window: Hooks;

async function main(): Promise<void> {
  const epochs = Number(arg('--epochs', '8'));
  const { config } = configFromQuery(QUERY);
  console.log(
    `Settings: ${configToQuery(config)}; ${epochs} epochs; first epoch (warm-up) left out of the median.`,
  );

  // Node
  const root = resolve(__dirname, '..', '..');
  const text = readFileSync(join(root, 'examples', 'data', 'yeast-train.arff'), 'utf8');
  const trainer = new PlaygroundTrainer(
    prepareData(parseDataFile('yeast-train.arff', text, 14), config),
    config,
  );
  const nodeMs: number[] = [];
  for (let e = 0; e < epochs; e++) {
    const t0 = performance.now();
    trainer.trainEpoch();
    nodeMs.push(performance.now() - t0);
  }

  // Page
  const site = await buildSite(mkdtempSync(join(tmpdir(), 'maskgrad-site-')));
  const { server, url } = await serve(site);
  const profile = mkdtempSync(join(tmpdir(), 'maskgrad-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: arg('--chromium', '/usr/bin/chromium'),
    args: [
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      '--headless',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const page = await context.newPage();
    await page.goto(`${url}?${QUERY}`);
    await page.waitForFunction(() => window.__playground.ready, undefined, { timeout: 60000 });
    // As fast as the worker trains (pictures still drawn as its reports arrive).
    await page.evaluate((n) => window.__playground.trainEpochs(n), epochs);
    await page.waitForFunction((n) => window.__playground.snapshot.epoch >= n, epochs, {
      timeout: 600000,
    });
    const fast = await page.evaluate(() => ({
      worker: window.__playground.epochMs.slice(),
      wall: window.__playground.epochWall.slice(),
    }));
    // Playing, as a user would: the longest gap between frames.
    await page.getByTestId('reset').click();
    await page.waitForFunction(() => window.__playground.ready);
    await page.getByTestId('train').click();
    await page.waitForFunction((n) => window.__playground.snapshot.epoch >= n, 3, {
      timeout: 600000,
    });
    await page.getByTestId('train').click();
    const { longestFrame, longestDraw } = await page.evaluate(() => ({
      longestFrame: window.__playground.longestFrame,
      longestDraw: window.__playground.longestDraw,
    }));

    const rest = (v: number[]) => v.slice(1);
    const node = median(rest(nodeMs));
    const worker = median(rest(fast.worker));
    const wall = median(rest(fast.wall));
    console.log(
      `Node        ms/epoch: ${nodeMs.map((v) => v.toFixed(0)).join(' ')}  median ${node.toFixed(0)}`,
    );
    console.log(
      `page worker ms/epoch: ${fast.worker.map((v) => v.toFixed(0)).join(' ')}  median ${worker.toFixed(0)} (training only)`,
    );
    console.log(
      `page wall   ms/epoch: ${fast.wall.map((v) => v.toFixed(0)).join(' ')}  median ${wall.toFixed(0)} (with the reports and pictures)`,
    );
    console.log(
      `page / Node: ${(worker / node).toFixed(2)} (training), ${(wall / node).toFixed(2)} (wall)`,
    );
    console.log(
      `longest frame while playing 3 epochs: ${longestFrame.toFixed(0)} ms (longest redraw ${longestDraw.toFixed(0)} ms)`,
    );
  } finally {
    await context.close();
    server.close();
    rmSync(site, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  }
}

main().catch((error: Error) => {
  console.error(`measure: ${error.message}`);
  process.exit(1);
});
