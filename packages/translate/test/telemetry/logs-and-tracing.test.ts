// Access logs and tracing of HTTP connection managers: meshConfig and the Telemetry API, per direction,
// compared with golden files holding just the access_log and tracing of every connection manager.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { expectGolden, outputToJson, sidecarNode, snapshotFromYaml, translateCase } from '@heddle/testkit';
import { translateProxy, type TranslationOutput } from '@heddle/translate';
import { stringify } from 'yaml';
import { TELEMETRY_WARNINGS } from '../../src/telemetry/logs-and-tracing/warning-codes.ts';

const TESTDATA = join(import.meta.dirname, '..', 'testdata');

interface HcmTelemetry {
  readonly listener: string;
  readonly statPrefix: string;
  readonly accessLog: unknown;
  readonly tracing: unknown;
}

/** The access_log and tracing of every connection manager, by listener and stat prefix. */
function hcmTelemetry(output: TranslationOutput): HcmTelemetry[] {
  const found: HcmTelemetry[] = [];
  const visit = (listener: string, value: unknown): void => {
    if (Array.isArray(value)) for (const item of value) visit(listener, item);
    else if (value !== null && typeof value === 'object') {
      const object = value as Record<string, unknown>;
      if (typeof object['@type'] === 'string' && object['@type'].endsWith('.HttpConnectionManager'))
        found.push({
          listener,
          statPrefix: String(object.statPrefix),
          accessLog: object.accessLog ?? [],
          tracing: object.tracing ?? null,
        });
      for (const child of Object.values(object)) visit(listener, child);
    }
  };
  for (const listener of outputToJson(output, 'lds') as { name: string }[]) visit(listener.name, listener);
  return found;
}

function expectCase(name: string): TranslationOutput {
  const output = translateCase(join(TESTDATA, name));
  expectGolden(stringify(hcmTelemetry(output)), join(TESTDATA, name, 'telemetry.golden.yaml'));
  return output;
}

const codes = (output: TranslationOutput): [string, string | undefined][] =>
  output.warnings.filter((w) => w.code.startsWith('HEDDLE_TELEMETRY_')).map((w) => [w.code, w.resource]);

describe('access logs', () => {
  it('writes the meshConfig accessLogFormat to accessLogFile on every connection manager', () => {
    const hcms = hcmTelemetry(expectCase('telemetry-logs-mesh-text'));
    assert.ok(hcms.length >= 2);
    for (const hcm of hcms) {
      const [log] = hcm.accessLog as { name: string; typedConfig: Record<string, unknown> }[];
      assert.equal(log?.name, 'envoy.access_loggers.file');
      assert.equal(log?.typedConfig.path, '/dev/stdout');
      assert.match(JSON.stringify(log?.typedConfig), /X-ENVOY-UPSTREAM-SERVICE-TIME/);
      assert.equal(hcm.tracing, null, 'enableTracing: false');
    }
  });

  it("uses Istio's default JSON fields for accessLogEncoding JSON without a format", () => {
    for (const hcm of hcmTelemetry(expectCase('telemetry-logs-mesh-json'))) {
      const [log] = hcm.accessLog as { typedConfig: { logFormat: { jsonFormat: Record<string, string> } } }[];
      assert.equal(log?.typedConfig.logFormat.jsonFormat.response_code, '%RESPONSE_CODE%');
      assert.equal(log?.typedConfig.logFormat.jsonFormat.upstream_cluster, '%UPSTREAM_CLUSTER%');
    }
  });

  it('applies Telemetry scopes: a CEL filter mesh-wide, server logging off per namespace, a workload file', () => {
    const output = expectCase('telemetry-logs-telemetry-api');
    const hcms = hcmTelemetry(output);
    const inbound = hcms.filter((h) => h.statPrefix.startsWith('inbound'));
    const outbound = hcms.filter((h) => h.statPrefix.startsWith('outbound'));
    assert.ok(inbound.length > 0 && outbound.length > 0);
    for (const hcm of inbound) assert.deepEqual(hcm.accessLog, [], 'SERVER logging disabled');
    for (const hcm of outbound) {
      const logs = hcm.accessLog as { typedConfig: { path: string }; filter?: unknown }[];
      assert.deepEqual(
        logs.map((l) => l.typedConfig.path),
        ['/dev/stdout', '/var/log/product.json'],
      );
      // The mesh-wide filter stays on the provider it was set for; the workload's new provider has none.
      assert.match(JSON.stringify(logs[0]?.filter), /response\.code >= 400/);
      assert.equal(logs[1]?.filter, undefined);
    }
    assert.deepEqual(codes(output), []);
  });

  it('warns about an unknown access logging provider and skips it', () => {
    const snapshot = snapshotFromYaml(`
apiVersion: v1
kind: Service
metadata: { name: reviews, namespace: default }
spec: { clusterIP: 10.96.0.11, ports: [{ name: http, port: 9080 }] }
---
apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata: { name: logs, namespace: istio-system }
spec:
  accessLogging:
    - providers: [{ name: stackdriver }]
`);
    const output = translateProxy(snapshot, sidecarNode());
    assert.deepEqual(codes(output), [[TELEMETRY_WARNINGS.PROVIDER_NOT_FOUND, 'Telemetry istio-system/logs']]);
    for (const hcm of hcmTelemetry(output)) assert.deepEqual(hcm.accessLog, []);
  });
});

