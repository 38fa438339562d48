// The recording hot path: one series per label set however the attributes were built, the peer metadata
// exchange's decoding (bounded, malformed peers are unknown), and the guard against unbounded cardinality.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StatsStore } from '../../../src/stats/stats-store.ts';
import { GrpcMessageCounter } from '../../../src/telemetry/metrics/grpc-message-counter.ts';
import { HTTP_LABELS, HTTP_METRICS } from '../../../src/telemetry/metrics/istio-metrics.ts';
import {
  destinationServiceFromCluster,
  UNKNOWN_PEER,
  type MetricAttributes,
} from '../../../src/telemetry/metrics/metric-attributes.ts';
import {
  createSample,
  METRIC_INDEX,
  MetricRecorder,
} from '../../../src/telemetry/metrics/metric-recorder.ts';
import { decodePeerMetadata, encodePeerMetadata } from '../../../src/telemetry/metrics/peer-metadata.ts';
import { compileStatsConfig } from '../../../src/telemetry/metrics/stats-config.ts';

const PEER = {
  workload: 'reviews-v1',
  namespace: 'default',
  app: 'reviews',
  version: 'v1',
  canonicalService: 'reviews',
  canonicalRevision: 'v1',
  cluster: 'Kubernetes',
};

function attributes(overrides: Partial<MetricAttributes> = {}): MetricAttributes {
  const peer = decodePeerMetadata(encodePeerMetadata(PEER));
  return {
    reporter: 'source',
    source: UNKNOWN_PEER,
    destination: peer ?? UNKNOWN_PEER,
    peer,
    sourcePrincipal: 'unknown',
    destinationPrincipal: 'unknown',
    destinationService:
      destinationServiceFromCluster('outbound|9080||reviews.default.svc.cluster.local', 'default') ??
      assert.fail('no service'),
    requestProtocol: 'http',
    responseCode: '200',
    grpcStatus: '',
    responseFlags: '-',
    securityPolicy: 'unknown',
    ...overrides,
  };
}

function recorder(store: StatsStore, metrics: Record<string, unknown> = {}): MetricRecorder {
  const config = compileStatsConfig({ reporter: 'source', node: { workload: 'client' }, metrics } as never);
  if ('error' in config) throw new Error(config.error);
  return new MetricRecorder(store, config, HTTP_METRICS, HTTP_LABELS);
}

const requests = (store: StatsStore) =>
  store.snapshot().counters.filter((entry) => entry.name === 'istiocustom.istio_requests_total');

describe('MetricRecorder', () => {
  it('keeps one series per label set, with attributes rebuilt for every request', () => {
    const store = new StatsStore();
    const metrics = recorder(store);
    const sample = createSample();
    sample[METRIC_INDEX.REQUEST_COUNT] = 1;
    sample[METRIC_INDEX.REQUEST_DURATION] = 12;
    for (let i = 0; i < 10; i++) metrics.record(attributes(), sample);
    metrics.record(attributes({ responseCode: '503', responseFlags: 'UF' }), sample);
    const series = requests(store);
    assert.equal(series.length, 2);
    assert.deepEqual(
      series.map((s) => s.stat.value).sort((a, b) => a - b),
      [1, 10],
    );
    const durations = store.snapshot().histograms.filter((h) => h.name.endsWith('duration_milliseconds'));
    assert.equal(durations.length, 2);
    assert.equal(durations.find((h) => h.stat.count === 10)?.stat.sum, 120);
  });

  it('folds label sets beyond the cardinality guard into one overflow series', () => {
    const store = new StatsStore();
    const metrics = recorder(store, {
      REQUEST_COUNT: { tagOverrides: { tenant: { value: "request.headers['x-tenant']" } } },
    });
    const sample = createSample();
    sample[METRIC_INDEX.REQUEST_COUNT] = 1;
    for (let i = 0; i < 20_010; i++)
      metrics.record(attributes({ requestHeaders: { 'x-tenant': `t${i}` } }), sample);
    const series = requests(store);
    assert.equal(series.length, 20_001);
    const overflow = series.find((s) =>
      s.tags.some(([tag, value]) => tag === 'tenant' && value === 'overflow'),
    );
    assert.equal(overflow?.stat.value, 10);
  });
});

describe('peer metadata', () => {
  it('reads a malformed or oversized peer as unknown, and missing fields as unknown', () => {
    assert.equal(decodePeerMetadata('not base64 json'), undefined);
    assert.equal(decodePeerMetadata(Buffer.from('[1,2]').toString('base64')), undefined);
    assert.equal(decodePeerMetadata('A'.repeat(5000)), undefined);
    const partial = decodePeerMetadata(
      Buffer.from(JSON.stringify({ workload: 'w', app: 7 })).toString('base64'),
    );
    assert.equal(partial?.workload, 'w');
    assert.equal(partial?.app, 'unknown');
    assert.equal(partial?.namespace, 'unknown');
  });
});

describe('GrpcMessageCounter', () => {
  it('counts length-prefixed messages split anywhere across chunks', () => {
    const frames = Buffer.concat(
      [0, 1, 300, 70_000].map((size) => {
        const frame = Buffer.alloc(5 + size);
        frame.writeUInt32BE(size, 1);
        return frame;
      }),
    );
    for (const step of [1, 3, 7, 4096, frames.length]) {
      const counter = new GrpcMessageCounter();
      for (let i = 0; i < frames.length; i += step) counter.push(frames.subarray(i, i + step));
      assert.equal(counter.count, 4, `chunks of ${step}`);
    }
  });
});
