// Access-log and tracing overhead of the Heddle proxy. One proxy (fed by a fake ADS server) serves five
// listeners that differ only in telemetry: none, an access log in Istio's TEXT format, the same in Istio's
// JSON fields, tracing at 100% to a Zipkin receiver, and access log plus tracing. A node:http upstream and
// the receiver run in this process. Each variant gets the same number of HTTP/1.1 requests (undici,
// keep-alive, fixed concurrency), the variants interleaved over several rounds; reported: requests/s and
// CPU per request of this whole process (client and upstream included, so differences are what matters).
// Run: node bench/logs-tracing-overhead.ts [--requests 20000] [--rounds 3] [--concurrency 16]
import { create } from '@bufbuild/protobuf';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { LogRegistry, parseBootstrap, startProxy } from '@heddle/proxy';
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
import { Cluster_DiscoveryType } from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import { FileAccessLogSchema } from '@heddle/xds/gen/envoy/extensions/access_loggers/file/v3/file_pb.ts';
import {
  ZipkinConfig_CollectorEndpointVersion,
  ZipkinConfigSchema,
} from '@heddle/xds/gen/envoy/config/trace/v3/zipkin_pb.ts';
import { Agent, request } from 'undici';
// By file: the testkit index also loads the control plane and the translator.
import { FakeAdsServer } from '../packages/testkit/src/fake-ads-server.ts';
import {
  ISTIO_JSON_LOG_FORMAT,
  ISTIO_TEXT_LOG_FORMAT,
} from '../packages/translate/src/telemetry/logs-and-tracing/istio-log-formats.ts';

const { values: args } = parseArgs({
  options: {
    requests: { type: 'string', default: '20000' },
    rounds: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '16' },
  },
});
const REQUESTS = Number(args.requests);
const ROUNDS = Number(args.rounds);
const CONCURRENCY = Number(args.concurrency);

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

const upstream = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end('ok');
});
let spansReceived = 0;
const zipkin = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    spansReceived += (JSON.parse(Buffer.concat(chunks).toString()) as unknown[]).length;
    res.writeHead(202);
    res.end();
  });
});
const upstreamPort = await listen(upstream);
const zipkinPort = await listen(zipkin);
const dir = mkdtempSync(join(tmpdir(), 'heddle-bench-logs-'));

const staticCluster = (name: string, port: number) =>
  create(ClusterSchema, {
    name,
    connectTimeout: { seconds: 1n },
    clusterDiscoveryType: { case: 'type', value: Cluster_DiscoveryType.STATIC },
    loadAssignment: {
      clusterName: name,
      endpoints: [
        {
          lbEndpoints: [
            {
              hostIdentifier: {
                case: 'endpoint',
                value: {
                  address: {
                    address: {
                      case: 'socketAddress',
                      value: { address: '127.0.0.1', portSpecifier: { case: 'portValue', value: port } },
                    },
                  },
                },
              },
            },
          ],
        },
      ],
    },
  });

const fileLog = (path: string, json: boolean) => ({
  name: 'envoy.access_loggers.file',
  configType: {
    case: 'typedConfig' as const,
    value: packAny(FileAccessLogSchema, {
      path,
      accessLogFormat: {
        case: 'logFormat',
        value: json
          ? { format: { case: 'jsonFormat', value: { ...ISTIO_JSON_LOG_FORMAT } } }
          : {
              format: {
                case: 'textFormatSource',
                value: { specifier: { case: 'inlineString', value: ISTIO_TEXT_LOG_FORMAT } },
              },
            },
      },
    }),
  },
});

const tracing = {
  randomSampling: { value: 100 },
  provider: {
    name: 'envoy.tracers.zipkin',
    configType: {
      case: 'typedConfig' as const,
      value: packAny(ZipkinConfigSchema, {
        collectorCluster: 'zipkin',
        collectorEndpoint: '/api/v2/spans',
        collectorEndpointVersion: ZipkinConfig_CollectorEndpointVersion.HTTP_JSON,
        traceId128bit: true,
      }),
    },
  },
};

interface Variant {
  readonly name: string;
  readonly port: number;
  readonly hcm: Record<string, unknown>;
}

