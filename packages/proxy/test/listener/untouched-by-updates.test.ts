// What an update leaves alone, seen from a keep-alive client and the upstream: pushing a listener set in which
// a listener did not change, new routes or another cluster keeps that listener's downstream connection and the
// cluster's pooled upstream connection as they are; a changed cluster lets a request in flight on its old pool
// finish, then closes that pool's connection; a changed listener answers the next request with
// `Connection: close` and serves the one after on a new connection, and tells an HTTP/2 client with a GOAWAY
// that refuses nothing (Envoy's shutdown notice) while its stream in flight is answered.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { connect } from 'node:http2';
import { after, before, describe, it } from 'node:test';
import type { Message } from '@bufbuild/protobuf';
import { CLUSTER_TYPE_URL, LISTENER_TYPE_URL, ROUTE_CONFIGURATION_TYPE_URL } from '@heddle/xds';
import { Agent, request } from 'undici';
import { LogRegistry } from '../../src/admin/logger.ts';
import type { Proxy } from '../../src/config/proxy-runtime.ts';
import { startProxy } from '../../src/proxy.ts';
import { parseBootstrap } from '../../src/xds/bootstrap.ts';
import { FakeAdsServer } from '../xds/support/fake-ads.ts';
import { httpListener, prefixRoutes, staticCluster } from './helpers/hop-resources.ts';
import { eventually } from './helpers/net.ts';

