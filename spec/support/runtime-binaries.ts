// Where the npm packages `bun` and `deno` (dev dependencies) put their binaries. Each ships
// its binary in a platform package (@oven/bun-<os>-<arch>..., @deno/<os>-<arch>...); its
// postinstall script, when npm runs it, moves or links that binary into the main package
// (bun/bin/bun.exe, deno/deno), where a placeholder stands until then. Either place will do.
import { spawnSync } from 'child_process';
import { existsSync, readdirSync } from 'fs';
import { join } from 'path';

const MODULES = join(__dirname, '..', '..', 'node_modules');

/** The binaries `name` may be, in the order to try them: platform packages first. */
function candidates(name: 'bun' | 'deno'): string[] {
  const exe = process.platform === 'win32' ? `${name}.exe` : name;
  const scope = join(MODULES, name === 'bun' ? '@oven' : '@deno');
  const platformPackages = existsSync(scope)
    ? readdirSync(scope).map((p) =>
        name === 'bun' ? join(scope, p, 'bin', exe) : join(scope, p, exe),
      )
    : [];
  const linked =
    name === 'bun' ? join(MODULES, 'bun', 'bin', 'bun.exe') : join(MODULES, 'deno', exe);
  return [...platformPackages, linked];
}

/**
 * The path of a `bun` or `deno` binary from node_modules that runs here (prints its version),
 * or an error naming the places tried.
 */
export function runtimeBinary(name: 'bun' | 'deno'): string {
  const tried = candidates(name);
  for (const path of tried) {
    if (!existsSync(path)) continue;
    const r = spawnSync(path, ['--version'], { encoding: 'utf8' });
    if (r.status === 0) return path;
  }
  throw new Error(
    `runtimeBinary: no working ${name} binary in node_modules (tried ${tried.join(', ')}); ` +
      `it is a dev dependency: run npm ci`,
  );
}
