// Per-step series of one service or workload: a point per round, null where nothing was asked, the same
// requests its graph node counts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTrafficSeries } from '../../src/dashboard/build-traffic-series.ts';
import { MetricsHistory } from '../../src/mesh-metrics/metrics-history.ts';
import { durationSamples, productLabels, sample } from '../mesh-metrics/fixtures.ts';

const T0 = 1_700_000_000_000;
const REQUESTS = 'istio_requests_total';

describe('buildTrafficSeries', () => {
  const history = new MetricsHistory({ retentionMs: 900_000 });
  const round = (seconds: number, ok: number, failed: number, fast: number) =>
    history.record(T0 + seconds * 1000, [
      {
        target: 'a',
        samples: [
          sample(REQUESTS, productLabels('v1'), ok),
          sample(REQUESTS, productLabels('v1', { response_code: '500' }), failed),
          ...durationSamples(productLabels('v1'), { '10': fast, '100': ok + failed - fast, '+Inf': 0 }),
        ],
      },
    ]);
  round(0, 0, 0, 0);
  round(5, 40, 10, 50);
  round(10, 40, 10, 50);
  round(15, 90, 10, 50);
  const rounds = history.rounds(T0 - 1, T0 + 15_000);

  it('gives rates, error shares and quantiles per step, null gaps where nothing was asked', () => {
    const series = buildTrafficSeries({ namespace: 'shop', service: 'product' }, rounds, 5);
    assert.equal(series.service, 'product.shop.svc.cluster.local');
    assert.equal(series.stepSeconds, 5);
    assert.deepEqual(series.timestamps, [T0 / 1000 + 5, T0 / 1000 + 10, T0 / 1000 + 15]);
    assert.deepEqual(series.requestsPerSecond, [10, 0, 10]);
    assert.deepEqual(series.errorRate, [0.2, null, 0]);
    assert.deepEqual(series.p50Ms, [5, null, 55]);
    assert.deepEqual(series.p99Ms, [9.9, null, 99.1]);
  });

  it('reads a workload the same way, and nothing for another one', () => {
    const workload = buildTrafficSeries({ namespace: 'shop', workload: 'product-v1' }, rounds, 5);
    assert.equal(workload.workload, 'product-v1');
    assert.deepEqual(workload.requestsPerSecond, [10, 0, 10]);
    const other = buildTrafficSeries({ namespace: 'shop', workload: 'product-v2' }, rounds, 5);
    assert.deepEqual(other.requestsPerSecond, [0, 0, 0]);
    assert.deepEqual(other.p99Ms, [null, null, null]);
  });
});
