// How client verbs reach the control plane: where, what they send, and exit 69 or 76 in one line on failure.
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type RequestListener } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { describe, it, type TestContext } from 'node:test';
import { runCli, stackTraceIn, type CliResult } from './helpers/run-cli.ts';
import { CLEAN_VIRTUAL_SERVICE } from './helpers/snippets.ts';

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function fakeControlPlane(t: TestContext, handler: RequestListener): Promise<string> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

function assertOneLine(result: CliResult, code: number, message: string | RegExp): void {
  assert.equal(result.code, code, result.stderr);
  assert.equal(result.stdout, '');
  assert.equal(stackTraceIn(result), undefined);
  assert.equal(result.stderr.trimEnd().split('\n').length, 1, result.stderr);
  if (typeof message === 'string') assert.equal(result.stderr, `${message}\n`);
  else assert.match(result.stderr, message);
}

describe('heddle client verbs: reaching the control plane', { timeout: 120_000 }, () => {
  const VERBS: readonly (readonly string[])[] = [
    ['get', 'vs'],
    ['apply', '-f', '-'],
    ['delete', 'vs', 'reviews'],
    ['proxy-status'],
    ['proxy-config', 'cluster', 'reviews.shop'],
  ];

  for (const verb of VERBS) {
    it(`${verb.join(' ')}: exit 69 and one line when nothing listens`, async () => {
      const url = `http://127.0.0.1:${await closedPort()}`;
      const result = await runCli([...verb, '--control-plane', url], { input: CLEAN_VIRTUAL_SERVICE });
      assertOneLine(
        result,
        69,
        `heddle: cannot reach the control plane at ${url} (is \`heddle control\` running?)`,
      );
    });
  }

  it('finds the control plane through HEDDLE_CONTROL_PLANE, host:port accepted', async () => {
    const port = await closedPort();
    const result = await runCli(['get', 'vs'], { env: { HEDDLE_CONTROL_PLANE: `127.0.0.1:${port}` } });
    assertOneLine(result, 69, new RegExp(`at http://127\\.0\\.0\\.1:${port} \\(is`));
  });

  it('takes an address that is not an http URL as a usage error', async () => {
    const result = await runCli(['get', 'vs', '--control-plane', 'https://example.com']);
    assert.equal(result.code, 64);
    assert.match(result.stderr, /^heddle: invalid control plane address 'https:\/\/example\.com'/m);
  });

  it('sends YAML without an Origin header, which the control plane refuses on changes', async (t) => {
    let seen: { method?: string; url?: string; headers: IncomingHttpHeaders; body: string } | undefined;
    const url = await fakeControlPlane(t, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        seen = {
          method: req.method,
          url: req.url,
          headers: req.headers,
          body: Buffer.concat(chunks).toString(),
        };
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ applied: [], unchanged: [], findings: [], revision: 1 }));
      });
    });
    const result = await runCli(['apply', '-f', '-', '-n', 'shop', '--control-plane', url], {
      input: CLEAN_VIRTUAL_SERVICE,
    });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(seen?.method, 'POST');
    assert.equal(seen?.url, '/apis/v1/apply?file=%3Cstdin%3E&namespace=shop');
    assert.equal(seen?.headers.origin, undefined);
    assert.match(seen?.headers['content-type'] ?? '', /^application\/yaml/);
    assert.equal(seen?.body, CLEAN_VIRTUAL_SERVICE);
  });

  it('exit 76 when the answer is not the API’s JSON; exit 69 while the control plane is not ready', async (t) => {
    const html = await fakeControlPlane(t, (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>hello</html>');
    });
    assertOneLine(
      await runCli(['get', 'vs', '--control-plane', html]),
      76,
      /is it a Heddle control plane\?$/m,
    );

    const broken = await fakeControlPlane(t, (_req, res) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 'HEDDLE_HTTP_INTERNAL', message: 'boom' }));
    });
    assertOneLine(
      await runCli(['proxy-status', '--control-plane', broken]),
      76,
      `heddle: the control plane at ${broken} answered 500 (HEDDLE_HTTP_INTERNAL: boom)`,
    );

    const starting = await fakeControlPlane(t, (_req, res) => {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 'HEDDLE_HTTP_NOT_READY', message: 'starting' }));
    });
    assertOneLine(await runCli(['get', 'vs', '--control-plane', starting]), 69, /is not ready/);
  });
});
