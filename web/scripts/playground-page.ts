// The playground in headless Chromium for the measurement scripts (measure.ts,
// measure-frames.ts, profile-frames.ts): the site built and served on 127.0.0.1, the page
// opened and ready, everything removed afterwards.
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { BrowserContext, Page } from 'playwright-core';
import { buildSite } from './build';
import { launchChromium } from './chromium';
import { manyLabelsCsv } from './many-labels-csv';
import { serve } from './serve';

declare const window: { __playground: { ready: boolean; snapshot: { step: number } | null } };
declare const document: { querySelector(s: string): { textContent: string | null } | null };

/** The value after `name` on the command line, or `fallback`. */
export function scriptArg(name: string, fallback: string): string {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : fallback;
}

/**
 * Runs `use` on the page opened at `?query` once it is ready (Chromium from --chromium). Early
 * stopping is off (patience 10000) unless `query` sets it, so Play runs as long as asked.
 */
export async function withPlaygroundPage<T>(
  query: string,
  use: (page: Page, context: BrowserContext) => Promise<T>,
): Promise<T> {
  const site = await buildSite(mkdtempSync(join(tmpdir(), 'maskgrad-site-')));
  const { server, url } = await serve(site);
  const profile = mkdtempSync(join(tmpdir(), 'maskgrad-chromium-'));
  const context = await launchChromium(profile, scriptArg('--chromium', '/usr/bin/chromium'));
  try {
    const page = await context.newPage();
    const params = new URLSearchParams(query);
    if (!params.has('patience')) params.set('patience', '10000');
    await page.goto(`${url}?${params}`);
    await page.waitForFunction(() => window.__playground.ready, undefined, { timeout: 60000 });
    return await use(page, context);
  } finally {
    await context.close();
    server.close();
    rmSync(site, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  }
}

/** Uploads a generated file of many labels (many-labels-csv.ts) and waits until it is drawn. */
export async function loadManyLabels(
  page: Page,
  rows: number,
  features: number,
  labels: number,
): Promise<void> {
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
}

/** Presses Step `n` times, each time waiting for the worker's answer. */
export async function clickSteps(page: Page, n: number): Promise<void> {
  for (let i = 1; i <= n; i++) {
    await page.getByTestId('step').click({ timeout: 600000 });
    await page.waitForFunction((k) => (window.__playground.snapshot?.step ?? 0) >= k, i, {
      timeout: 120000,
    });
  }
}

/** Plays for `seconds`, then pauses. */
export async function playFor(page: Page, seconds: number): Promise<void> {
  await page.getByTestId('train').click({ timeout: 600000 });
  await page.waitForTimeout(seconds * 1000);
  await page.getByTestId('train').click({ timeout: 600000 });
}
