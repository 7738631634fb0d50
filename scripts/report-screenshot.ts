// docs/report.png, the README's picture of `train --report`: runs `maskgrad train --report
// FILE` with its defaults (the bundled yeast data, masked, one run, no label hidden), opens
// the page from disk in Debian's Chromium and takes a picture of its top (the curves, the AP
// bars, the first precision-recall curves; the tables below them are not in the picture).
//
//   npx ts-node --transpile-only scripts/report-screenshot.ts [--output docs/report.png]
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { pathToFileURL } from 'url';
import { runTrain } from '../src/app/cli/train';
import { launchChromium } from '../web/scripts/chromium';

const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** The height of the picture, in CSS pixels: down to the second row of precision-recall curves. */
const PICTURE_HEIGHT = 1640;

async function main(argv: string[]): Promise<number> {
  const at = argv.indexOf('--output');
  const output = resolve(at >= 0 ? argv[at + 1] : join(__dirname, '..', 'docs', 'report.png'));
  const { existsSync } = await import('fs');
  const executable = CHROMIUM.find((p): p is string => !!p && existsSync(p));
  if (!executable) {
    process.stderr.write('report-screenshot: no Chromium found (apt-get install -y chromium)\n');
    return 2;
  }
  const dir = mkdtempSync(join(tmpdir(), 'maskgrad-report-shot-'));
  try {
    const report = join(dir, 'report.html');
    const io = { out: () => {}, err: (t: string) => process.stderr.write(t), tty: false };
    const code = runTrain(['--report', report], io);
    if (code !== 0) return code;
    const browser = await launchChromium(join(dir, 'profile'), executable, {
      viewport: { width: 1150, height: 900 },
    });
    try {
      const page = await browser.newPage();
      await page.goto(pathToFileURL(report).href);
      const height = await page.evaluate('document.documentElement.scrollHeight');
      await page.screenshot({
        path: output,
        fullPage: true,
        clip: { x: 0, y: 0, width: 1150, height: Math.min(Number(height), PICTURE_HEIGHT) },
      });
    } finally {
      await browser.close();
    }
    process.stdout.write(`report-screenshot: wrote ${output}\n`);
    return 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`report-screenshot: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  },
);
