// Runs the training half of `npm run demo` (its command from package.json) and compares the
// table it prints with the README's, cell by cell, all but the seconds (which vary with the
// machine). Prints what differs and exits 1, or says the two agree.
//
//   npx ts-node --transpile-only scripts/check-demo-table.ts
//
// Not part of `npm test`: the demo trains nine models (about 20 s of CPU time).
import { execSync } from 'child_process';
import * as fs from 'fs';
import { join } from 'path';

const ROOT = join(__dirname, '..');

/** The rows of the first Markdown table whose header starts with `| strategy`, as cells. */
export function demoTable(text: string): string[][] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /^\|\s*strategy\s*\|/.test(l));
  if (start < 0) return [];
  const rows: string[][] = [];
  for (let i = start; i < lines.length && lines[i].startsWith('|'); i++) {
    if (/^\|[-|\s]+\|$/.test(lines[i])) continue;
    rows.push(
      lines[i]
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
  }
  return rows;
}

/** The differences between two demo tables, leaving out the last column (seconds). */
export function tableDifferences(readme: string[][], printed: string[][]): string[] {
  const differences: string[] = [];
  if (readme.length === 0) differences.push('the README has no demo table');
  if (printed.length === 0) differences.push('the demo printed no table');
  for (let r = 0; r < Math.max(readme.length, printed.length); r++) {
    const a = readme[r] ?? [];
    const b = printed[r] ?? [];
    const header = (readme[0] ?? printed[0] ?? [])[b.length - 1];
    const cells = Math.max(a.length, b.length) - (header === 'seconds' ? 1 : 0);
    for (let c = 0; c < cells; c++) {
      if (a[c] !== b[c]) {
        differences.push(`row ${r + 1}, column ${c + 1}: README '${a[c]}', demo '${b[c]}'`);
      }
    }
  }
  return differences;
}

function main() {
  const scripts = JSON.parse(fs.readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts;
  const command = String(scripts.demo).split('&&')[0].trim();
  console.log(`running: ${command}`);
  const printed = execSync(`npx ${command}`, {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const differences = tableDifferences(
    demoTable(fs.readFileSync(join(ROOT, 'README.md'), 'utf8')),
    demoTable(printed),
  );
  if (differences.length > 0) {
    console.log(`The README's demo table differs from what the demo printed:`);
    for (const d of differences) console.log(`  ${d}`);
    process.exit(1);
  }
  console.log("The README's demo table is what the demo printed, to the digit (seconds aside).");
}

if (require.main === module) main();