describe('what updates leave alone', { timeout: 30_000 }, () => {
  let upstream: Server;
  const upstreamSockets = new Set<Socket>();
  let upstreamConnections = 0;
  let slowArrived: (() => void) | undefined;
  let ads: FakeAdsServer;
  let proxy: Proxy;
  let agent: Agent;
  let port: number;

  const web = (serverName: string) =>
    httpListener('web', { port: 0, routeConfigName: 'routes', statPrefix: 'web', serverName });
  const other = httpListener('other', { port: 0, routeConfigName: 'routes', statPrefix: 'other' });

  async function push(typeUrl: string, resources: Message[]): Promise<void> {
    const version = ads.setResources(typeUrl, resources);
    await ads.waitFor((r) => r.typeUrl === typeUrl && r.kind === 'ack' && r.versionInfo === version, 10_000);
  }

  async function get(path: string): Promise<{ status: number; body: string; connection: string }> {
    const res = await request(`http://127.0.0.1:${port}${path}`, { dispatcher: agent });
    const body = await res.body.text();
    return { status: res.statusCode, body, connection: String(res.headers['connection'] ?? '') };
  }

  const stat = (name: string): number => proxy.stats.counter(name).value;

  before(async () => {
    upstream = createServer((req, res) => {
      if (req.url === '/slow') slowArrived?.();
      setTimeout(() => res.end(`ok ${req.url}`), req.url === '/slow' ? 400 : 0);
    });
    upstream.on('connection', (socket: Socket) => {
      upstreamConnections++;
      upstreamSockets.add(socket);
      socket.on('close', () => upstreamSockets.delete(socket));
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const upstreamPort = (upstream.address() as AddressInfo).port;
    ads = await FakeAdsServer.start();
    ads.setResources(CLUSTER_TYPE_URL, [staticCluster('app', upstreamPort)]);
    ads.setResources(LISTENER_TYPE_URL, [web('v1')]);
    ads.setResources(ROUTE_CONFIGURATION_TYPE_URL, [prefixRoutes('routes', [['/', 'app']])]);
    const bootstrap = parseBootstrap({
      node: { id: 'sidecar~127.0.0.1~app.default~default.svc.cluster.local' },
      controlPlane: { addresses: [ads.address] },
      admin: { port: 0 },
      health: { port: 0 },
      drainTimeout: '2s',
    });
    proxy = await startProxy(bootstrap, { logs: new LogRegistry({ write: () => {} }) });
    await proxy.ready;
    const listeners = (await request(`http://127.0.0.1:${proxy.adminPort}/listeners`)).body;
    port = Number(/^web::127\.0\.0\.1:(\d+)$/m.exec(await listeners.text())?.[1]);
    agent = new Agent({ connections: 1, pipelining: 1 });
  });

  after(async () => {
    await agent?.close();
    await proxy?.close();
    await ads?.close();
    for (const socket of upstreamSockets) socket.destroy();
    await new Promise<void>((resolve) => upstream.close(() => resolve()));
  });

  it('keeps the downstream and upstream connections across unrelated listener, route and cluster pushes', async () => {
    assert.equal((await get('/a')).status, 200);
    assert.equal(upstreamConnections, 1);
    await push(LISTENER_TYPE_URL, [web('v1'), other]);
    await push(ROUTE_CONFIGURATION_TYPE_URL, [prefixRoutes('routes', [['/', 'app']], 'v2')]);
    await push(CLUSTER_TYPE_URL, [
      staticCluster('app', (upstream.address() as AddressInfo).port),
      staticCluster('unused', 9),
    ]);
    const reply = await get('/b');
    assert.equal(reply.status, 200);
    assert.notEqual(reply.connection, 'close');
    assert.equal(stat('http.web.downstream_cx_total'), 1, 'the client kept its connection');
    assert.equal(stat('http.web.downstream_cx_drain_close'), 0);
    assert.equal(upstreamConnections, 1, 'the pooled upstream connection was reused');
    assert.equal(stat('listener_manager.listener_in_place_updated'), 0);
    assert.equal(stat('cluster_manager.cluster_modified'), 0);
  });

  it('lets a request in flight on a changed cluster finish, then closes the old pool', async () => {
    const before = upstreamConnections;
    const arrived = new Promise<void>((resolve) => (slowArrived = resolve));
    const slow = get('/slow');
    await arrived;
    await push(CLUSTER_TYPE_URL, [
      staticCluster('app', (upstream.address() as AddressInfo).port, { connectTimeoutMs: 2000 }),
      staticCluster('unused', 9),
    ]);
    assert.equal(stat('cluster_manager.cluster_modified'), 1);
    const reply = await slow;
    assert.equal(reply.status, 200);
    assert.equal(reply.body, 'ok /slow');
    // The old pool's connection closes once its request is done; the new cluster dials its own.
    await eventually(() => upstreamSockets.size === 0, 3000, 'the old pool kept its connection');
    assert.equal((await get('/after')).status, 200);
    assert.equal(upstreamConnections, before + 1);
  });

  it('answers the next request on a changed listener with Connection: close, then serves on a new connection', async () => {
    const connectionsBefore = stat('http.web.downstream_cx_total');
    await push(LISTENER_TYPE_URL, [web('v2'), other]);
    const draining = await get('/c');
    assert.equal(draining.status, 200);
    assert.equal(draining.connection, 'close');
    const next = await get('/d');
    assert.equal(next.status, 200);
    assert.notEqual(next.connection, 'close');
    assert.equal(stat('http.web.downstream_cx_total'), connectionsBefore + 1);
    await eventually(
      () => stat('http.web.downstream_cx_drain_close') === 1,
      3000,
      'drained connection not counted',
    );
    assert.equal(stat('listener_manager.listener_in_place_updated'), 1);
  });

  it('sends HTTP/2 clients a GOAWAY that refuses nothing and answers the stream in flight', async () => {
    const session = connect(`http://127.0.0.1:${port}`);
    session.on('error', () => {});
    try {
      const goaway = new Promise<number>((resolve) =>
        session.once('goaway', (_code: number, lastStreamId: number) => resolve(lastStreamId)),
      );
      const arrived = new Promise<void>((resolve) => (slowArrived = resolve));
      const stream = session.request({ ':path': '/slow' });
      let status = 0;
      let body = '';
      stream.on('response', (headers) => (status = Number(headers[':status'])));
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => (body += chunk));
      const ended = new Promise<void>((resolve, reject) => {
        stream.on('end', resolve);
        stream.on('error', reject);
      });
      await arrived;
      await push(LISTENER_TYPE_URL, [web('v3'), other]);
      assert.equal(await goaway, 2 ** 31 - 1);
      await ended;
      assert.equal(status, 200);
      assert.equal(body, 'ok /slow');
    } finally {
      session.destroy();
    }
  });
});
