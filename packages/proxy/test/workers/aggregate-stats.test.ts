// The scrape-time merge of the main process's stats with its workers': counters and gauges sum, histograms
// add bucket by bucket, per-worker listener connection stats appear under Envoy's `worker_<id>` names, and
// `concurrency` 0 means one worker per CPU.
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { describe, it } from 'node:test';
import { renderPrometheus } from '../../src/stats/prometheus-format.ts';
import { StatsStore } from '../../src/stats/stats-store.ts';
import { aggregateStats } from '../../src/workers/aggregate-stats.ts';
import { resolveConcurrency } from '../../src/workers/resolve-concurrency.ts';
import { statsToWire } from '../../src/workers/stats-wire.ts';
import { parseBootstrap } from '../../src/xds/bootstrap.ts';

function worker(requests: number, latencies: number[], active: number): StatsStore {
  const store = new StatsStore();
  store.counter('http.inbound_0.0.0.0_80.downstream_rq_total').inc(requests);
  store.counter('listener.127.0.0.1_8080.downstream_cx_total').inc(requests);
  store.gauge('listener.127.0.0.1_8080.downstream_cx_active').set(active);
  store.counter('istiocustom.istio_requests_total', { response_code: '200' }).inc(requests);
  const histogram = store.histogram('istiocustom.istio_request_duration_milliseconds', {
    response_code: '200',
  });
  for (const latency of latencies) histogram.record(latency);
  return store;
}

describe('worker stats aggregation', () => {
  const main = new StatsStore();
  main.counter('control_plane.connected_state_changes').inc(1);
  main.gauge('server.concurrency').set(2);
  const merged = aggregateStats(main.snapshot(), [
    { workerId: 0, stats: statsToWire(worker(3, [0.7, 20, 20], 1).snapshot()) },
    { workerId: 1, stats: statsToWire(worker(5, [3, 3000], 2).snapshot()) },
  ]);
  const snapshot = merged.snapshot();
  const counter = (name: string): number | undefined =>
    snapshot.counters.find((entry) => entry.name === name)?.stat.value;

  it('sums counters and gauges over the processes', () => {
    assert.equal(counter('http.inbound_0.0.0.0_80.downstream_rq_total'), 8);
    assert.equal(counter('control_plane.connected_state_changes'), 1);
    assert.equal(
      snapshot.gauges.find((entry) => entry.name === 'listener.127.0.0.1_8080.downstream_cx_active')?.stat
        .value,
      3,
    );
    assert.equal(snapshot.gauges.find((entry) => entry.name === 'server.concurrency')?.stat.value, 2);
  });

  it('adds histograms bucket by bucket', () => {
    const entry = snapshot.histograms.find(
      (candidate) => candidate.name === 'istiocustom.istio_request_duration_milliseconds',
    );
    assert.ok(entry);
    assert.equal(entry.stat.count, 5);
    assert.equal(entry.stat.sum, 0.7 + 20 + 20 + 3 + 3000);
    const text = renderPrometheus(snapshot);
    assert.match(text, /^istio_request_duration_milliseconds_bucket\{response_code="200",le="1"\} 1$/m);
    assert.match(text, /^istio_request_duration_milliseconds_bucket\{response_code="200",le="25"\} 4$/m);
    assert.match(text, /^istio_request_duration_milliseconds_bucket\{response_code="200",le="\+Inf"\} 5$/m);
    assert.match(text, /^istio_requests_total\{response_code="200"\} 8$/m);
  });

  it('keeps per-worker listener connection stats under worker_<id>', () => {
    assert.equal(counter('listener.127.0.0.1_8080.worker_0.downstream_cx_total'), 3);
    assert.equal(counter('listener.127.0.0.1_8080.worker_1.downstream_cx_total'), 5);
    const text = renderPrometheus(snapshot);
    assert.match(
      text,
      /^envoy_listener_downstream_cx_total\{envoy_listener_address="127\.0\.0\.1_8080",envoy_worker_id="1"\} 5$/m,
    );
  });

  it('reads concurrency 0 as one worker per CPU', () => {
    const bootstrap = parseBootstrap({
      node: { id: 'sidecar~127.0.0.1~a.default~default.svc.cluster.local' },
      controlPlane: { addresses: ['127.0.0.1:15010'] },
      concurrency: 0,
    });
    assert.equal(bootstrap.concurrency, 0);
    assert.equal(resolveConcurrency(bootstrap.concurrency), availableParallelism());
    assert.equal(resolveConcurrency(3), 3);
    assert.throws(() =>
      parseBootstrap({
        node: { id: 'sidecar~127.0.0.1~a.default~default.svc.cluster.local' },
        controlPlane: { addresses: ['127.0.0.1:15010'] },
        concurrency: -1,
      }),
    );
  });
});