/** The access_log of every tcp_proxy, by listener and filter chain. */
function tcpProxyLogs(output: TranslationOutput): { listener: string; chain: string; paths: string[] }[] {
  type Chain = { name?: string; filters?: { typedConfig?: Record<string, unknown> }[] };
  const found: { listener: string; chain: string; paths: string[] }[] = [];
  const listeners = outputToJson(output, 'lds') as {
    name: string;
    filterChains?: Chain[];
    defaultFilterChain?: Chain;
  }[];
  for (const listener of listeners) {
    const chains = [
      ...(listener.filterChains ?? []),
      ...(listener.defaultFilterChain ? [listener.defaultFilterChain] : []),
    ];
    for (const chain of chains)
      for (const filter of chain.filters ?? []) {
        const config = filter.typedConfig;
        if (typeof config?.['@type'] !== 'string' || !config['@type'].endsWith('.TcpProxy')) continue;
        const logs = (config.accessLog ?? []) as { typedConfig: { path: string } }[];
        found.push({
          listener: listener.name,
          chain: chain.name ?? '',
          paths: logs.map((l) => l.typedConfig.path),
        });
      }
  }
  return found;
}

const TCP_MESH = `
apiVersion: v1
kind: Service
metadata: { name: db, namespace: default }
spec:
  selector: { app: db }
  clusterIP: 10.96.0.20
  ports: [{ name: tcp-db, port: 5432 }]
---
apiVersion: networking.istio.io/v1
kind: WorkloadEntry
metadata: { name: db-1, namespace: default }
spec: { address: 10.0.0.1, labels: { app: db } }
---
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: { name: mesh, namespace: istio-system }
spec:
  meshConfig:
    accessLogFile: /dev/stdout
    extensionProviders:
      - name: server-file
        envoyFileAccessLog: { path: /var/log/server.log }
`;

describe('access logs on tcp_proxy', () => {
  it('gives every TCP chain the loggers of its direction, passthrough and blackhole included', () => {
    const output = translateProxy(
      snapshotFromYaml(TCP_MESH),
      sidecarNode({ name: 'db-1', labels: { app: 'db' } }),
    );
    const logs = tcpProxyLogs(output);
    const outbound = logs.find((l) => l.listener === '0.0.0.0_5432');
    const inbound = logs.find((l) => l.listener === 'virtualInbound' && l.chain.startsWith('inbound|5432'));
    assert.deepEqual(outbound?.paths, ['/dev/stdout'], JSON.stringify(logs));
    assert.deepEqual(inbound?.paths, ['/dev/stdout'], JSON.stringify(logs));
    const passthrough = logs.filter((l) => l.chain.includes('Passthrough') || l.chain.includes('catchall'));
    assert.ok(passthrough.length > 0, JSON.stringify(logs));
    for (const entry of logs) assert.deepEqual(entry.paths, ['/dev/stdout'], JSON.stringify(entry));
  });

  it('follows Telemetry per direction: server chains get their provider, client chains none', () => {
    const output = translateProxy(
      snapshotFromYaml(`${TCP_MESH}
---
apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata: { name: logs, namespace: default }
spec:
  accessLogging:
    - match: { mode: SERVER }
      providers: [{ name: server-file }]
    - match: { mode: CLIENT }
      disabled: true
`),
      sidecarNode({ name: 'db-1', labels: { app: 'db' } }),
    );
    const logs = tcpProxyLogs(output);
    const inbound = logs.filter((l) => l.listener === 'virtualInbound');
    const outbound = logs.filter((l) => l.listener !== 'virtualInbound');
    assert.ok(inbound.length > 0 && outbound.length > 0, JSON.stringify(logs));
    for (const entry of inbound)
      assert.deepEqual(entry.paths, ['/var/log/server.log'], JSON.stringify(entry));
    for (const entry of outbound) assert.deepEqual(entry.paths, [], JSON.stringify(entry));
  });

  it('leaves tcp_proxy without access_log when logging is off', () => {
    const output = translateProxy(
      snapshotFromYaml(TCP_MESH.replace('accessLogFile: /dev/stdout', 'accessLogFile: ""')),
      sidecarNode({ name: 'db-1', labels: { app: 'db' } }),
    );
    const logs = tcpProxyLogs(output);
    assert.ok(logs.length > 0);
    for (const entry of logs) assert.deepEqual(entry.paths, []);
  });
});

