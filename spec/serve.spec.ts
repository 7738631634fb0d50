// The playground's server (web/scripts/serve.ts): no request of any shape ends it, it answers
// only GET and HEAD, only to a Host naming the loopback address it listens on, and its command
// line refuses what it cannot use. Its fuzzer (spec/fuzz/serve-fuzz.ts) runs here too.
import { expect } from 'chai';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import type { Server } from 'http';
import { connect } from 'net';
import * as path from 'path';
import { fakeSite, serveFuzz } from './fuzz/serve-fuzz';
import { isLoopbackHost, parseServeArgs, serve } from '../web/scripts/serve';

/** Sends `text` on one connection, half-closes, and resolves with all that came back. */
function raw(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const socket = connect(port, '127.0.0.1');
    socket.on('data', (d: Buffer) => (out += d.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => resolve(out));
    socket.end(text);
  });
}

const status = (reply: string) => reply.slice(0, reply.indexOf('\r\n'));
const body = (reply: string) => reply.slice(reply.indexOf('\r\n\r\n') + 4);
const header = (reply: string, name: string) =>
  new RegExp(`\\r\\n${name}: ([^\\r]*)\\r\\n`, 'i').exec(reply)?.[1];

describe('playground server (web/scripts/serve.ts)', () => {
  let site = '';
  let server: Server;
  let port = 0;
  let log: string[] = [];
  const get = (target: string, host = `127.0.0.1:${port}`, method = 'GET') =>
    raw(port, `${method} ${target} HTTP/1.1\r\nHost: ${host}\r\n\r\n`);

  before(async () => {
    site = fakeSite();
    const started = await serve(site, 0, { log: (line) => log.push(line) });
    server = started.server;
    port = Number(new URL(started.url).port);
  });
  after(() => {
    server?.close();
    if (site) fs.rmSync(site, { recursive: true, force: true });
  });
  beforeEach(() => (log = []));

  /** After each case: the server still serves a good request. */
  async function stillServes(): Promise<void> {
    const reply = await get('/style.css');
    expect(status(reply)).to.equal('HTTP/1.1 200 OK');
    expect(body(reply)).to.equal('body {}\n');
  }

  for (const [target, what] of [
    ['/%E2%82', 'a cut UTF-8 sequence'],
    ['/%', 'a lone %'],
    ['/%zz', 'a % not followed by two hex digits'],
    ['/a%FFb', 'a byte that is not UTF-8'],
  ]) {
    it(`answers 400 to a path with ${what} (${target}), logs one line, and keeps serving`, async () => {
      const reply = await get(target);
      expect(status(reply)).to.equal('HTTP/1.1 400 Bad Request');
      expect(body(reply)).to.equal(
        `400 the path ${JSON.stringify(target)} is not valid percent-encoded UTF-8\n`,
      );
      expect(log).to.deep.equal([
        `playground: 400 for "GET ${target}": the path ${JSON.stringify(target)} is not valid percent-encoded UTF-8`,
      ]);
      await stillServes();
    });
  }

  it('answers `GET //[ HTTP/1.1` (which new URL() refuses) as the path //[ under the folder: 404', async () => {
    expect(status(await get('//['))).to.equal('HTTP/1.1 404 Not Found');
    await stillServes();
  });

  it('answers 400 to an absolute URL, "*" and a NUL in the path, and keeps serving', async () => {
    for (const [target, reason] of [
      ['http://127.0.0.1/', 'the request target "http://127.0.0.1/" is not a path starting with /'],
      ['*', 'the request target "*" is not a path starting with /'],
      ['/a%00b', 'the path "/a%00b" holds a NUL character'],
    ]) {
      const reply = await get(target);
      expect(status(reply), target).to.equal('HTTP/1.1 400 Bad Request');
      expect(body(reply)).to.equal(`400 ${reason}\n`);
    }
    await stillServes();
  });

  it('answers 400 to a request line Node cannot parse, and logs one line', async () => {
    const reply = await raw(port, 'GET / HTTP/9.9\r\n\r\n');
    expect(status(reply)).to.equal('HTTP/1.1 400 Bad Request');
    expect(log).to.deep.equal([
      'playground: 400 for a request Node could not parse (HPE_INVALID_VERSION)',
    ]);
    await stillServes();
  });

  it('refuses path traversal with 403', async () => {
    for (const target of [
      '/../../etc/passwd',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/..%2f..%2fetc%2fpasswd',
    ]) {
      expect(status(await get(target)), target).to.equal('HTTP/1.1 403 Forbidden');
    }
  });

  it('serves GET and HEAD (HEAD with the length and no body)', async () => {
    const head = await get('/', `localhost:${port}`, 'HEAD');
    expect(status(head)).to.equal('HTTP/1.1 200 OK');
    expect(header(head, 'content-length')).to.equal('35');
    expect(body(head)).to.equal('');
    expect(body(await get('/'))).to.equal('<!doctype html><title>fuzz</title>\n');
  });

  for (const method of ['POST', 'PUT', 'DELETE', 'TRACE', 'OPTIONS', 'PATCH']) {
    it(`answers ${method} with 405 and Allow: GET, HEAD, not the file`, async () => {
      const reply = await raw(
        port,
        `${method} / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Length: 0\r\n\r\n`,
      );
      expect(status(reply)).to.equal('HTTP/1.1 405 Method Not Allowed');
      expect(header(reply, 'allow')).to.equal('GET, HEAD');
      expect(body(reply)).to.equal(
        `405 the method "${method}" is not allowed; expected GET, HEAD\n`,
      );
    });
  }

  it('serves a Host naming the loopback address and its port: localhost, 127.0.0.1, [::1]', async () => {
    for (const host of [
      `localhost:${port}`,
      `127.0.0.1:${port}`,
      `[::1]:${port}`,
      `LocalHost:${port}`,
    ]) {
      expect(status(await get('/', host)), host).to.equal('HTTP/1.1 200 OK');
    }
  });

  it('refuses any other Host with 421 (DNS rebinding), and a request with none', async () => {
    for (const host of [
      'evil.example',
      `evil.example:${port}`,
      `localhost.evil.example:${port}`,
      `127.0.0.2:${port}`,
      `localhost:${port + 1}`,
      'localhost',
      `user@localhost:${port}`,
    ]) {
      const reply = await get('/', host);
      expect(status(reply), host).to.equal('HTTP/1.1 421 Misdirected Request');
      expect(body(reply)).to.equal(
        `421 the Host header ${JSON.stringify(host)} does not name this server; ` +
          `expected localhost:${port}, 127.0.0.1:${port} or [::1]:${port}\n`,
      );
    }
    const none = await raw(port, 'GET / HTTP/1.0\r\n\r\n');
    expect(status(none)).to.equal('HTTP/1.1 421 Misdirected Request');
    expect(body(none)).to.contain('421 the Host header (none) does not name this server');
  });

  it('isLoopbackHost: a host without a port only for port 80', () => {
    expect(isLoopbackHost('localhost', 80)).to.equal(true);
    expect(isLoopbackHost('localhost', 8080)).to.equal(false);
    expect(isLoopbackHost('127.0.0.1:080', 80)).to.equal(true);
    expect(isLoopbackHost(undefined, 80)).to.equal(false);
  });

  it('serve() refuses a folder that does not exist', async () => {
    let message = '';
    await serve(path.join(site, 'missing')).catch((e: Error) => (message = e.message));
    expect(message).to.equal(
      `serve: ${path.join(site, 'missing')} is not a folder; expected the built site`,
    );
  });

  it('parseServeArgs reads decimal ports, PORT, and --dir', () => {
    expect(parseServeArgs([])).to.deep.equal({ port: 0 });
    expect(parseServeArgs(['--port', '8080'])).to.deep.equal({ port: 8080 });
    expect(parseServeArgs([], { PORT: '1234' })).to.deep.equal({ port: 1234 });
    expect(parseServeArgs([], { PORT: '' })).to.deep.equal({ port: 0 });
    expect(parseServeArgs(['--port', '0', '--dir', site])).to.deep.equal({ port: 0, dir: site });
  });

  describe('the command line', function () {
    this.timeout(60000);
    const script = path.join(__dirname, '..', 'web', 'scripts', 'serve.ts');
    const run = (...args: string[]) =>
      spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', script, ...args], {
        encoding: 'utf8',
        timeout: 30000,
        env: { ...process.env, PORT: '' },
      });
    for (const [args, message] of [
      [['--dir'], 'playground: --dir needs a value; expected a folder'],
      [
        ['--dir', '/nonexistent'],
        'playground: --dir: "/nonexistent" is not a folder; expected the built site (npm run build:web)',
      ],
      [
        ['--port', '0x1F90'],
        'playground: --port: the port must be a whole number from 0 to 65535 in decimal digits, got "0x1F90"',
      ],
      [
        ['--port', ' '],
        'playground: --port: the port must be a whole number from 0 to 65535 in decimal digits, got " "',
      ],
    ] as const) {
      it(`${args.join(' ')}: exit code 2, one line and the usage, no stack trace`, () => {
        const result = run(...args);
        expect(result.status).to.equal(2);
        expect(result.stdout).to.equal('');
        expect(result.stderr).to.equal(
          `${message}\nusage: npm run playground -- [--port N (0 to 65535; 0 = a free port)] [--dir FOLDER]\n`,
        );
      });
    }
  });

  it('survives 500 fuzzed request lines (spec/fuzz/serve-fuzz.ts) and then serves a good request', async function () {
    this.timeout(120000);
    const report = await serveFuzz('npm-test', 500, { budgetMs: 100000 });
    expect(report.failures).to.deep.equal([]);
    expect(report.cases).to.equal(500);
    // The cases reach every kind of answer: served, refused by method, by Host, by Node's parser.
    for (const s of ['200', '400', '405', '421', '431'])
      expect(report.statuses[s], s).to.be.above(0);
  });
});
