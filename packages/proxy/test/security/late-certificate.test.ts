// A workload certificate that arrives while the listener naming it is still warming (prepared, waiting for
// its routes): once the listener goes live it must terminate mTLS with that certificate, not refuse
// connections for want of a secret it missed.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { connect as tlsConnect } from 'node:tls';
import { LISTENER_TYPE_URL, ROUTE_CONFIGURATION_TYPE_URL } from '@heddle/xds';
import { LogRegistry } from '../../src/admin/logger.ts';
import type { Proxy } from '../../src/config/proxy-runtime.ts';
import { startProxy } from '../../src/proxy.ts';
import { parseBootstrap } from '../../src/xds/bootstrap.ts';
import { FakeAdsServer } from '../xds/support/fake-ads.ts';
import { serveInbound, serveInboundRoutes } from './support/mesh-xds.ts';
import { TestMeshCa } from './support/test-mesh-ca.ts';
import { certSerials, IDENTITY_A, IDENTITY_B, listenerPort } from './support/two-sidecars.ts';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('a certificate that arrives while its listener warms', { timeout: 30_000 }, () => {
  let app: Server;
  let ca: TestMeshCa;
  let ads: FakeAdsServer;
  let proxy: Proxy;

  before(async () => {
    app = createServer((_request, response) => response.end('app'));
    app.listen(0, '127.0.0.1');
    await once(app, 'listening');
    ca = await TestMeshCa.start({ 'token-b': IDENTITY_B }, 3600_000);
    ca.down();
    ads = await FakeAdsServer.start();
    ads.hold(ROUTE_CONFIGURATION_TYPE_URL);
    serveInbound(ads, 'STRICT', (app.address() as AddressInfo).port, true);
    serveInboundRoutes(ads);
    proxy = await startProxy(
      parseBootstrap({
        node: { id: 'sidecar~127.0.0.1~b.default~default.svc.cluster.local' },
        controlPlane: { addresses: [ads.address] },
        admin: { port: 0 },
        health: { port: 0 },
        ca: { address: ca.address, token: 'token-b' },
      }),
      {
        logs: new LogRegistry({ write: () => {} }),
        certificateRotation: { retryBaseMs: 50, retryCapMs: 200 },
      },
    );
  });

  after(async () => {
    await proxy.close();
    await ads.close();
    ca.down();
    await new Promise<void>((resolve) => app.close(() => resolve()));
  });

  it('serves mTLS with it once the routes arrive', async () => {
    // The listener is prepared and ACKed, then waits for its route configuration.
    await ads.waitFor((r) => r.typeUrl === LISTENER_TYPE_URL && r.kind === 'ack');
    await ca.up();
    for (let i = 0; i < 100 && (await certSerials(proxy.adminPort, 'default')).length === 0; i++)
      await sleep(50);
    assert.equal((await certSerials(proxy.adminPort, 'default')).length, 1);
    ads.release(ROUTE_CONFIGURATION_TYPE_URL);
    await proxy.ready;
    const port = await listenerPort(proxy.adminPort, 'inbound_8080');
    const client = await ca.issue(IDENTITY_A);
    const socket = tlsConnect({
      port,
      host: '127.0.0.1',
      cert: client.cert,
      key: client.key,
      ca: ca.root.pem,
      checkServerIdentity: () => undefined,
    });
    const reply = await new Promise<string>((resolve) => {
      let data = '';
      socket.on('data', (chunk: Buffer) => (data += chunk.toString('latin1')));
      socket.on('error', () => resolve(data));
      socket.on('close', () => resolve(data));
      socket.write('GET / HTTP/1.1\r\nHost: b\r\nConnection: close\r\n\r\n');
    });
    assert.match(reply, /^HTTP\/1\.1 200/);
  });
});
