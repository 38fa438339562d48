// CONNECT on an explicit HTTP proxy listener (upgrade_configs CONNECT): a tunnel to a mesh service carries
// HTTP that is routed like any proxied request (route header edits and retries apply), a tunnel carrying
// TLS (https:// URLs) is relayed to the route's cluster, an unknown target is tunnelled to itself through
// the ORIGINAL_DST PassthroughCluster (ALLOW_ANY) or refused (REGISTRY_ONLY's direct 502). Real clients:
// Node's fetch with HTTP_PROXY and NODE_USE_ENV_PROXY=1, and curl -p.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { create } from '@bufbuild/protobuf';
import {
  CLUSTER_TYPE_URL,
  ClusterSchema,
  HTTP_FILTERS,
  HttpConnectionManagerSchema,
  LISTENER_TYPE_URL,
  ListenerSchema,
  NETWORK_FILTERS,
  packAny,
  RouterSchema,
} from '@heddle/xds';
import {
  Cluster_DiscoveryType,
  Cluster_LbPolicy,
} from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import type { Cluster } from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import type { Listener } from '@heddle/xds/gen/envoy/config/listener/v3/listener_pb.ts';
import { createTestPki, type TestPki } from '../../../testkit/src/test-pki.ts';
import { LogRegistry } from '../../src/admin/logger.ts';
import type { Proxy } from '../../src/config/proxy-runtime.ts';
import { startProxy } from '../../src/proxy.ts';
import { parseBootstrap } from '../../src/xds/bootstrap.ts';
import { FakeAdsServer } from '../xds/support/fake-ads.ts';

const PASSTHROUGH = 'PassthroughCluster';

function socket(address: string, port: number) {
  return {
    address: {
      case: 'socketAddress' as const,
      value: { address, portSpecifier: { case: 'portValue' as const, value: port } },
    },
  };
}

function staticCluster(name: string, port: number): Cluster {
  return create(ClusterSchema, {
    name,
    clusterDiscoveryType: { case: 'type', value: Cluster_DiscoveryType.STATIC },
    connectTimeout: { seconds: 1n },
    loadAssignment: {
      clusterName: name,
      endpoints: [
        {
          lbEndpoints: [
            { hostIdentifier: { case: 'endpoint', value: { address: socket('127.0.0.1', port) } } },
          ],
        },
      ],
    },
  });
}

const forward = (cluster: string) => ({
  case: 'route' as const,
  value: { clusterSpecifier: { case: 'cluster' as const, value: cluster } },
});
const everything = { pathSpecifier: { case: 'prefix' as const, value: '/' } };

