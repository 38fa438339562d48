import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TrafficSeries } from '@heddle/api';
import { latestValue, seriesToCharts } from '../../../src/app/lib/series-data.ts';

const SERIES: TrafficSeries = {
  namespace: 'shop',
  workload: 'product-v1',
  stepSeconds: 5,
  timestamps: [100, 105, 110],
  requestsPerSecond: [0, 4, 6],
  errorRate: [null, 0.25, 0],
  p50Ms: [null, 3, 4],
  p99Ms: [null, 30, 40],
};

describe('series to uPlot columns', () => {
  it('puts timestamps first and one column per line, error rate in percent', () => {
    const charts = seriesToCharts(SERIES);
    assert.deepEqual(charts.requests, [
      [100, 105, 110],
      [0, 4, 6],
    ]);
    assert.deepEqual(charts.errors, [
      [100, 105, 110],
      [null, 25, 0],
    ]);
    assert.deepEqual(charts.latency, [
      [100, 105, 110],
      [null, 3, 4],
      [null, 30, 40],
    ]);
    assert.equal(charts.hasTraffic, true);
  });

  it('pads short columns with gaps so every column matches the timestamps', () => {
    const charts = seriesToCharts({ ...SERIES, p99Ms: [null, 30] });
    assert.deepEqual(charts.latency[2], [null, 30, null]);
  });

  it('says when no step saw a request', () => {
    const charts = seriesToCharts({ ...SERIES, requestsPerSecond: [0, 0, 0] });
    assert.equal(charts.hasTraffic, false);
  });

  it('finds the newest value that is not a gap', () => {
    assert.equal(latestValue([1, 2, null]), 2);
    assert.equal(latestValue([null, null]), undefined);
  });
});
