// The demo's services on their own, without a mesh: JSON answers, /healthz, ERROR_RATE, and calls to other
// services sent to HTTP_PROXY (absolute-form, as through a sidecar) carrying the tracing headers, `end-user`
// and the caller's token from the request being served.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { allocatePorts } from '../../src/up/free-ports.ts';
import { REPO_ROOT } from '../helpers/run-cli.ts';

const SERVICES = join(REPO_ROOT, 'examples', 'ecommerce', 'services');
const children: ChildProcess[] = [];
const servers: Server[] = [];

after(async () => {
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

/** Starts a service script on a free port; resolves once /healthz answers. */
async function startService(script: string, env: Record<string, string>): Promise<number> {
  const [port = 0] = await allocatePorts('127.0.0.1', [{ role: script, port: 0 }]);
  const base: Record<string, string | undefined> = { ...process.env, ...env, PORT: String(port) };
  delete base.NODE_TEST_CONTEXT;
  const child = spawn(process.execPath, [join(SERVICES, script)], { env: base, stdio: 'ignore' });
  children.push(child);
  for (let attempt = 0; attempt < 100; attempt++) {
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (response) => response.status === 200,
      () => false,
    );
    if (ok) return port;
    await sleep(100);
  }
  assert.fail(`${script} did not start`);
}

interface Seen {
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
}

/** A stand-in for the sidecar's HTTP proxy port: records each request and answers as the service would. */
async function fakeSidecar(answer: (url: string) => unknown): Promise<{ port: number; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer(req.url ?? '')));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, seen };
}

describe('the e-commerce services', { timeout: 60_000 }, () => {
  it('answer JSON and /healthz, and fail on purpose at ERROR_RATE', async () => {
    const price = await startService('price.ts', {});
    const prices = await fetch(`http://127.0.0.1:${price}/api/prices?ids=2`);
    assert.equal(prices.status, 200);
    assert.deepEqual(await prices.json(), { service: 'price', currency: 'EUR', prices: { '2': 2990 } });
    const failing = await startService('price.ts', { ERROR_RATE: '1' });
    assert.equal((await fetch(`http://127.0.0.1:${failing}/api/prices`)).status, 503);
    assert.equal((await fetch(`http://127.0.0.1:${failing}/healthz`)).status, 200);
  });

  it('call the next services through HTTP_PROXY with the tracing headers, end-user and the token', async () => {
    const sidecar = await fakeSidecar((url) =>
      url.includes('/api/products')
        ? { version: 'v2', products: [{ id: '1' }] }
        : { orders: [], user: { id: 'u' } },
    );
    const proxy = `http://127.0.0.1:${sidecar.port}`;
    const frontend = await startService('frontend.ts', {
      HTTP_PROXY: proxy,
      NODE_USE_ENV_PROXY: '1',
      NO_PROXY: 'localhost,127.0.0.1',
    });
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const response = await fetch(`http://127.0.0.1:${frontend}/`, {
      headers: { traceparent, 'x-request-id': 'req-1', 'end-user': 'test-user', authorization: 'Bearer t' },
    });
    assert.equal(response.status, 200);
    const page = (await response.json()) as { productVersion: string };
    assert.equal(page.productVersion, 'v2');
    const urls = sidecar.seen.map((request) => request.url).sort();
    assert.deepEqual(urls, [
      'http://order.ecommerce.svc.cluster.local/api/orders',
      'http://product.ecommerce.svc.cluster.local/api/products',
      'http://user.ecommerce.svc.cluster.local/api/users/me',
    ]);
    for (const { headers } of sidecar.seen) {
      assert.equal(headers.traceparent, traceparent);
      assert.equal(headers['x-request-id'], 'req-1');
      assert.equal(headers['end-user'], 'test-user');
    }
    // The token goes to the user service only, which asks the auth service about it.
    const user = sidecar.seen.find((request) => request.url.includes('/api/users/'));
    assert.equal(user?.headers.authorization, 'Bearer t');
    assert.equal(
      sidecar.seen.find((request) => request.url.includes('/api/orders'))?.headers.authorization,
      undefined,
    );
  });
});
