// Builds the playground into a static site folder (default web/dist): index.html, style.css,
// assets/ (the page, the worker, shared chunks, Graphviz in its own chunk) and data/ (yeast).
// Nothing is loaded from elsewhere, so the folder works from any static host and offline.
//
//   npx ts-node web/scripts/build.ts [--out DIR]
import { build, type BuildResult } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync } from 'fs';
import { join, resolve } from 'path';

const root = resolve(__dirname, '..', '..');

/**
 * Bundles the page and its worker (with their shared chunks) into `outdir`. Returns esbuild's
 * result: its warnings, and the metafile that lists every input file that went in.
 */
export function bundlePage(outdir: string): Promise<BuildResult<{ metafile: true }>> {
  return build({
    entryPoints: {
      main: join(root, 'web', 'src', 'main.ts'),
      worker: join(root, 'web', 'src', 'worker.ts'),
    },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: true,
    chunkNames: 'chunk-[hash]',
    metafile: true,
    logLevel: 'warning',
  });
}

export async function buildSite(out = join(root, 'web', 'dist')): Promise<string> {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(join(out, 'data'), { recursive: true });
  await bundlePage(join(out, 'assets'));
  for (const file of ['index.html', 'style.css']) {
    copyFileSync(join(root, 'web', file), join(out, file));
  }
  copyFileSync(
    join(root, 'examples', 'data', 'yeast-train.arff'),
    join(out, 'data', 'yeast-train.arff'),
  );
  return out;
}

if (require.main === module) {
  const at = process.argv.indexOf('--out');
  const out = at >= 0 ? resolve(process.argv[at + 1]) : undefined;
  buildSite(out).then(
    (dir) => console.log(`Built the playground into ${dir} (serve it from any static host).`),
    (error: Error) => {
      console.error(`build:web: ${error.message}`);
      process.exit(1);
    },
  );
}
