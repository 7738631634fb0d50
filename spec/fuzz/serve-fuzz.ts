/**
 * A fuzzer for the playground's server (web/scripts/serve.ts), run as its own process (the
 * command line `npm run playground -- --dir` runs) on 127.0.0.1 and a free port, fed raw TCP:
 * request lines with bad percent-encodings, bad or absolute URLs, overlong lines and headers,
 * odd methods, bad Host headers, bad HTTP versions, bare LF and CR, NUL and other garbage bytes,
 * cut short anywhere. Each case opens one connection, writes its bytes, half-closes, and must
 * get an answer or a close within a time bound; an answer must be HTTP with a status, and
 * never 200 where the case's Host header does not name the server or its method is not GET or
 * HEAD. After all cases the process must still be running, serve a good request, and have
 * written only one-line notes (no stack trace). Bounded in cases and time; traffic only to
 * 127.0.0.1. Case i of seed s uses the generator seeded `${s}:${i}`, so any failure replays alone.
 */
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import { connect } from 'net';
import * as os from 'os';
import * as path from 'path';
import { createRandom, type Random } from '../../src/core/random';

const pick = <T>(rng: Random, items: readonly T[]): T => items[rng.int(items.length)];

/** What a case promises about its answer, when the generator can tell. */
type Expect = 'any' | 'not-200' | 'ok';

export interface ServeCase {
  bytes: Buffer;
  expect: Expect;
  /** What the generator did, for the failure report. */
  kinds: string[];
}

export interface ServeFuzzFailure {
  caseIndex: number;
  kinds: string[];
  problem: string;
  /** The case's first bytes, escaped. */
  excerpt: string;
}

export interface ServeFuzzReport {
  cases: number;
  /** Cases answered with an HTTP status, by status; the rest were closed without one. */
  statuses: Record<string, number>;
  closedWithoutAnswer: number;
  failures: ServeFuzzFailure[];
  seconds: number;
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'TRACE', 'OPTIONS', 'PATCH', 'CONNECT'];
const ODD_METHODS = [
  'get',
  'G\u00c9T',
  'GET\t',
  'BREW',
  'M-SEARCH',
  'PROPFIND',
  '',
  'GE T',
  'X'.repeat(300),
];
const TARGETS = ['/', '/index.html', '/style.css', '/nothing-here', '/data/', '/assets/'];
const BAD_TARGETS = [
  '/%',
  '/%E2%82',
  '/%E2%82%',
  '/%zz',
  '/%C0%AF',
  '/%ED%A0%80',
  '/%FF',
  '/%00',
  '//[',
  '//[::1',
  '/..%2f..%2fetc%2fpasswd',
  '/../../../etc/passwd',
  '/%2e%2e/%2e%2e/etc/passwd',
  '/..\\..\\windows',
  '*',
  'http://127.0.0.1/',
  'http://evil.example/',
  '//evil.example/x',
  '',
  '?',
  '#',
  '/?%',
  '/#%E2',
  '/\u00e9',
  '/a b',
];
const VERSIONS = ['HTTP/1.1', 'HTTP/1.0'];
const BAD_VERSIONS = [
  'HTTP/2.0',
  'HTTP/9.9',
  'HTTP/1.',
  'HTTP/',
  'HTTP/1.1x',
  'http/1.1',
  'HTTPS/1.1',
  '',
];
const BAD_HOSTS = [
  'evil.example',
  `evil.example:PORT`,
  'localhost.evil.example:PORT',
  '127.0.0.1.evil.example:PORT',
  '127.0.0.2:PORT',
  '0.0.0.0:PORT',
  '[::1]:1',
  'localhost:1',
  'localhost:PORT:PORT',
  '',
  ' ',
  'localhost:PORTx',
  'user@localhost:PORT',
];

function goodHost(rng: Random, port: number): string {
  return pick(rng, ['localhost', '127.0.0.1', '[::1]', 'LOCALHOST']) + `:${port}`;
}

function garbage(rng: Random, length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) text += String.fromCharCode(rng.int(256));
  return text;
}

/** A percent-encoding, mostly of bytes that are not valid UTF-8 on their own. */
function percentJunk(rng: Random): string {
  let text = '/';
  const n = 1 + rng.int(6);
  for (let i = 0; i < n; i++) {
    text += pick(rng, [
      `%${(128 + rng.int(128)).toString(16).toUpperCase()}`,
      '%',
      `%${rng.int(16).toString(16)}`,
      'a',
      '%25',
      '%2F',
    ]);
  }
  return text;
}

