// Builds the playground into a static site folder (default web/dist): index.html, style.css,
// assets/ (the page, the worker, shared chunks, Graphviz in its own chunk) and data/ (yeast).
// Nothing is loaded from elsewhere, so the folder works from any static host and offline.
//
//   npx ts-node web/scripts/build.ts [--out DIR]
import { build, type Plugin } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync } from 'fs';
import { join, resolve } from 'path';

const root = resolve(__dirname, '..', '..');

/**
 * maskgrad's file helpers (reading a path, saving a model, hashing a data file) use Node's
 * fs, path, crypto and readline; the page never calls them. This stands in for those modules
 * in the browser and says so if called.
 */
const nodeBuiltinsStub: Plugin = {
  name: 'node-builtins-stub',
  setup(b) {
    const stubbed: Record<string, string[]> = {
      fs: ['readFileSync', 'writeFileSync', 'renameSync', 'rmSync'],
      path: ['extname', 'join', 'dirname', 'basename'],
      crypto: ['createHash', 'randomBytes'],
      readline: ['createInterface'],
    };
    b.onResolve({ filter: /^(fs|path|crypto|readline)$/ }, (args) => ({
      path: args.path,
      namespace: 'stub',
    }));
    b.onLoad({ filter: /.*/, namespace: 'stub' }, (args) => {
      const names = stubbed[args.path];
      const body = names
        .map(
          (n) =>
            `export function ${n}() { throw new Error('${args.path}.${n} is not available in the browser'); }`,
        )
        .join('\n');
      return { contents: body, loader: 'js' };
    });
  },
};

export async function buildSite(out = join(root, 'web', 'dist')): Promise<string> {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(join(out, 'data'), { recursive: true });
  await build({
    entryPoints: {
      main: join(root, 'web', 'src', 'main.ts'),
      worker: join(root, 'web', 'src', 'worker.ts'),
    },
    outdir: join(out, 'assets'),
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: true,
    chunkNames: 'chunk-[hash]',
    plugins: [nodeBuiltinsStub],
    logLevel: 'warning',
  });
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
