// A git revision's files, extracted for a benchmark to load beside today's code
// (bench/run.ts's --baseline worker, bench/ab-step.ts's copies).
import { cpSync, mkdtempSync, symlinkSync } from 'fs';
import { execSync, spawnSync } from 'child_process';
import { tmpdir } from 'os';
import { join } from 'path';

const root = join(__dirname, '..');

/**
 * Extracts `paths` of revision `rev` ('.' is the working tree), and those of `optional`
 * that the revision has, into a new temporary directory (below `into` if given) whose
 * node_modules is ours; returns the directory.
 */
export function extractRevision(
  rev: string,
  paths: string[],
  optional: string[] = [],
  into: string = tmpdir(),
): string {
  const dir = mkdtempSync(join(into, `maskgrad-${rev.replace(/[^A-Za-z0-9]/g, '_')}-`));
  if (rev === '.') {
    for (const path of paths) cpSync(join(root, path), join(dir, path), { recursive: true });
  } else {
    const present = optional.filter(
      (path) => spawnSync('git', ['cat-file', '-e', `${rev}:${path}`], { cwd: root }).status === 0,
    );
    execSync(`git archive ${rev} ${[...paths, ...present].join(' ')} | tar -x -C ${dir}`, {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}
