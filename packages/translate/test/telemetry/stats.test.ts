// Istio's standard metrics in the translation: the `istio.stats` filter of every connection manager and TCP
// chain (reporter by listener class, the node's peer metadata) and the Telemetry API metrics overrides
// resolved per reporter, compared with golden files holding just those filters.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { expectGolden, outputToJson, translateCase } from '@heddle/testkit';
import type { TranslationOutput } from '@heddle/translate';
import { stringify } from 'yaml';
import { METRICS_WARNINGS } from '../../src/telemetry/stats/warning-codes.ts';

const TESTDATA = join(import.meta.dirname, '..', 'testdata');

interface StatsFilter {
  readonly listener: string;
  readonly chain: string;
  readonly kind: 'http' | 'tcp';
  readonly config: Record<string, unknown>;
}

/** Every `istio.stats` filter, by listener and filter chain. */
function statsFilters(output: TranslationOutput): StatsFilter[] {
  const found: StatsFilter[] = [];
  type Node = Record<string, unknown>;
  const configOf = (filter: Node): Record<string, unknown> =>
    ((filter.typedConfig as Node | undefined)?.value ?? {}) as Record<string, unknown>;
  for (const listener of outputToJson(output, 'lds') as Node[]) {
    for (const chain of (listener.filterChains ?? []) as Node[]) {
      for (const filter of (chain.filters ?? []) as Node[]) {
        const base = {
          listener: String(listener.name),
          chain: typeof chain.name === 'string' ? chain.name : '',
        };
        if (filter.name === 'istio.stats') found.push({ ...base, kind: 'tcp', config: configOf(filter) });
        const hcm = filter.typedConfig as Node | undefined;
        for (const http of (hcm?.httpFilters ?? []) as Node[])
          if (http.name === 'istio.stats') found.push({ ...base, kind: 'http', config: configOf(http) });
      }
    }
  }
  return found;
}

function expectCase(name: string): { output: TranslationOutput; filters: StatsFilter[] } {
  const output = translateCase(join(TESTDATA, name));
  const filters = statsFilters(output);
  expectGolden(stringify(filters), join(TESTDATA, name, 'stats.golden.yaml'));
  return { output, filters };
}

const reporterOf = (filters: StatsFilter[], match: (f: StatsFilter) => boolean): unknown[] => [
  ...new Set(filters.filter(match).map((f) => f.config.reporter)),
];

describe('istio.stats filter', () => {
  it('reports outbound as source and inbound as destination, on HTTP and TCP chains, with the node metadata', () => {
    const { output, filters } = expectCase('telemetry-stats-default');
    assert.deepEqual(
      reporterOf(filters, (f) => f.listener === 'virtualInbound'),
      ['destination'],
    );
    assert.deepEqual(
      reporterOf(filters, (f) => f.listener !== 'virtualInbound'),
      ['source'],
    );
    const kinds = new Set(filters.map((f) => `${f.listener === 'virtualInbound' ? 'in' : 'out'}-${f.kind}`));
    assert.deepEqual([...kinds].sort(), ['in-http', 'in-tcp', 'out-http', 'out-tcp']);
    const outboundTcp = filters.find((f) => f.kind === 'tcp' && f.listener !== 'virtualInbound');
    assert.ok(outboundTcp?.chain.includes('mysql.data.svc.cluster.local'), outboundTcp?.chain);
    assert.deepEqual(filters[0]?.config.node, {
      workload: 'reviews-v2',
      namespace: 'default',
      app: 'reviews',
      version: 'v2',
      canonicalService: 'reviews',
      canonicalRevision: 'v2-canary',
      clusterId: 'east',
    });
    assert.equal(filters[0]?.config.principal, 'spiffe://cluster.local/ns/default/sa/bookinfo-reviews');
    assert.equal(output.warnings.filter((w) => w.code.startsWith('HEDDLE_TELEMETRY_METRICS_')).length, 0);
  });

  it('resolves Telemetry overrides mesh < namespace < workload, per reporter, warning about what it cannot do', () => {
    const { output, filters } = expectCase('telemetry-stats-overrides');
    const client = filters.find((f) => f.config.reporter === 'source' && f.kind === 'http');
    const server = filters.find((f) => f.config.reporter === 'destination' && f.kind === 'http');
    const clientMetrics = client?.config.metrics as Record<string, Record<string, unknown>>;
    const serverMetrics = server?.config.metrics as Record<string, Record<string, unknown>>;
    assert.equal(clientMetrics.REQUEST_SIZE?.disabled, true, 'mesh-wide');
    assert.deepEqual(clientMetrics.REQUEST_COUNT?.tagOverrides, {
      request_protocol: { operation: 'REMOVE' },
      tenant: { operation: 'UPSERT', value: "request.headers['x-tenant']" },
    });
    assert.equal(clientMetrics.RESPONSE_SIZE?.disabled, undefined);
    // Server side: everything off but count and duration (which keep request_protocol: CLIENT-only REMOVE).
    assert.equal(serverMetrics.REQUEST_COUNT?.disabled, undefined);
    assert.deepEqual(serverMetrics.REQUEST_COUNT?.tagOverrides, {
      tenant: { operation: 'UPSERT', value: "request.headers['x-tenant']" },
    });
    assert.equal(serverMetrics.REQUEST_DURATION, undefined);
    for (const metric of ['REQUEST_SIZE', 'RESPONSE_SIZE', 'TCP_SENT_BYTES', 'GRPC_REQUEST_MESSAGES'])
      assert.equal(serverMetrics[metric]?.disabled, true, metric);
    const warnings = output.warnings
      .filter((w) => w.code.startsWith('HEDDLE_TELEMETRY_METRICS_'))
      .map((w) => [w.code, w.resource]);
    assert.deepEqual(
      [...new Set(warnings.map((w) => JSON.stringify(w)))].map((w) => JSON.parse(w) as unknown).sort(),
      [
        [METRICS_WARNINGS.CUSTOM_METRIC_UNSUPPORTED, 'Telemetry default/namespace-metrics'],
        [METRICS_WARNINGS.TAG_EXPRESSION_UNSUPPORTED, 'Telemetry default/namespace-metrics'],
      ],
    );
  });

  it('makes gateways report as the source, with the gateway as source workload', () => {
    const { filters } = expectCase('telemetry-stats-gateway');
    assert.ok(filters.length > 0);
    assert.deepEqual(
      reporterOf(filters, () => true),
      ['source'],
    );
    assert.equal((filters[0]?.config.node as Record<string, unknown>).workload, 'istio-ingressgateway');
  });
});
