// Istio-metrics overhead of the Heddle proxy. One proxy (fed by a fake ADS server) serves three listeners
// that differ only in the `istio.stats` filter: none; the filter as a client sidecar has it (one label set);
// and the filter with a `tenant` tag taken from a request header that takes 1000 values (1000 label sets,
// the cardinality case). A node:http upstream runs in this process. Each variant gets the same number of
// HTTP/1.1 requests (undici, keep-alive, fixed concurrency), interleaved over rounds; reported: requests/s
// and CPU per request of this whole process. Then the recording hot path alone: ns per record() for a cached
// label set, and the size of /stats/prometheus.
// Run: node bench/metrics-overhead.ts [--requests 20000] [--rounds 3] [--concurrency 16]
import { create, type JsonObject } from '@bufbuild/protobuf';
import { createServer } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
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
  typedStruct,
} from '@heddle/xds';
import { Cluster_DiscoveryType } from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import { Agent, request } from 'undici';
// By file: the testkit index also loads the control plane and the translator.
import { FakeAdsServer } from '../packages/testkit/src/fake-ads-server.ts';
import { StatsStore } from '../packages/proxy/src/stats/stats-store.ts';
import { HTTP_LABELS, HTTP_METRICS } from '../packages/proxy/src/telemetry/metrics/istio-metrics.ts';
import {
  UNKNOWN_PEER,
  type MetricAttributes,
} from '../packages/proxy/src/telemetry/metrics/metric-attributes.ts';
import {
  createSample,
  METRIC_INDEX,
  MetricRecorder,
} from '../packages/proxy/src/telemetry/metrics/metric-recorder.ts';
import {
  compileStatsConfig,
  STATS_CONFIG_TYPE_URL,
} from '../packages/proxy/src/telemetry/metrics/stats-config.ts';

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
const TENANTS = 1000;
const CLUSTER = 'outbound|80||app.bench.svc.cluster.local';

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const upstream = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end('ok');
});
await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
const upstreamPort = (upstream.address() as AddressInfo).port;

const node: JsonObject = {
  workload: 'bench-client',
  namespace: 'bench',
  app: 'bench-client',
  version: 'v1',
  canonicalService: 'bench-client',
  canonicalRevision: 'v1',
  clusterId: 'Kubernetes',
};
const stats = (extra: JsonObject = {}) => ({
  name: HTTP_FILTERS.ISTIO_STATS,
  configType: {
    case: 'typedConfig' as const,
    value: typedStruct(STATS_CONFIG_TYPE_URL, { reporter: 'source', nodeId: 'bench', node, ...extra }),
  },
});
const router = {
  name: HTTP_FILTERS.ROUTER,
  configType: { case: 'typedConfig' as const, value: packAny(RouterSchema, {}) },
};

interface Variant {
  readonly name: string;
  readonly port: number;
  readonly filters: unknown[];
  readonly tenants: boolean;
}

const variants: Variant[] = [
  { name: 'no metrics', port: await freePort(), filters: [router], tenants: false },
  { name: 'istio.stats', port: await freePort(), filters: [stats(), router], tenants: false },
  {
    name: `istio.stats ${TENANTS} sets`,
    port: await freePort(),
    filters: [
      stats({
        metrics: { REQUEST_COUNT: { tagOverrides: { tenant: { value: "request.headers['x-tenant']" } } } },
      }),
      router,
    ],
    tenants: true,
  },
];

const ads = await FakeAdsServer.start();
ads.setResources(CLUSTER_TYPE_URL, [
  create(ClusterSchema, {
    name: CLUSTER,
    connectTimeout: { seconds: 1n },
    clusterDiscoveryType: { case: 'type', value: Cluster_DiscoveryType.STATIC },
    loadAssignment: {
      clusterName: CLUSTER,
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
                      value: {
                        address: '127.0.0.1',
                        portSpecifier: { case: 'portValue', value: upstreamPort },
                      },
                    },
                  },
                },
              },
            },
          ],
        },
      ],
    },
  }),
]);
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
                                value: { clusterSpecifier: { case: 'cluster', value: CLUSTER } },
                              },
                            },
                          ],
                        },
                      ],
                    },
                  },
                  httpFilters: variant.filters as never,
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

