#!/usr/bin/env node
// The `maskgrad` command. In a clone of the repository (src/ is here, and ts-node with it) it
// runs the TypeScript sources as they are now, so `npx maskgrad` and `npm run maskgrad --`
// need no build and never run a stale dist/; in the installed package (no src/) it runs the
// built JavaScript in dist/.
'use strict';
const { existsSync } = require('fs');
const { join } = require('path');

const root = join(__dirname, '..');
const source = join(root, 'src', 'app', 'cli', 'main.ts');

/** ts-node (from this repository's node_modules), or null where it is not installed. */
function tsNode() {
  try {
    return require(require.resolve('ts-node', { paths: [root] }));
  } catch {
    return null;
  }
}

const built = join(root, 'dist', 'app', 'cli', 'main.js');
const tsNodeHere = existsSync(source) ? tsNode() : null;
if (tsNodeHere !== null) {
  // The repository's own tsconfig.json, wherever the command is run from.
  tsNodeHere.register({ transpileOnly: true, project: join(root, 'tsconfig.json') });
  require(source).runCli();
} else if (existsSync(built)) {
  require(built).runCli();
} else {
  process.stderr.write(
    `maskgrad: neither ts-node (to run ${source}) nor a build (${built}) is here; run npm ci, or npm run build\n`,
  );
  process.exitCode = 2;
}
