// The stats store: stats resolved once per name and tags, rendered as Envoy's /stats text and JSON.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { registerServerStats } from '../../src/stats/server-stats.ts';
import { StatsStore } from '../../src/stats/stats-store.ts';
import { renderStatsJson, renderStatsText } from '../../src/stats/text-format.ts';

describe('stats store', () => {
  it('returns the same stat for the same name and tags, whatever the tag order', () => {
    const store = new StatsStore();
    const a = store.counter('cluster.x.upstream_rq_total');
    a.inc();
    a.inc(2);
    assert.equal(store.counter('cluster.x.upstream_rq_total'), a);
    assert.equal(a.value, 3);
    const tagged = store.counter('istiocustom.istio_requests_total', {
      response_code: '200',
      reporter: 'destination',
    });
    assert.equal(
      store.counter('istiocustom.istio_requests_total', { reporter: 'destination', response_code: '200' }),
      tagged,
    );
    assert.notEqual(store.counter('istiocustom.istio_requests_total', { reporter: 'source' }), tagged);
  });

  it('renders /stats text sorted by name, histograms last, with filter and usedonly', () => {
    const store = new StatsStore();
    store.counter('cluster.b.upstream_rq_total').inc(5);
    store.counter('cluster.a.upstream_rq_total');
    store.gauge('cluster.a.upstream_cx_active').set(2);
    store.counter('istiocustom.istio_requests_total', { reporter: 'destination' }).inc();
    const histogram = store.histogram('cluster.a.upstream_rq_time');
    for (const value of [1, 2, 3, 40]) histogram.record(value);
    store.histogram('cluster.a.upstream_cx_connect_ms');
    assert.equal(
      renderStatsText(store.snapshot()),
      [
        'cluster.a.upstream_cx_active: 2',
        'cluster.a.upstream_rq_total: 0',
        'cluster.b.upstream_rq_total: 5',
        'istiocustom.istio_requests_total{reporter="destination"}: 1',
        'cluster.a.upstream_cx_connect_ms: No recorded values',
        'cluster.a.upstream_rq_time: P0(0.5) P25(1) P50(3) P75(5) P90(40) P95(45) P99(49) P99.5(49.5) P99.9(49.9) P100(50)',
        '',
      ].join('\n'),
    );
    assert.equal(
      renderStatsText(store.snapshot(), { usedOnly: true, filter: /^cluster\.a\./ }),
      'cluster.a.upstream_cx_active: 2\ncluster.a.upstream_rq_time: P0(0.5) P25(1) P50(3) P75(5) P90(40) P95(45) P99(49) P99.5(49.5) P99.9(49.9) P100(50)\n',
    );
    const json = renderStatsJson(store.snapshot(), { filter: /upstream_rq_total/ }) as { stats: unknown[] };
    assert.deepEqual(json.stats, [
      { name: 'cluster.a.upstream_rq_total', value: 0 },
      { name: 'cluster.b.upstream_rq_total', value: 5 },
    ]);
  });

  it('keeps server.* stats current whenever stats are read', () => {
    const store = new StatsStore();
    let state: 'LIVE' | 'DRAINING' | 'PRE_INITIALIZING' | 'INITIALIZING' = 'PRE_INITIALIZING';
    let now = 1_000_000;
    registerServerStats(store, {
      startedAt: 1_000_000,
      concurrency: 2,
      state: () => state,
      now: () => now,
      memory: () => ({ heapUsed: 1024, heapTotal: 4096 }),
    });
    const read = (): Record<string, number> =>
      Object.fromEntries(store.snapshot().gauges.map((entry) => [entry.name, entry.stat.value]));
    assert.deepEqual(read(), {
      'server.concurrency': 2,
      'server.live': 0,
      'server.memory_allocated': 1024,
      'server.memory_heap_size': 4096,
      'server.state': 2,
      'server.uptime': 0,
    });
    state = 'LIVE';
    now += 61_500;
    assert.equal(read()['server.live'], 1);
    assert.equal(read()['server.state'], 0);
    assert.equal(read()['server.uptime'], 61);
  });
});
