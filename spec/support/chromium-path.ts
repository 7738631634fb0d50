// Debian's Chromium for the browser specs, or a loud SKIPPED line where none is installed.
import { existsSync } from 'fs';

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** The Chromium to launch; without one, prints a SKIPPED line naming `what` and skips. */
export function chromiumOrSkip(context: Mocha.Context, what: string): string {
  const found = CANDIDATES.find((p): p is string => !!p && existsSync(p));
  if (found) return found;
  console.log(
    `\n  !!!!!!!! SKIPPED: ${what}: no Chromium found ` +
      '(looked for $CHROMIUM_PATH, /usr/bin/chromium, /usr/bin/chromium-browser). ' +
      'Install it with: apt-get install -y chromium\n',
  );
  return context.skip();
}
