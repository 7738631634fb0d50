// Starts Debian's Chromium headless through playwright-core, for the browser spec and
// web/scripts/measure.ts: a fresh profile folder (passed as --user-data-dir), --no-sandbox
// when running as root, and no background networking (this machine's network is closed,
// and Chromium would otherwise retry Google's hosts at every start).
import { chromium, type BrowserContext } from 'playwright-core';

export function launchChromium(
  profile: string,
  executablePath: string,
  options: { viewport?: { width: number; height: number } } = {},
): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profile, {
    executablePath,
    ...options,
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
}
