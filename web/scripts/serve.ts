// Serves a built playground folder on 127.0.0.1. `npm run playground` builds, then runs this.
//
//   npx ts-node web/scripts/serve.ts [--port N] [--dir web/dist]   (or PORT=N; default: a free port)
import { createReadStream, statSync } from 'fs';
import { createServer, type Server } from 'http';
import { extname, join, normalize, resolve, sep } from 'path';
import type { AddressInfo } from 'net';
import { buildSite } from './build';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
  '.arff': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

/** A static file server for `dir`; resolves once listening, with its URL. */
export function serve(dir: string, port = 0): Promise<{ server: Server; url: string }> {
  const base = resolve(dir);
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    let file = normalize(join(base, path));
    if (file !== base && !file.startsWith(base + sep)) {
      response.writeHead(403).end('forbidden');
      return;
    }
    try {
      if (statSync(file).isDirectory()) file = join(file, 'index.html');
      const size = statSync(file).size;
      response.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'content-length': size,
        'cache-control': 'no-cache',
      });
      createReadStream(file).pipe(response);
    } catch {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const { port: actual } = server.address() as AddressInfo;
      resolvePromise({ server, url: `http://127.0.0.1:${actual}/` });
    });
  });
}

function portFromArgs(): number {
  const at = process.argv.indexOf('--port');
  const text = at >= 0 ? process.argv[at + 1] : process.env.PORT;
  if (text === undefined || text === '') return 0;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`playground: the port must be an integer from 0 to 65535, got '${text}'`);
    process.exit(2);
  }
  return port;
}

if (require.main === module) {
  const port = portFromArgs();
  const at = process.argv.indexOf('--dir');
  (at >= 0 ? Promise.resolve(resolve(process.argv[at + 1])) : buildSite())
    .then((dir) => serve(dir, port))
    .then(({ url }) => console.log(`maskgrad playground: ${url}  (Ctrl+C to stop)`))
    .catch((error: Error) => {
      console.error(`playground: ${error.message}`);
      process.exit(1);
    });
}
