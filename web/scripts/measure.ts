// Measures training yeast per epoch in the page (Web Worker, headless Chromium) and in Node,
// with the same code (web/src/train-core.ts) and settings, epoch by epoch in turn, and the
// page's longest frame while it plays. A measurement, not a test.
//
//   npx ts-node --transpile-only web/scripts/measure.ts [--epochs 8] [--chromium /usr/bin/chromium]
import { readFileSync } from 'fs';
import { join, resolve } from 'path';
import { configFromQuery, configToQuery } from '../src/config';
import { parseDataFile, PlaygroundTrainer, prepareData } from '../src/train-core';
import { scriptArg as arg, withPlaygroundPage } from './playground-page';

const QUERY = 'dataset=yeast&hidden=128,128&lr=0.001&batch=64';

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

  // Page
  await withPlaygroundPage(QUERY, async (page) => {
    // Epoch by epoch, the page and Node in turn, so that a change in the machine's load
    // (other jobs on a shared machine) falls on both alike. The page trains as fast as its
    // worker can, its pictures drawn as the worker's reports arrive.
    for (let e = 1; e <= epochs; e++) {
      await page.evaluate(() => window.__playground.trainEpochs(1));
      await page.waitForFunction((n) => window.__playground.snapshot.epoch >= n, e, {
        timeout: 600000,
      });
      const t0 = performance.now();
      trainer.trainEpoch();
      nodeMs.push(performance.now() - t0);
    }
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
    const ratios = rest(fast.worker).map((w, i) => w / rest(nodeMs)[i]);
    console.log(
      `page / Node: ${(worker / node).toFixed(2)} (training), ${(wall / node).toFixed(2)} (wall); ` +
        `median of the per-epoch ratios ${median(ratios).toFixed(2)} (training)`,
    );
    console.log(
      `longest frame while playing 3 epochs: ${longestFrame.toFixed(0)} ms (longest redraw ${longestDraw.toFixed(0)} ms)`,
    );
  });
}

main().catch((error: Error) => {
  console.error(`measure: ${error.message}`);
  process.exit(1);
});
