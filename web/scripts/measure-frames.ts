// Measures the page's longest frame (the longest gap between animation frames on the main
// thread) with a file of your own of many labels, in headless Chromium: while the file loads
// and is first drawn, over a few Steps, and while it plays. A measurement, not a test (the
// browser spec checks the work per frame is bounded, frame-budget.ts).
//
//   npx ts-node --transpile-only web/scripts/measure-frames.ts [--labels 1000] [--features 2]
//     [--rows 400] [--query 'hidden=16,16'] [--seconds 5] [--chromium /usr/bin/chromium]
import {
  clickSteps,
  loadManyLabels,
  playFor,
  scriptArg as arg,
  withPlaygroundPage,
} from './playground-page';

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

async function main(): Promise<void> {
  const labels = Number(arg('--labels', '1000'));
  const features = Number(arg('--features', '2'));
  const rows = Number(arg('--rows', '400'));
  const seconds = Number(arg('--seconds', '5'));
  const query = `labels=${labels}&${arg('--query', '')}`;
  await withPlaygroundPage(query, async (page) => {
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
    await loadManyLabels(page, rows, features, labels);
    const load = await longest();
    console.log(`  loading and first drawing: longest frame ${load.longest.toFixed(0)} ms`);
    await startWatching();
    await clickSteps(page, 5);
    await page.waitForTimeout(1500);
    const steps = await longest();
    console.log(`  5 Steps: longest frame ${steps.longest.toFixed(0)} ms`);
    await startWatching();
    await playFor(page, seconds);
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
  });
}

if (require.main === module) {
  main().catch((error: Error) => {
    console.error(`measure-frames: ${error.message}`);
    process.exit(1);
  });
}
