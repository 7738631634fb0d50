// Measures the page's longest frame (the longest gap between animation frames on the main
// thread) with a file of your own of many labels, in headless Chromium: while the file loads
// and is first drawn, over a few Steps, and while it plays. A measurement, not a test (the
// browser spec checks the work per frame is bounded, frame-budget.ts).
//
//   npx ts-node --transpile-only web/scripts/measure-frames.ts [--labels 1000] [--features 2]
//     [--rows 400] [--query 'hidden=16,16'] [--seconds 5] [--chromium /usr/bin/chromium]
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { buildSite } from './build';
import { launchChromium } from './chromium';
import { manyLabelsCsv } from './many-labels-csv';
import { serve } from './serve';

function arg(name: string, fallback: string): string {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : fallback;
}

type Hooks = {
  __playground: {
    ready: boolean;
    playing: boolean;
    snapshot: { step: number } | null;
    longestDraw: number;
    frameWork: { classesDrawn: number; toyMaps: number; toyWork: number; toyGrid: number };
  };
  __frames: { longest: number; count: number };
};
declare const window: Hooks;
declare const document: { querySelector(s: string): { textContent: string | null } | null };

async function main(): Promise<void> {
  const labels = Number(arg('--labels', '1000'));
  const features = Number(arg('--features', '2'));
  const rows = Number(arg('--rows', '400'));
  const seconds = Number(arg('--seconds', '5'));
  const query = `labels=${labels}&${arg('--query', '')}`;
  const site = await buildSite(mkdtempSync(join(tmpdir(), 'maskgrad-site-')));
  const { server, url } = await serve(site);
  const profile = mkdtempSync(join(tmpdir(), 'maskgrad-chromium-'));
  const context = await launchChromium(profile, arg('--chromium', '/usr/bin/chromium'));
  try {
    const page = await context.newPage();
    await page.goto(`${url}?${query}`);
    await page.waitForFunction(() => window.__playground.ready, undefined, { timeout: 60000 });
    // The longest gap between animation frames from here on.
    const startWatching = () =>
      page.evaluate(() => {
        window.__frames = { longest: 0, count: 0 };
        let last = performance.now();
        const tick = (now: number) => {
          window.__frames.longest = Math.max(window.__frames.longest, now - last);
          window.__frames.count++;
          last = now;
          requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      });
    const longest = () => page.evaluate(() => ({ ...window.__frames }));
    await startWatching();
    await page.getByTestId('file-input').setInputFiles({
      name: 'many.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(manyLabelsCsv(rows, features, labels)),
    });
    await page.waitForFunction(
      () =>
        document.querySelector('[data-testid=status]')!.textContent!.startsWith('Loaded many.csv'),
      undefined,
      { timeout: 120000 },
    );
    await page.waitForTimeout(1500);
    const load = await longest();
    console.log(`  loading and first drawing: longest frame ${load.longest.toFixed(0)} ms`);
    await startWatching();
    for (let i = 1; i <= 5; i++) {
      await page.getByTestId('step').click({ timeout: 600000 });
      await page.waitForFunction((n) => (window.__playground.snapshot?.step ?? 0) >= n, i, {
        timeout: 120000,
      });
    }
    await page.waitForTimeout(1500);
    const steps = await longest();
    console.log(`  5 Steps: longest frame ${steps.longest.toFixed(0)} ms`);
    await startWatching();
    await page.getByTestId('train').click({ timeout: 600000 });
    await page.waitForTimeout(seconds * 1000);
    await page.getByTestId('train').click({ timeout: 600000 });
    const playing = await longest();
    // (frameWork is absent on a page from before frame-budget.ts.)
    const work = await page.evaluate(() => ({
      frameWork: window.__playground.frameWork ?? {
        classesDrawn: 0,
        toyMaps: 0,
        toyWork: 0,
        toyGrid: 0,
      },
      longestDraw: window.__playground.longestDraw,
    }));
    console.log(
      `${labels} labels, ${features} features, ${rows} rows, ?${query}: longest frame ` +
        `${load.longest.toFixed(0)} ms loading and first drawing, ${steps.longest.toFixed(0)} ms over 5 Steps, ` +
        `${playing.longest.toFixed(0)} ms playing ${seconds} s (${playing.count} frames); ` +
        `longest redraw ${work.longestDraw.toFixed(0)} ms; per frame at most ${work.frameWork.classesDrawn} classes drawn, ` +
        `${work.frameWork.toyMaps} region maps (grid ${work.frameWork.toyGrid}), ${work.frameWork.toyWork} multiply-adds of regions`,
    );
  } finally {
    await context.close();
    server.close();
    rmSync(site, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((error: Error) => {
    console.error(`measure-frames: ${error.message}`);
    process.exit(1);
  });
}
