// Builds the playground into a static site folder (default web/dist): index.html, style.css,
// assets/ (the page, with the worker's code inside it, and the graph view with Graphviz) and
// data/ (yeast). Nothing is loaded from elsewhere, so the folder works from any static host,
// offline, and opened from disk (file://):
// - every script is a classic script (esbuild's iife format): Chromium refuses module scripts
//   from file:// (CORS, origin null);
// - the worker runs from a blob: URL made of its code, which the page carries as a string:
//   Chromium refuses `new Worker('file:///…/worker.js')` from a file:// page ("cannot be
//   accessed from origin 'null'") but starts a blob worker (measured with Chromium 156, which gives it WebAssembly and crypto.subtle too);
// - yeast comes as a classic script (data/yeast-train.js) as well as the ARFF file, since a
//   file:// page cannot fetch() a file beside it.
//
//   npx ts-node web/scripts/build.ts [--out DIR]
import { build, type BuildOptions, type Message, type Metafile } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { join, resolve } from 'path';

const root = resolve(__dirname, '..', '..');

/** The global the yeast script sets to the ARFF text (web/src/main.ts reads it). */
export const YEAST_GLOBAL = 'maskgradYeastArff';

const common: BuildOptions = {
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  metafile: true,
  logLevel: 'warning',
};

/**
 * Bundles the page into `outdir`: main.js (the page, the worker's code as a string inside it)
 * and graph-view.js (loaded when the graph view opens). Returns every build's warnings and
 * one metafile listing every input file that went in.
 */
export async function bundlePage(
  outdir: string,
): Promise<{ warnings: Message[]; metafile: Metafile }> {
  const worker = await build({
    ...common,
    entryPoints: [join(root, 'web', 'src', 'worker.ts')],
    write: false,
    // A blob: worker has no address to find a map beside it.
    sourcemap: false,
  });
  const workerCode = worker.outputFiles![0].text;
  const page = await build({
    ...common,
    entryPoints: {
      main: join(root, 'web', 'src', 'main.ts'),
      'graph-view': join(root, 'web', 'src', 'graph-view-script.ts'),
    },
    outdir,
    sourcemap: true,
    define: { __MASKGRAD_WORKER_CODE__: JSON.stringify(workerCode) },
  });
  return {
    warnings: [...worker.warnings, ...page.warnings],
    metafile: {
      inputs: { ...worker.metafile!.inputs, ...page.metafile!.inputs },
      outputs: page.metafile!.outputs,
    },
  };
}

export async function buildSite(out = join(root, 'web', 'dist')): Promise<string> {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(join(out, 'data'), { recursive: true });
  await bundlePage(join(out, 'assets'));
  for (const file of ['index.html', 'style.css']) {
    copyFileSync(join(root, 'web', file), join(out, file));
  }
  const yeast = join(root, 'examples', 'data', 'yeast-train.arff');
  copyFileSync(yeast, join(out, 'data', 'yeast-train.arff'));
  writeFileSync(
    join(out, 'data', 'yeast-train.js'),
    `var ${YEAST_GLOBAL} = ${JSON.stringify(readFileSync(yeast, 'utf8'))};\n`,
  );
  return out;
}

if (require.main === module) {
  const at = process.argv.indexOf('--out');
  const out = at >= 0 ? resolve(process.argv[at + 1]) : undefined;
  buildSite(out).then(
    (dir) =>
      console.log(
        `Built the playground into ${dir}: open ${join(dir, 'index.html')} in a browser, or serve the folder from any static host.`,
      ),
    (error: Error) => {
      console.error(`build:web: ${error.message}`);
      process.exit(1);
    },
  );
}
