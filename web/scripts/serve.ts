// Serves a built playground folder on 127.0.0.1. `npm run playground` builds, then runs this.
//
//   npx ts-node web/scripts/serve.ts [--port N] [--dir web/dist]   (or PORT=N; default: a free port)
//
// It answers GET and HEAD for files under the folder, and nothing else: other methods get 405,
// a Host header that does not name the loopback address it listens on gets 421 (so a page on
// another site cannot reach it by DNS rebinding), and a request it cannot read gets 400 with
// one line in the log. No request of any shape ends the process.
import { readFileSync, statSync } from 'fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'http';
import { extname, join, normalize, resolve, sep } from 'path';
import type { AddressInfo, Socket } from 'net';
import { buildSite } from './build';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
  '.arff': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

/** The methods the server answers; any other gets 405 with this list in its Allow header. */
export const ALLOWED_METHODS = 'GET, HEAD';

export interface ServeOptions {
  /** Where the server's one-line notes go (a request it refused as unreadable); default stderr. */
  log?: (line: string) => void;
}

/** A request the server refuses: the status and the reason it answers with. */
class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** `text` shortened to 120 characters, with control and non-ASCII characters escaped. */
function excerpt(text: string): string {
  const short = text.length > 120 ? `${text.slice(0, 120)}...` : text;
  return JSON.stringify(short).replace(/[^\x20-\x7e]/g, (c) => {
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

/**
 * Whether `host` (a Host header) names the loopback address on `port`: localhost, 127.0.0.1
 * or [::1], with the port (which a browser leaves out only for port 80).
 */
export function isLoopbackHost(host: string | undefined, port: number): boolean {
  if (host === undefined) return false;
  const match = /^(localhost|127\.0\.0\.1|\[::1\])(?::(\d{1,5}))?$/i.exec(host);
  if (!match) return false;
  return match[2] === undefined ? port === 80 : Number(match[2]) === port;
}

/** The file a request path names under `base`, or a Refusal. */
function fileFor(base: string, target: string): string {
  // Origin form only ("/path?query"): no absolute URLs, no "*".
  if (!target.startsWith('/')) {
    throw new Refusal(400, `the request target ${excerpt(target)} is not a path starting with /`);
  }
  const rawPath = target.split(/[?#]/, 1)[0];
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    throw new Refusal(400, `the path ${excerpt(rawPath)} is not valid percent-encoded UTF-8`);
  }
  if (path.includes('\0')) {
    throw new Refusal(400, `the path ${excerpt(rawPath)} holds a NUL character`);
  }
  const file = normalize(join(base, path));
  if (file !== base && !file.startsWith(base + sep)) {
    throw new Refusal(403, 'forbidden: the path leads outside the served folder');
  }
  return file;
}

function answer(
  request: IncomingMessage,
  response: ServerResponse,
  base: string,
  port: number,
): void {
  if (!isLoopbackHost(request.headers.host, port)) {
    throw new Refusal(
      421,
      `the Host header ${request.headers.host === undefined ? '(none)' : excerpt(request.headers.host)} ` +
        `does not name this server; expected localhost:${port}, 127.0.0.1:${port} or [::1]:${port}`,
    );
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    throw new Refusal(
      405,
      `the method ${excerpt(request.method ?? '')} is not allowed; expected ${ALLOWED_METHODS}`,
      { allow: ALLOWED_METHODS },
    );
  }
  let file = fileFor(base, request.url ?? '');
  let body: Buffer;
  try {
    if (statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!statSync(file).isFile()) throw new Error('not a file');
    // Read whole, and answered at once: a client that half-closes after its request (as the
    // fuzzer's do) still gets it, and a file that cannot be read is a 404, not a cut answer.
    body = readFileSync(file);
  } catch {
    throw new Refusal(404, 'not found');
  }
  response.writeHead(200, {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'content-length': body.length,
    'cache-control': 'no-cache',
  });
  response.end(request.method === 'HEAD' ? undefined : body);
}

/** The answer to a refused request: its status, a plain-text reason, and the connection closed. */
function refuse(response: ServerResponse, refusal: Refusal): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const body = `${refusal.status} ${refusal.message}\n`;
  response.writeHead(refusal.status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    connection: 'close',
    ...refusal.headers,
  });
  response.end(response.req.method === 'HEAD' ? undefined : body);
}

/** A static file server for `dir`; resolves once listening, with its URL. */
export function serve(
  dir: string,
  port = 0,
  options: ServeOptions = {},
): Promise<{ server: Server; url: string }> {
  const base = resolve(dir);
  const log = options.log ?? ((line: string) => console.error(line));
  if (!isFolder(base)) {
    return Promise.reject(new Error(`serve: ${base} is not a folder; expected the built site`));
  }
  let listening = 0;
  // Node's own parser refuses what is not HTTP (bad request lines, versions, header bytes,
  // overlong headers): answer 400 where the socket can still take it, and close.
  const server = createServer({ maxHeaderSize: 16384 }, (request, response) => {
    try {
      answer(request, response, base, listening);
    } catch (error) {
      const refusal =
        error instanceof Refusal
          ? error
          : new Refusal(400, `the request could not be read: ${(error as Error)?.message}`);
      if (refusal.status === 400) {
        log(
          `playground: 400 for ${excerpt(`${request.method} ${request.url}`)}: ${refusal.message}`,
        );
      }
      try {
        refuse(response, refusal);
      } catch {
        response.destroy();
      }
    }
  });
  server.on('clientError', (error: Error & { code?: string }, socket: Socket) => {
    const status =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? '431 Request Header Fields Too Large'
        : '400 Bad Request';
    if (error.code !== 'ECONNRESET') {
      log(
        `playground: ${status.slice(0, 3)} for a request Node could not parse (${error.code ?? error.message})`,
      );
    }
    if (socket.writable && !(socket as Socket & { _httpMessage?: unknown })._httpMessage) {
      socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
    } else {
      socket.destroy();
    }
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      listening = (server.address() as AddressInfo).port;
      resolvePromise({ server, url: `http://127.0.0.1:${listening}/` });
    });
  });
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** A mistake on the command line: printed with the usage, exit code 2. */
export class UsageError extends Error {}

export const USAGE =
  'usage: npm run playground -- [--port N (0 to 65535; 0 = a free port)] [--dir FOLDER]';

/** The command line's settings: `dir` undefined means build the site first. */
export interface ServeArgs {
  port: number;
  dir?: string;
}

/** Reads the command line (and PORT from `env`); throws a UsageError naming what is wrong. */
export function parseServeArgs(
  argv: string[],
  env: Record<string, string | undefined> = {},
): ServeArgs {
  const args: ServeArgs = { port: 0 };
  let portText = env.PORT;
  let portSource = 'PORT';
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i];
    if (name !== '--port' && name !== '--dir') {
      throw new UsageError(
        `playground: unknown argument ${excerpt(name)}; expected --port or --dir`,
      );
    }
    const value = argv[i + 1];
    if (value === undefined || value.startsWith('--')) {
      throw new UsageError(
        `playground: ${name} needs a value; expected ${name === '--port' ? 'a port number' : 'a folder'}`,
      );
    }
    i++;
    if (name === '--port') {
      portText = value;
      portSource = '--port';
    } else {
      args.dir = resolve(value);
      if (!isFolder(args.dir)) {
        throw new UsageError(
          `playground: --dir: ${excerpt(value)} is not a folder; expected the built site (npm run build:web)`,
        );
      }
    }
  }
  if (portText !== undefined && !(portSource === 'PORT' && portText === '')) {
    // Decimal digits only: Number() would also take '0x1F90', '1e3' and ' ' (as 0).
    if (!/^[0-9]{1,5}$/.test(portText) || Number(portText) > 65535) {
      throw new UsageError(
        `playground: ${portSource}: the port must be a whole number from 0 to 65535 in decimal digits, got ${excerpt(portText)}`,
      );
    }
    args.port = Number(portText);
  }
  return args;
}

if (require.main === module) {
  let args: ServeArgs;
  try {
    args = parseServeArgs(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n${USAGE}`);
    process.exit(2);
  }
  (args.dir !== undefined ? Promise.resolve(args.dir) : buildSite())
    .then((dir) => serve(dir, args.port))
    .then(({ url }) => console.log(`maskgrad playground: ${url}  (Ctrl+C to stop)`))
    .catch((error: Error) => {
      console.error(`playground: ${error.message}`);
      process.exit(1);
    });
}
