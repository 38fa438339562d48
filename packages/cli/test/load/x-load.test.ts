// `heddle x load` against a loopback server: the rate schedule (never more requests than the rate allows), a
// request count, status codes as the server answered them, the method, headers and body it sent, timeouts and
// refused connections counted as errors (exit 69 when nothing answered), usage errors, and the JSON report.
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer as createHttpsServer } from 'node:https';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TLSSocket } from 'node:tls';
import { createTestPki } from '@heddle/testkit';
import { EXIT_CODES } from '../../src/exit-codes.ts';
import type { LoadResult } from '../../src/load/run-load.ts';
import { runCli, stackTraceIn } from '../helpers/run-cli.ts';

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

describe('heddle x load', { timeout: 60_000 }, () => {
  let server: Server;
  let base: string;
  let seen: Seen[] = [];

  before(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        seen.push({
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString(),
        });
        if (req.url?.startsWith('/slow')) return; // never answers
        // Every fifth request of /mixed is a 503.
        const status = req.url?.startsWith('/mixed') && seen.length % 5 === 0 ? 503 : 200;
        res.writeHead(status, { 'content-type': 'text/plain' }).end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const load = async (
    args: string[],
  ): Promise<{ code: number | null; result: LoadResult; stderr: string }> => {
    seen = [];
    const run = await runCli(['x', 'load', ...args, '-o', 'json']);
    assert.equal(stackTraceIn(run), undefined);
    return { code: run.code, result: JSON.parse(run.stdout) as LoadResult, stderr: run.stderr };
  };

  it('keeps to the target rate: never more requests than rate × duration', async () => {
    const { code, result } = await load(['-c', '4', '--qps', '100', '-t', '1s', `${base}/rate`]);
    assert.equal(code, EXIT_CODES.OK);
    // The schedule allows exactly 100 sends in 1 s; a slow machine may send fewer, never more.
    assert.ok(result.requests <= 100, `${result.requests} requests`);
    assert.ok(result.requests >= 50, `${result.requests} requests`);
    assert.equal(seen.length, result.requests);
    assert.deepEqual(result.codes, { 200: result.requests });
    assert.equal(result.latencyMicros.count, result.requests);
    const p = result.latencyMicros.percentiles;
    assert.deepEqual(
      p.map((entry) => entry.percentile),
      [50, 75, 90, 95, 99, 99.9],
    );
    for (let i = 1; i < p.length; i++) assert.ok((p[i]?.value ?? 0) >= (p[i - 1]?.value ?? 0));
  });

  it('sends exactly --requests, as fast as answers come with --qps 0, and counts codes as answered', async () => {
    const { code, result } = await load(['-n', '50', '-c', '5', '--qps', '0', '-t', '30s', `${base}/mixed`]);
    assert.equal(code, EXIT_CODES.OK);
    assert.equal(result.requests, 50);
    assert.equal(seen.length, 50);
    assert.deepEqual(result.codes, { 200: 40, 503: 10 });
    assert.equal(result.errors, 0);
  });

  it('sends the method, headers (repeated ones too) and body it is given', async () => {
    const { result } = await load([
      '-n',
      '3',
      '-X',
      'post',
      '-d',
      '{"sku":42}',
      '-H',
      'end-user: test-user',
      '-H',
      'x-tag: a',
      '-H',
      'x-tag: b',
      `${base}/orders?x=1`,
    ]);
    assert.equal(result.requests, 3);
    for (const request of seen) {
      assert.equal(request.method, 'POST');
      assert.equal(request.url, '/orders?x=1');
      assert.equal(request.body, '{"sku":42}');
      assert.equal(request.headers['end-user'], 'test-user');
      assert.equal(request.headers['x-tag'], 'a, b');
    }
  });

  it('counts requests that time out as errors, and exits 69 when nothing answered', async () => {
    const { code, result, stderr } = await load(['-n', '2', '-c', '2', '--timeout', '200ms', `${base}/slow`]);
    assert.equal(code, EXIT_CODES.UNAVAILABLE);
    assert.equal(result.errors, 2);
    assert.deepEqual(result.errorReasons, { timeout: 2 });
    assert.match(stderr, /^heddle: no request to .*\/slow got an answer: timeout$/m);
  });

  it('reports refused connections in text, with the reason', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const run = await runCli(['x', 'load', '-n', '3', '-c', '1', `http://127.0.0.1:${port}/`]);
    assert.equal(run.code, EXIT_CODES.UNAVAILABLE);
    assert.match(run.stdout, /^Errors +: 3 \(100\.00 %\)$/m);
    assert.match(run.stdout, /^ {2}3 × connection refused$/m);
  });

  it('loads an https target trusted by --cacert or -k, sending the --sni name', async () => {
    const pki = createTestPki('x-load');
    try {
      pki.ca('load-ca');
      const pair = pki.issue('shop', 'load-ca', 'DNS:shop.example.com');
      const names: string[] = [];
      const https = createHttpsServer({ cert: pair.cert, key: pair.key }, (req, res) =>
        res.end(`host ${req.headers.host}`),
      );
      https.on('secureConnection', (socket: TLSSocket) => names.push(String(socket.servername)));
      await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
      const url = `https://127.0.0.1:${(https.address() as AddressInfo).port}/`;
      try {
        const refused = await runCli(['x', 'load', '-n', '2', '-c', '1', url]);
        assert.equal(refused.code, EXIT_CODES.UNAVAILABLE, 'an unknown CA is refused without -k');
        assert.match(refused.stdout, /2 × certificate not trusted \(give its CA with --cacert, or -k\)/);
        const trusted = await runCli([
          'x',
          'load',
          '-n',
          '2',
          '-c',
          '1',
          '--cacert',
          join(pki.dir, 'load-ca.crt'),
          '--sni',
          'shop.example.com',
          url,
          '-o',
          'json',
        ]);
        assert.equal(trusted.code, EXIT_CODES.OK, trusted.stderr);
        assert.deepEqual((JSON.parse(trusted.stdout) as LoadResult).codes, { 200: 2 });
        const unreadable = await runCli([
          'x',
          'load',
          '-n',
          '1',
          '--cacert',
          join(pki.dir, 'missing.crt'),
          url,
        ]);
        assert.equal(unreadable.code, EXIT_CODES.UNREADABLE_INPUT);
        assert.match(
          unreadable.stderr,
          /^heddle: cannot read --cacert .*missing\.crt: no such file or directory$/m,
        );
        names.length = 0;
        const run = await runCli([
          'x',
          'load',
          '-n',
          '4',
          '-c',
          '2',
          '-k',
          '--sni',
          'shop.example.com',
          url,
          '-o',
          'json',
        ]);
        assert.equal(run.code, EXIT_CODES.OK, run.stderr);
        assert.deepEqual((JSON.parse(run.stdout) as LoadResult).codes, { 200: 4 });
        assert.ok(names.length > 0 && names.every((name) => name === 'shop.example.com'), names.join(','));
      } finally {
        https.closeAllConnections();
        await new Promise<void>((resolve) => https.close(() => resolve()));
      }
    } finally {
      pki.remove();
    }
  });

  it('refuses bad options with one line and exit 64', async () => {
    for (const [args, message] of [
      [['--qps', '-5', base], /invalid rate '-5' for --qps/],
      [['-c', '0', base], /invalid number '0' for --connections/],
      [['-t', 'soon', base], /invalid duration 'soon' for --duration/],
      [['-H', 'no-colon', base], /invalid header 'no-colon' for -H/],
      [['ftp://127.0.0.1/'], /unsupported scheme 'ftp:'/],
      [['not a url'], /invalid URL 'not a url'/],
    ] as const) {
      const run = await runCli(['x', 'load', ...args]);
      assert.equal(run.code, EXIT_CODES.USAGE, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, message);
      assert.equal(stackTraceIn(run), undefined);
    }
  });
});