const variants: Variant[] = [
  { name: 'no telemetry', port: await freePort(), hcm: {} },
  {
    name: 'access log (TEXT)',
    port: await freePort(),
    hcm: { accessLog: [fileLog(join(dir, 'text.log'), false)] },
  },
  {
    name: 'access log (JSON)',
    port: await freePort(),
    hcm: { accessLog: [fileLog(join(dir, 'json.log'), true)] },
  },
  { name: 'tracing 100%', port: await freePort(), hcm: { tracing } },
  {
    name: 'access log + tracing',
    port: await freePort(),
    hcm: { accessLog: [fileLog(join(dir, 'both.log'), false)], tracing },
  },
];

const ads = await FakeAdsServer.start();
ads.setResources(CLUSTER_TYPE_URL, [staticCluster('app', upstreamPort), staticCluster('zipkin', zipkinPort)]);
ads.setResources(
  LISTENER_TYPE_URL,
  variants.map((variant) =>
    create(ListenerSchema, {
      name: `127.0.0.1_${variant.port}`,
      address: {
        address: {
          case: 'socketAddress',
          value: { address: '127.0.0.1', portSpecifier: { case: 'portValue', value: variant.port } },
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
                  statPrefix: 'outbound_bench',
                  routeSpecifier: {
                    case: 'routeConfig',
                    value: {
                      name: 'bench',
                      virtualHosts: [
                        {
                          name: 'all',
                          domains: ['*'],
                          routes: [
                            {
                              match: { pathSpecifier: { case: 'prefix', value: '/' } },
                              action: {
                                case: 'route',
                                value: { clusterSpecifier: { case: 'cluster', value: 'app' } },
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
                  ...variant.hcm,
                }),
              },
            },
          ],
        },
      ],
    }),
  ),
);

const proxy = await startProxy(
  parseBootstrap({
    node: { id: 'sidecar~127.0.0.1~bench.bench~bench.svc.cluster.local' },
    controlPlane: { addresses: [ads.address] },
    admin: { port: 0 },
    health: { port: 0 },
    drainTimeout: '1s',
  }),
  { logs: new LogRegistry({ write: () => {} }) },
);
await proxy.ready;

const agent = new Agent({ connections: CONCURRENCY, pipelining: 1 });

async function load(port: number, count: number): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      next++;
      const res = await request(`http://127.0.0.1:${port}/bench`, { dispatcher: agent });
      if (res.statusCode !== 200) throw new Error(`status ${res.statusCode} on port ${port}`);
      await res.body.text();
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

// Every listener must answer before timing starts.
for (const variant of variants) {
  for (let attempt = 0; ; attempt++) {
    try {
      await load(variant.port, 200);
      break;
    } catch (error) {
      if (attempt > 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

const results = new Map<string, { seconds: number; cpuMicros: number; requests: number }>();
for (let round = 0; round < ROUNDS; round++) {
  for (const variant of variants) {
    const cpu = process.cpuUsage();
    const started = performance.now();
    await load(variant.port, REQUESTS);
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const total = results.get(variant.name) ?? { seconds: 0, cpuMicros: 0, requests: 0 };
    results.set(variant.name, {
      seconds: total.seconds + seconds,
      cpuMicros: total.cpuMicros + used.user + used.system,
      requests: total.requests + REQUESTS,
    });
  }
}

const baseline = results.get('no telemetry');
console.log(
  `${REQUESTS} requests × ${ROUNDS} rounds per variant, concurrency ${CONCURRENCY}, node ${process.version}`,
);
console.log('variant                  req/s    CPU µs/req   vs none');
for (const variant of variants) {
  const r = results.get(variant.name);
  if (!r || !baseline) continue;
  const perRequest = r.cpuMicros / r.requests;
  const base = baseline.cpuMicros / baseline.requests;
  console.log(
    `${variant.name.padEnd(22)} ${(r.requests / r.seconds).toFixed(0).padStart(7)} ${perRequest.toFixed(1).padStart(12)} ${`${perRequest >= base ? '+' : ''}${(((perRequest - base) / base) * 100).toFixed(1)}%`.padStart(9)}`,
  );
}
console.log(
  `access log bytes written (TEXT): ${statSync(join(dir, 'text.log')).size}; spans received: ${spansReceived}`,
);

await agent.close();
await proxy.close();
await ads.close();
upstream.close();
zipkin.close();
rmSync(dir, { recursive: true, force: true });