/** Case i of a seed: a request, then some of its parts broken. */
export function serveCase(rng: Random, port: number): ServeCase {
  const kinds: string[] = [];
  let method = pick(rng, ['GET', 'GET', 'HEAD', ...METHODS]);
  let target = pick(rng, TARGETS);
  let version = pick(rng, VERSIONS);
  let host: string | null = goodHost(rng, port);
  let eol = '\r\n';
  let extra = '';
  let expect: Expect = 'any';
  let wellFormed = true;
  const breaks = rng.int(3) === 0 ? 0 : 1 + rng.int(2);
  for (let b = 0; b < breaks; b++) {
    switch (rng.int(10)) {
      case 0:
        target = pick(rng, BAD_TARGETS);
        kinds.push('bad target');
        break;
      case 1:
        target = percentJunk(rng);
        kinds.push('bad percent-encoding');
        break;
      case 2:
        host = rng.int(4) === 0 ? null : pick(rng, BAD_HOSTS).replace(/PORT/g, String(port));
        kinds.push('bad Host');
        break;
      case 3:
        method = pick(rng, ODD_METHODS);
        kinds.push('odd method');
        wellFormed = false;
        break;
      case 4:
        version = pick(rng, BAD_VERSIONS);
        kinds.push('bad version');
        wellFormed = false;
        break;
      case 5:
        target = '/' + 'a'.repeat(rng.int(2) ? 5000 + rng.int(5000) : 20000 + rng.int(60000));
        kinds.push('overlong line');
        break;
      case 6:
        extra += `X-Long: ${'b'.repeat(10000 + rng.int(40000))}\r\n`;
        kinds.push('overlong header');
        wellFormed = false;
        break;
      case 7:
        eol = pick(rng, ['\n', '\r', '\r\r\n', '\n\r']);
        kinds.push('odd line ends');
        wellFormed = false;
        break;
      case 8:
        target += garbage(rng, 1 + rng.int(8));
        kinds.push('garbage in the line');
        wellFormed = false;
        break;
      default:
        extra += pick(rng, [
          `Host: ${goodHost(rng, port)}\r\n`,
          'Content-Length: 5\r\n',
          'Content-Length: -1\r\n',
          'Transfer-Encoding: chunked\r\n',
          'Transfer-Encoding: chunked\r\nContent-Length: 3\r\n',
          'Connection: upgrade\r\nUpgrade: websocket\r\n',
          'Expect: 100-continue\r\n',
          `${garbage(rng, 12)}\r\n`,
          ': empty name\r\n',
        ]);
        kinds.push('odd header');
        wellFormed = false;
    }
  }
  if (wellFormed && host !== null && kinds.includes('bad Host')) expect = 'not-200';
  if (wellFormed && method !== 'GET' && method !== 'HEAD') expect = 'not-200';
  if (
    breaks === 0 &&
    (method === 'GET' || method === 'HEAD') &&
    target !== '/nothing-here' &&
    target !== '/assets/'
  ) {
    expect = 'ok';
  }
  let text =
    `${method} ${target} ${version}${eol}` +
    (host === null ? '' : `Host: ${host}${eol}`) +
    extra +
    eol;
  if (rng.int(8) === 0) {
    text = text.slice(0, rng.int(text.length));
    kinds.push('cut short');
    expect = 'any';
  }
  if (rng.int(20) === 0) {
    text = garbage(rng, 1 + rng.int(400));
    kinds.length = 0;
    kinds.push('garbage bytes');
    expect = 'any';
  }
  if (kinds.length === 0) kinds.push('good request');
  return { bytes: Buffer.from(text, 'latin1'), expect, kinds };
}

/** Writes `bytes` on one connection and half-closes; resolves with what came back, or null on timeout. */
function exchange(port: number, bytes: Buffer, timeoutMs: number): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, '127.0.0.1');
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(null);
    }, timeoutMs);
    socket.on('data', (d: Buffer) => chunks.push(d));
    // A reset after the server answered and closed is an answer, not a failure.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    });
    socket.end(bytes);
  });
}