/** The explicit outbound listener's shape: HTTP proxy on loopback, CONNECT allowed, one route table. */
function proxyListener(name: string, catchAll: 'ALLOW_ANY' | 'REGISTRY_ONLY'): Listener {
  return create(ListenerSchema, {
    name,
    address: socket('127.0.0.1', 0),
    filterChains: [
      {
        filters: [
          {
            name: NETWORK_FILTERS.HTTP_CONNECTION_MANAGER,
            configType: {
              case: 'typedConfig',
              value: packAny(HttpConnectionManagerSchema, {
                statPrefix: `outbound_${name}`,
                upgradeConfigs: [{ upgradeType: 'websocket' }, { upgradeType: 'CONNECT' }],
                routeSpecifier: {
                  case: 'routeConfig',
                  value: {
                    name: 'http_proxy',
                    virtualHosts: [
                      {
                        name: 'svc.test:80',
                        domains: ['svc.test', 'svc.test:80'],
                        routes: [
                          {
                            match: everything,
                            requestHeadersToAdd: [{ header: { key: 'x-routed', value: 'svc-route' } }],
                            action: {
                              case: 'route',
                              value: {
                                clusterSpecifier: { case: 'cluster', value: 'svc' },
                                retryPolicy: { retryOn: '5xx', numRetries: 2 },
                              },
                            },
                          },
                        ],
                      },
                      {
                        name: 'secure.test:443',
                        domains: ['secure.test:443'],
                        routes: [{ match: everything, action: forward('secure') }],
                      },
                      catchAll === 'ALLOW_ANY'
                        ? {
                            name: 'allow_any',
                            domains: ['*'],
                            routes: [{ match: everything, action: forward(PASSTHROUGH) }],
                          }
                        : {
                            name: 'block_all',
                            domains: ['*'],
                            routes: [
                              {
                                match: everything,
                                action: { case: 'directResponse', value: { status: 502 } },
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

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('CONNECT on the explicit proxy listener', { timeout: 60_000 }, () => {
  let pki: TestPki;
  let service: Server;
  let outside: Server;
  let secure: HttpsServer;
  let ads: FakeAdsServer | undefined;
  let proxy: Proxy | undefined;
  let allowPort = 0;
  let blockPort = 0;
  const seen: { url: string; host: string; routed: string | undefined }[] = [];
  let flaky = 0;

  const port = (server: Server | HttpsServer): number => (server.address() as AddressInfo).port;
  const record = (req: IncomingMessage): void => {
    seen.push({
      url: req.url ?? '',
      host: req.headers.host ?? '',
      routed: req.headers['x-routed'] as string,
    });
  };

  before(async () => {
    pki = createTestPki('connect');
    pki.ca('connect-ca');
    const secureCert = pki.issue('secure', 'connect-ca', 'DNS:secure.test');
    service = createServer((req, res) => {
      record(req);
      // The first request to /flaky fails: the route's retry policy must hide it.
      if (req.url === '/flaky' && flaky++ === 0) {
        res.writeHead(503).end('try again');
        return;
      }
      res.end(`service saw ${req.url}`);
    });
    outside = createServer((req, res) => res.end(`outside saw ${req.url}`));
    secure = createHttpsServer({ cert: secureCert.cert, key: secureCert.key }, (req, res) =>
      res.end(`secure saw ${req.url}`),
    );
    for (const server of [service, outside, secure])
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    ads = await FakeAdsServer.start();
    ads.setResources(CLUSTER_TYPE_URL, [
      staticCluster('svc', port(service)),
      staticCluster('secure', port(secure)),
      create(ClusterSchema, {
        name: PASSTHROUGH,
        clusterDiscoveryType: { case: 'type', value: Cluster_DiscoveryType.ORIGINAL_DST },
        lbPolicy: Cluster_LbPolicy.CLUSTER_PROVIDED,
        connectTimeout: { seconds: 1n },
      }),
    ]);
    ads.setResources(LISTENER_TYPE_URL, [
      proxyListener('allow', 'ALLOW_ANY'),
      proxyListener('block', 'REGISTRY_ONLY'),
    ]);
    proxy = await startProxy(
      parseBootstrap({
        node: { id: 'sidecar~127.0.0.1~client.default~default.svc.cluster.local' },
        controlPlane: { addresses: [ads.address] },
        admin: { port: 0 },
        health: { port: 0 },
        drainTimeout: '1s',
      }),
      { logs: new LogRegistry({ write: () => {} }) },
    );
    await proxy.ready;
    // The admin API lists each listener as `name::host:port`, its bound port resolved.
    const listeners = await (await fetch(`http://127.0.0.1:${proxy.adminPort}/listeners`)).text();
    allowPort = Number(/^allow::127\.0\.0\.1:(\d+)$/m.exec(listeners)?.[1] ?? 0);
    blockPort = Number(/^block::127\.0\.0\.1:(\d+)$/m.exec(listeners)?.[1] ?? 0);
    assert.ok(allowPort > 0 && blockPort > 0, 'listeners bound');
  });

  after(async () => {
    await proxy?.close();
    await ads?.close();
    for (const server of [service, outside, secure]) {
      if (!server) continue;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    pki?.remove();
  });

  it("routes Node fetch's tunnelled requests (HTTP_PROXY, NODE_USE_ENV_PROXY=1) like proxied requests", async () => {
    seen.length = 0;
    const script =
      "const r = await fetch('http://svc.test/flaky'); process.stdout.write(r.status + ' ' + (await r.text()));";
    const result = await run(process.execPath, ['--input-type=module', '-e', script], {
      ...process.env,
      HTTP_PROXY: `http://127.0.0.1:${allowPort}`,
      NODE_USE_ENV_PROXY: '1',
      NO_PROXY: '',
    });
    assert.equal(result.stdout, '200 service saw /flaky', result.stderr);
    // It came through a CONNECT tunnel, not as an absolute-form request.
    const stats = await (await fetch(`http://127.0.0.1:${proxy?.adminPort}/stats`)).text();
    assert.match(stats, /^http\.outbound_allow\.downstream_cx_upgrades_total: [1-9]/m);
    // Two attempts reached the service (the retry), both with the route's request header.
    assert.deepEqual(
      seen.map((s) => [s.url, s.host, s.routed]),
      [
        ['/flaky', 'svc.test', 'svc-route'],
        ['/flaky', 'svc.test', 'svc-route'],
      ],
    );
  });

  it('routes curl -p (HTTP over CONNECT) through the same route', async () => {
    seen.length = 0;
    const result = await run('curl', [
      '-sS',
      '-p',
      '-x',
      `http://127.0.0.1:${allowPort}`,
      'http://svc.test/curl',
    ]);
    assert.equal(result.stdout, 'service saw /curl', result.stderr);
    assert.equal(seen[0]?.routed, 'svc-route');
  });

  it('relays TLS in the tunnel (an https:// URL) to the route of the CONNECT authority', async () => {
    const file = `${pki.dir}/connect-ca.crt`;
    const result = await run('curl', [
      '-sS',
      '-p',
      '-x',
      `http://127.0.0.1:${allowPort}`,
      '--cacert',
      file,
      'https://secure.test:443/tls',
    ]);
    assert.equal(result.stdout, 'secure saw /tls', result.stderr);
  });

  it('tunnels an unknown destination to itself under ALLOW_ANY', async () => {
    const result = await run('curl', [
      '-sS',
      '-p',
      '-x',
      `http://127.0.0.1:${allowPort}`,
      `http://127.0.0.1:${port(outside)}/direct`,
    ]);
    assert.equal(result.stdout, 'outside saw /direct', result.stderr);
  });

  it('refuses an unknown destination under REGISTRY_ONLY with the route’s status', async () => {
    const result = await run('curl', [
      '-sS',
      '-p',
      '-x',
      `http://127.0.0.1:${blockPort}`,
      `http://127.0.0.1:${port(outside)}/direct`,
    ]);
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /CONNECT tunnel failed, response 502/);
  });

  it('still answers a plain absolute-form request on the same listener', async () => {
    seen.length = 0;
    const result = await run('curl', ['-sS', '-x', `http://127.0.0.1:${allowPort}`, 'http://svc.test/plain']);
    assert.equal(result.stdout, 'service saw /plain', result.stderr);
    assert.equal(seen[0]?.routed, 'svc-route');
  });
});