describe('tracing', () => {
  it('sends Zipkin spans to the meshConfig collector, sampled as the Telemetry says', () => {
    const output = expectCase('telemetry-tracing-mesh-zipkin');
    for (const hcm of hcmTelemetry(output)) {
      const tracing = hcm.tracing as {
        randomSampling: { value: number };
        provider: { name: string; typedConfig: Record<string, unknown> };
      };
      assert.equal(tracing.randomSampling.value, 1);
      assert.equal(tracing.provider.name, 'envoy.tracers.zipkin');
      assert.equal(
        tracing.provider.typedConfig.collectorCluster,
        'outbound|9411||zipkin.monitoring.svc.cluster.local',
      );
      assert.equal(tracing.provider.typedConfig.collectorEndpoint, '/api/v2/spans');
      assert.equal(tracing.provider.typedConfig.collectorEndpointVersion, 'HTTP_JSON');
    }
    // Seed 000 names a "zipkin" provider that meshConfig never defines.
    assert.deepEqual(codes(output), [
      [TELEMETRY_WARNINGS.PROVIDER_NOT_FOUND, 'Telemetry istio-system/tracing-config'],
    ]);
  });

  it('sends OTLP spans over HTTP for an opentelemetry provider, with custom tags; gateways spawn upstream spans', () => {
    const hcms = hcmTelemetry(expectCase('telemetry-tracing-opentelemetry'));
    assert.ok(hcms.length > 0);
    for (const hcm of hcms) {
      const tracing = hcm.tracing as {
        provider: { name: string; typedConfig: { httpService: { httpUri: Record<string, unknown> } } };
        customTags: { tag: string }[];
        spawnUpstreamSpan: boolean;
      };
      assert.equal(tracing.provider.name, 'envoy.tracers.opentelemetry');
      assert.equal(
        tracing.provider.typedConfig.httpService.httpUri.cluster,
        'outbound|4318||otel-collector.observability.svc.cluster.local',
      );
      assert.deepEqual(
        tracing.customTags.map((t) => t.tag),
        [
          'istio.canonical_revision',
          'istio.canonical_service',
          'istio.mesh_id',
          'istio.namespace',
          'environment',
          'pod',
          'user',
        ],
      );
      assert.equal(tracing.spawnUpstreamSpan, true);
    }
  });

  it('leaves tracing out when enableTracing is false, and keeps propagation without a reporter', () => {
    const dir = join(TESTDATA, 'telemetry-tracing-disabled');
    for (const hcm of hcmTelemetry(expectCase('telemetry-tracing-disabled'))) assert.equal(hcm.tracing, null);
    const snapshot = snapshotFromYaml(readFileSync(join(dir, 'input.yaml'), 'utf8'));
    const reviews = translateProxy(
      snapshot,
      sidecarNode({ name: 'reviews-1', labels: { app: 'reviews' }, ip: '10.0.0.6' }),
    );
    const hcms = hcmTelemetry(reviews);
    expectGolden(stringify(hcms), join(dir, 'telemetry-reviews.golden.yaml'));
    for (const hcm of hcms) {
      const tracing = hcm.tracing as { randomSampling: { value: number }; provider?: unknown };
      assert.equal(tracing.randomSampling.value, 50);
      assert.equal(tracing.provider, undefined, 'disableSpanReporting: no reporter');
    }
  });

  it('adds no tracing when the default collector address is not a service', () => {
    const snapshot = snapshotFromYaml(
      readFileSync(join(TESTDATA, 'telemetry-logs-mesh-text', 'input.yaml'), 'utf8').replace(
        'enableTracing: false',
        'enableTracing: true',
      ),
    );
    const output = translateProxy(snapshot, sidecarNode());
    for (const hcm of hcmTelemetry(output)) assert.equal(hcm.tracing, null);
    assert.deepEqual(codes(output), []);
  });
});