async function load(variant: Variant, count: number): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const n = next++;
      const headers = variant.tenants ? { 'x-tenant': `tenant-${n % TENANTS}` } : {};
      const res = await request(`http://127.0.0.1:${variant.port}/bench`, { dispatcher: agent, headers });
      if (res.statusCode !== 200) throw new Error(`status ${res.statusCode} on port ${variant.port}`);
      await res.body.text();
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

for (const variant of variants) {
  for (let attempt = 0; ; attempt++) {
    try {
      await load(variant, 200);
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
    await load(variant, REQUESTS);
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

const baseline = results.get('no metrics');
console.log(
  `${REQUESTS} requests × ${ROUNDS} rounds per variant, concurrency ${CONCURRENCY}, node ${process.version}`,
);
console.log('variant                       req/s    CPU µs/req   vs none');
for (const variant of variants) {
  const r = results.get(variant.name);
  if (!r || !baseline) continue;
  const perRequest = r.cpuMicros / r.requests;
  const base = baseline.cpuMicros / baseline.requests;
  const delta = `${perRequest >= base ? '+' : ''}${(((perRequest - base) / base) * 100).toFixed(1)}%`;
  console.log(
    `${variant.name.padEnd(27)} ${(r.requests / r.seconds).toFixed(0).padStart(7)} ${perRequest.toFixed(1).padStart(12)} ${delta.padStart(9)}`,
  );
}
const exposition = await (await fetch(`http://127.0.0.1:${proxy.adminPort}/stats/prometheus`)).text();
const istioLines = exposition.split('\n').filter((line) => line.startsWith('istio_')).length;
console.log(`/stats/prometheus: ${exposition.length} bytes, ${istioLines} istio_* lines`);

await agent.close();
await proxy.close();
await ads.close();
upstream.close();

// The recording hot path alone: one cached label set, every HTTP metric.
const compiled = compileStatsConfig({ reporter: 'source', node });
if ('error' in compiled) throw new Error(compiled.error);
const store = new StatsStore();
const recorder = new MetricRecorder(store, compiled, HTTP_METRICS, HTTP_LABELS);
const attrs: MetricAttributes = {
  reporter: 'source',
  source: compiled.local,
  destination: UNKNOWN_PEER,
  peer: undefined,
  sourcePrincipal: 'spiffe://cluster.local/ns/bench/sa/bench',
  destinationPrincipal: 'unknown',
  destinationService: { host: 'app.bench.svc.cluster.local', name: 'app', namespace: 'bench' },
  requestProtocol: 'http',
  responseCode: '200',
  grpcStatus: '',
  responseFlags: '-',
  securityPolicy: 'unknown',
};
const sample = createSample();
sample[METRIC_INDEX.REQUEST_COUNT] = 1;
sample[METRIC_INDEX.REQUEST_DURATION] = 3;
sample[METRIC_INDEX.REQUEST_SIZE] = 0;
sample[METRIC_INDEX.RESPONSE_SIZE] = 2;
const CALLS = 1_000_000;
for (let i = 0; i < 10_000; i++) recorder.record(attrs, sample);
const started = process.hrtime.bigint();
for (let i = 0; i < CALLS; i++) recorder.record(attrs, sample);
const ns = Number(process.hrtime.bigint() - started) / CALLS;
const recorded = store.snapshot().counters.find((entry) => entry.name.endsWith('istio_requests_total'));
console.log(
  `record() with a cached label set (count, duration, request and response size): ${ns.toFixed(0)} ns` +
    ` (${recorded?.stat.value ?? 0} requests counted)`,
);
