// Istio-metrics overhead of the Heddle proxy. One proxy (fed by a fake ADS server) serves three listeners
// that differ only in the `istio.stats` filter: none; the filter as a client sidecar has it (one label set);
// and the filter with a `tenant` tag taken from a request header that takes 1000 values (1000 label sets,
// the cardinality case). A node:http upstream runs in this process. Each variant gets the same number of
// HTTP/1.1 requests (undici, keep-alive, fixed concurrency), interleaved over rounds; reported: requests/s
// and CPU per request of this whole process. Then the recording hot path alone: ns per record() for a cached
// label set, and the size of /stats/prometheus.
// Run: node bench/metrics-overhead.ts [--requests 20000] [--rounds 3] [--concurrency 16]
import type { JsonObject } from '@bufbuild/protobuf';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CLUSTER_TYPE_URL, HTTP_FILTERS, LISTENER_TYPE_URL, typedStruct } from '@heddle/xds';
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
import {
  benchListener,
  freePort,
  measureVariants,
  parseVariantRun,
  printVariantResults,
  ROUTER_FILTER,
  staticCluster,
  startBenchProxy,
  type LoadVariant,
} from './support/listener-variants.ts';

const run = parseVariantRun();
const TENANTS = 1000;
const CLUSTER = 'outbound|80||app.bench.svc.cluster.local';

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
const router = ROUTER_FILTER;

interface Variant extends LoadVariant {
  readonly filters: (typeof ROUTER_FILTER)[];
}

const variants: Variant[] = [
  { name: 'no metrics', port: await freePort(), filters: [router] },
  { name: 'istio.stats', port: await freePort(), filters: [stats(), router] },
  {
    name: `istio.stats ${TENANTS} sets`,
    port: await freePort(),
    filters: [
      stats({
        metrics: { REQUEST_COUNT: { tagOverrides: { tenant: { value: "request.headers['x-tenant']" } } } },
      }),
      router,
    ],
    headers: (n) => ({ 'x-tenant': `tenant-${n % TENANTS}` }),
  },
];

const ads = await FakeAdsServer.start();
ads.setResources(CLUSTER_TYPE_URL, [staticCluster(CLUSTER, upstreamPort)]);
ads.setResources(
  LISTENER_TYPE_URL,
  variants.map((variant) =>
    benchListener({ port: variant.port, cluster: CLUSTER, filters: variant.filters }),
  ),
);

const proxy = await startBenchProxy(ads.address);
const results = await measureVariants(variants, run);
printVariantResults(variants, results, run);
const exposition = await (await fetch(`http://127.0.0.1:${proxy.adminPort}/stats/prometheus`)).text();
const istioLines = exposition.split('\n').filter((line) => line.startsWith('istio_')).length;
console.log(`/stats/prometheus: ${exposition.length} bytes, ${istioLines} istio_* lines`);

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