/** Starts the server's command line on a free port; resolves with the process and its port. */
export function startServer(
  dir: string,
): Promise<{ child: ChildProcess; port: number; stderr: () => string }> {
  const script = path.join(__dirname, '..', '..', 'web', 'scripts', 'serve.ts');
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', script, '--dir', dir, '--port', '0'],
    { cwd: path.join(__dirname, '..', '..'), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`the server did not start in 30 s: ${err}`));
    }, 30000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited with code ${code} before it listened: ${err}`));
    });
    child.stdout!.on('data', (d) => {
      out += d;
      const match = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ child, port: Number(match[1]), stderr: () => err });
      }
    });
  });
}

/** A folder like the built site, small: the page, a stylesheet and a data folder. */
export function fakeSite(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'maskgrad-serve-fuzz-'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>fuzz</title>\n');
  fs.writeFileSync(path.join(dir, 'style.css'), 'body {}\n');
  fs.mkdirSync(path.join(dir, 'data'));
  fs.writeFileSync(path.join(dir, 'data', 'index.html'), 'data\n');
  fs.mkdirSync(path.join(dir, 'assets'));
  return dir;
}

const escaped = (bytes: Buffer) => JSON.stringify(bytes.subarray(0, 160).toString('latin1'));

/**
 * Runs `cases` cases of `seed` against a fresh server process, `parallel` connections at a time,
 * each bounded by `timeoutMs`; stops early (with a failure) past `budgetMs` in all.
 */
export async function serveFuzz(
  seed: string,
  cases: number,
  { parallel = 16, timeoutMs = 10000, budgetMs = 600000 } = {},
): Promise<ServeFuzzReport> {
  const start = Date.now();
  const dir = fakeSite();
  const { child, port, stderr } = await startServer(dir);
  let exited: number | null | undefined;
  child.on('exit', (code) => (exited = code));
  const report: ServeFuzzReport = {
    cases: 0,
    statuses: {},
    closedWithoutAnswer: 0,
    failures: [],
    seconds: 0,
  };
  const fail = (caseIndex: number, c: ServeCase | null, problem: string) =>
    report.failures.push({
      caseIndex,
      kinds: c?.kinds ?? [],
      problem,
      excerpt: c ? escaped(c.bytes) : '',
    });
  try {
    let next = 0;
    const worker = async () => {
      while (next < cases && exited === undefined && Date.now() - start < budgetMs) {
        const i = next++;
        const c = serveCase(createRandom(`${seed}:${i}`), port);
        const reply = await exchange(port, c.bytes, timeoutMs);
        report.cases++;
        if (reply === null) {
          fail(i, c, `neither answered nor closed in ${timeoutMs} ms`);
          continue;
        }
        if (reply.length === 0) {
          report.closedWithoutAnswer++;
          if (c.expect === 'ok') fail(i, c, 'a good request was closed without an answer');
          continue;
        }
        const status = /^HTTP\/1\.1 (\d{3}) /.exec(reply.subarray(0, 20).toString('latin1'))?.[1];
        if (status === undefined) {
          fail(i, c, `the answer is not HTTP: ${escaped(reply)}`);
          continue;
        }
        report.statuses[status] = (report.statuses[status] ?? 0) + 1;
        if (c.expect === 'not-200' && status === '200') fail(i, c, 'answered 200');
        if (c.expect === 'ok' && status !== '200')
          fail(i, c, `a good request was answered ${status}`);
      }
    };
    await Promise.all(Array.from({ length: parallel }, worker));
    if (report.cases < cases) {
      fail(
        -1,
        null,
        `only ${report.cases} of ${cases} cases ran (the server exited, or the ${budgetMs} ms budget ran out)`,
      );
    }
    if (exited !== undefined) {
      fail(-1, null, `the server exited (code ${exited}): ${stderr().slice(-2000)}`);
    } else {
      const good = `GET /style.css HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`;
      const reply = (await exchange(port, Buffer.from(good), timeoutMs))?.toString('latin1') ?? '';
      if (!reply.startsWith('HTTP/1.1 200 ') || !reply.endsWith('\r\n\r\nbody {}\n')) {
        fail(
          -1,
          null,
          `after the cases, a good request got ${JSON.stringify(reply.slice(0, 200))}`,
        );
      }
    }
    const lines = stderr()
      .split('\n')
      .filter((l) => l !== '');
    const odd = lines.find((l) => !l.startsWith('playground: '));
    if (odd !== undefined)
      fail(-1, null, `the server wrote a line that is not a note: ${JSON.stringify(odd)}`);
  } finally {
    child.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  report.seconds = (Date.now() - start) / 1000;
  return report;
}

/** `npm run fuzz -- serve [cases] [seed]`: prints the report; exit code 1 on a failure. */
export function serveMain(cases: number, seed: string): void {
  serveFuzz(seed, cases)
    .then((report) => {
      const statuses = Object.entries(report.statuses)
        .sort()
        .map(([s, n]) => `${s}: ${n}`)
        .join(', ');
      console.log(
        `serve: ${report.cases} cases in ${report.seconds.toFixed(1)} s: ` +
          `${Math.round(report.cases / report.seconds)} cases per second (seed ${JSON.stringify(seed)}); ` +
          `answered ${statuses}; closed without an answer: ${report.closedWithoutAnswer}`,
      );
      for (const f of report.failures.slice(0, 20)) {
        console.log(
          `FAIL case ${f.caseIndex} [${f.kinds.join(', ')}]: ${f.problem}\n  ${f.excerpt}`,
        );
      }
      if (report.failures.length > 0) process.exit(1);
      console.log('no failures');
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
