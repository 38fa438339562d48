// The bootstrap's listener binding for one machine without root: `listenerAddress` pins every listener to one
// address, `listenerPortMap` moves named ports and `privilegedPortOffset` moves the other ports below 1024,
// so that heddle-proxy serves Gateway ports 80/443 on local ports while xDS keeps the configured ones.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { create } from '@bufbuild/protobuf';
import {
  HTTP_FILTERS,
  HttpConnectionManagerSchema,
  LISTENER_TYPE_URL,
  ListenerSchema,
  NETWORK_FILTERS,
  CLUSTER_TYPE_URL,
  packAny,
  RouterSchema,
} from '@heddle/xds';
import type { Listener } from '@heddle/xds/gen/envoy/config/listener/v3/listener_pb.ts';
import { BootstrapError, parseBootstrap } from '../../src/index.ts';
import { mappedListenerPort } from '../../src/xds/bootstrap-listener-bind.ts';
import { FakeAdsServer } from '../xds/support/fake-ads.ts';
import { call, waitForStatus } from './support/http.ts';

const BIN = fileURLToPath(new URL('../../bin/heddle-proxy.ts', import.meta.url));
const NODE = { id: 'router~127.0.0.1~gw.istio-system~istio-system.svc.cluster.local' };
const CONTROL_PLANE = { addresses: ['127.0.0.1:15010'] };

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A listener on 0.0.0.0:<port> whose only route answers 200 with `body`. */
function directListener(port: number, body: string): Listener {
  return create(ListenerSchema, {
    name: `0.0.0.0_${port}`,
    address: {
      address: {
        case: 'socketAddress',
        value: { address: '0.0.0.0', portSpecifier: { case: 'portValue', value: port } },
      },
    },
    filterChains: [
      {
        filters: [
          {
            name: NETWORK_FILTERS.HTTP_CONNECTION_MANAGER,
            configType: {
              case: 'typedConfig',
              value: packAny(HttpConnectionManagerSchema, {
                statPrefix: `outbound_0.0.0.0_${port}`,
                routeSpecifier: {
                  case: 'routeConfig',
                  value: {
                    name: String(port),
                    virtualHosts: [
                      {
                        name: 'all',
                        domains: ['*'],
                        routes: [
                          {
                            match: { pathSpecifier: { case: 'prefix', value: '/' } },
                            action: {
                              case: 'directResponse',
                              value: {
                                status: 200,
                                body: { specifier: { case: 'inlineString', value: body } },
                              },
                            },
                          },
                        ],
                      },
                    ],
                  },
                },
                httpFilters: [
                  {
                    name: HTTP_FILTERS.ROUTER,
                    configType: { case: 'typedConfig', value: packAny(RouterSchema, {}) },
                  },
                ],
              }),
            },
          },
        ],
      },
    ],
  });
}

describe('bootstrap listener binding', () => {
  it('reads listenerAddress, listenerPortMap and privilegedPortOffset', () => {
    const bootstrap = parseBootstrap({
      node: NODE,
      controlPlane: CONTROL_PLANE,
      listenerAddress: '127.0.0.1',
      listenerPortMap: { '80': 8080, '443': 8443 },
      privilegedPortOffset: 9000,
    });
    const bind = bootstrap.listenerBind;
    assert.ok(bind);
    assert.equal(bind.address, '127.0.0.1');
    assert.deepEqual(
      [80, 443, 81, 1023, 1024, 15443].map((port) => mappedListenerPort(bind, port)),
      [8080, 8443, 9081, 10023, 1024, 15443],
    );
    assert.equal(mappedListenerPort({ portMap: new Map(), privilegedPortOffset: 65_000 }, 800), 0);
    assert.equal(mappedListenerPort({ portMap: new Map(), privilegedPortOffset: -30 }, 80), 50);
    assert.equal(mappedListenerPort({ portMap: new Map(), privilegedPortOffset: -30 }, 20), 0);
    assert.equal(parseBootstrap({ node: NODE, controlPlane: CONTROL_PLANE }).listenerBind, undefined);
  });

  it('names every wrong field', () => {
    assert.throws(
      () =>
        parseBootstrap({
          node: NODE,
          controlPlane: CONTROL_PLANE,
          listenerAddress: 'gateway.local',
          listenerPortMap: { http: 8080, '443': 70_000 },
          privilegedPortOffset: 70_000,
        }),
      (error: unknown) => {
        assert.ok(error instanceof BootstrapError);
        assert.match(error.message, /listenerAddress: must be an IP address, not "gateway\.local"/);
        assert.match(error.message, /listenerPortMap\.http: the key must be a port from 1 to 65535/);
        assert.match(error.message, /listenerPortMap\.443: must be an integer from 0 to 65535, not 70000/);
        assert.match(
          error.message,
          /privilegedPortOffset: must be an integer from -65535 to 65535, not 70000/,
        );
        return true;
      },
    );
  });

  describe('heddle-proxy with a port map', { timeout: 30_000 }, () => {
    let dir: string;
    let server: FakeAdsServer;
    let child: ChildProcess | undefined;

    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'heddle-port-map-'));
      server = await FakeAdsServer.start();
    });

    after(async () => {
      if (child?.exitCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
      await server.close();
      await rm(dir, { recursive: true, force: true });
    });

    it('serves Gateway ports 80 (mapped) and 81 (offset) on local ports of the listener address', async () => {
      const [adminPort, healthPort, httpPort] = [await freePort(), await freePort(), await freePort()];
      // An offset that puts port 81 on a port that was free a moment ago.
      const offsetPort = await freePort();
      server.setResources(CLUSTER_TYPE_URL, []);
      server.setResources(LISTENER_TYPE_URL, [directListener(80, 'port 80'), directListener(81, 'port 81')]);
      const file = join(dir, 'bootstrap.json');
      await writeFile(
        file,
        JSON.stringify({
          node: NODE,
          controlPlane: { addresses: [server.address] },
          admin: { port: adminPort },
          health: { port: healthPort },
          drainTimeout: '1s',
          listenerAddress: '127.0.0.1',
          listenerPortMap: { '80': httpPort },
          privilegedPortOffset: offsetPort - 81,
        }),
      );
      const started = spawn(process.execPath, [BIN, '--bootstrap', file, '--log-level', 'warning'], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      child = started;
      let stderr = '';
      started.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      const exit = new Promise<number | null>((resolve) => started.once('exit', resolve));
      await waitForStatus(healthPort, '/healthz/ready', 200, 15_000);
      const mapped = await call(httpPort, '/');
      assert.equal(mapped.status, 200);
      assert.equal(mapped.body, 'port 80');
      const moved = await call(offsetPort, '/');
      assert.equal(moved.status, 200);
      assert.equal(moved.body, 'port 81');
      // The admin API still names the listeners by their configured address.
      const listeners = await call(adminPort, '/listeners');
      assert.match(listeners.body, /0\.0\.0\.0_80::127\.0\.0\.1:\d+/);
      started.kill('SIGTERM');
      assert.equal(await exit, 0);
      assert.equal(stderr, '');
    });
  });
});
