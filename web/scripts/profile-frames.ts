// Profiles the page's main thread at the largest settings with Chromium's tracing (over the
// DevTools protocol): which events take the time while a file of many labels is stepped and
// played, as a table of total and longest milliseconds per event name. A measurement, not a test.
//
//   npx ts-node --transpile-only web/scripts/profile-frames.ts [--labels 1000] [--features 2]
//     [--rows 400] [--query 'hidden=512,512,512,512&strategies=full,masked,negative,an-ls']
//     [--seconds 5] [--chromium /usr/bin/chromium]
import {
  clickSteps,
  loadManyLabels,
  playFor,
  scriptArg as arg,
  withPlaygroundPage,
} from './playground-page';

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  args?: { name?: string; data?: { type?: string } };
}

async function main(): Promise<void> {
  const labels = Number(arg('--labels', '1000'));
  const features = Number(arg('--features', '2'));
  const rows = Number(arg('--rows', '400'));
  const seconds = Number(arg('--seconds', '5'));
  const query = `labels=${labels}&${arg('--query', 'hidden=512,512,512,512&strategies=full,masked,negative,an-ls')}`;
  await withPlaygroundPage(query, async (page, context) => {
    await loadManyLabels(page, rows, features, labels);
    const cdp = await context.newCDPSession(page);
    const events: TraceEvent[] = [];
    cdp.on('Tracing.dataCollected', (data) => {
      events.push(...(data.value as unknown as TraceEvent[]));
    });
    const done = new Promise<void>((resolve) =>
      cdp.once('Tracing.tracingComplete', () => resolve()),
    );
    await cdp.send('Tracing.start', {
      categories: 'devtools.timeline,v8,blink,toplevel',
      transferMode: 'ReportEvents',
    });
    await clickSteps(page, 5);
    await playFor(page, seconds);
    await page.waitForTimeout(500);
    await cdp.send('Tracing.end');
    await done;
    // The page's main thread: the thread named CrRendererMain of the process that ran the page.
    // (Chromium may have more than one renderer: the busiest CrRendererMain is the page's.)
    const busy = new Map<string, number>();
    for (const e of events)
      if (e.ph === 'X')
        busy.set(`${e.pid}:${e.tid}`, (busy.get(`${e.pid}:${e.tid}`) ?? 0) + (e.dur ?? 0));
    const mains = events.filter(
      (e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain',
    );
    const main = mains.sort(
      (a, b) => (busy.get(`${b.pid}:${b.tid}`) ?? 0) - (busy.get(`${a.pid}:${a.tid}`) ?? 0),
    )[0];
    if (!main) throw new Error('no CrRendererMain thread in the trace');
    const totals = new Map<string, { total: number; longest: number; count: number }>();
    for (const e of events) {
      if (e.pid !== main.pid || e.tid !== main.tid || e.ph !== 'X' || e.dur === undefined) continue;
      const name = e.name === 'EventDispatch' ? `EventDispatch(${e.args?.data?.type})` : e.name;
      const entry = totals.get(name) ?? { total: 0, longest: 0, count: 0 };
      entry.total += e.dur / 1000;
      entry.longest = Math.max(entry.longest, e.dur / 1000);
      entry.count++;
      totals.set(name, entry);
    }
    const rowsOut = [...totals].sort((a, b) => b[1].longest - a[1].longest).slice(0, 25);
    console.log(`main thread, ?${query}, 5 Steps then ${seconds} s playing:`);
    console.log('  longest ms  total ms  count  event');
    for (const [name, t] of rowsOut)
      console.log(
        `  ${t.longest.toFixed(1).padStart(10)}  ${t.total.toFixed(0).padStart(8)}  ${String(t.count).padStart(5)}  ${name}`,
      );
  });
}

if (require.main === module) {
  main().catch((error: Error) => {
    console.error(`profile-frames: ${error.message}`);
    process.exit(1);
  });
}
