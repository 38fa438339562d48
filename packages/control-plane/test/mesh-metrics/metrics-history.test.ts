// The rolling history: increases between scrapes (counter resets, new series, failed scrapes, proxies that
// go away), summed over proxies, within a window, and forgotten past the retention.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { counterIncrease } from '../../src/mesh-metrics/counter-increase.ts';
import { MetricsHistory } from '../../src/mesh-metrics/metrics-history.ts';
import { TrafficTotals } from '../../src/mesh-metrics/traffic-totals.ts';
import { productLabels, sample } from './fixtures.ts';

const REQUESTS = 'istio_requests_total';
const T0 = 1_700_000_000_000;

function requestsPerSecond(history: MetricsHistory, now: number, windowMs: number): number {
  const window = history.window(now, windowMs);
  const totals = new TrafficTotals();
  for (const { series, value } of window.increases) totals.add(series, value);
  return totals.figures(window.seconds).requestsPerSecond;
}

describe('counterIncrease', () => {
  it('is the difference, or the whole value after a reset', () => {
    assert.equal(counterIncrease(10, 25), 15);
    assert.equal(counterIncrease(100, 7), 7);
    assert.equal(counterIncrease(undefined, 4), 4);
    assert.equal(counterIncrease(5, Number.NaN), 0);
  });
});

describe('MetricsHistory', () => {
  it('turns counters into rates from the second scrape on', () => {
    const history = new MetricsHistory({ retentionMs: 900_000 });
    history.record(T0, [{ target: 'a', samples: [sample(REQUESTS, productLabels('v1'), 100)] }]);
    assert.equal(requestsPerSecond(history, T0, 60_000), 0);
    history.record(T0 + 5_000, [{ target: 'a', samples: [sample(REQUESTS, productLabels('v1'), 150)] }]);
    history.record(T0 + 10_000, [{ target: 'a', samples: [sample(REQUESTS, productLabels('v1'), 200)] }]);
    assert.equal(requestsPerSecond(history, T0 + 10_000, 60_000), 10);
    assert.equal(history.window(T0 + 10_000, 60_000).seconds, 10);
  });

  it('counts a restarted proxy from zero instead of a negative increase', () => {
    const history = new MetricsHistory({ retentionMs: 900_000 });
    history.record(T0, [{ target: 'a', samples: [sample(REQUESTS, productLabels('v1'), 1000)] }]);
    history.record(T0 + 5_000, [{ target: 'a', samples: [sample(REQUESTS, productLabels('v1'), 1050)] }]);
    history.record(T0 + 10_000, [{ target: 'a', samples: [sample(REQUESTS, productLabels('v1'), 30)] }]);
    const { increases } = history.window(T0 + 10_000, 60_000);
    assert.deepEqual(
      increases.map((i) => i.value),
      [80],
    );
  });

  it('counts a series that appeared since the last scrape from zero', () => {
    const history = new MetricsHistory({ retentionMs: 900_000 });
    history.record(T0, [{ target: 'a', samples: [] }]);
    history.record(T0 + 5_000, [{ target: 'a', samples: [sample(REQUESTS, productLabels('v1'), 25)] }]);
    assert.equal(requestsPerSecond(history, T0 + 5_000, 60_000), 5);
  });

  it('sums the same series from several proxies, and counts a failed scrape in the next success', () => {
    const history = new MetricsHistory({ retentionMs: 900_000 });
    const at = (value: number) => [sample(REQUESTS, productLabels('v1'), value)];
    history.record(T0, [
      { target: 'a', samples: at(0) },
      { target: 'b', samples: at(0) },
    ]);
    history.record(T0 + 5_000, [{ target: 'a', samples: at(10) }, { target: 'b' }]);
    history.record(T0 + 10_000, [
      { target: 'a', samples: at(20) },
      { target: 'b', samples: at(30) },
    ]);
    const rounds = history.rounds(T0, T0 + 10_000);
    assert.deepEqual(
      rounds.map((r) => [...r.increases.values()].map((i) => i.value)),
      [[10], [40]],
    );
  });

  it('keeps the increases of a proxy that went away, and starts over when it comes back', () => {
    const history = new MetricsHistory({ retentionMs: 900_000 });
    history.record(T0, [{ target: 'a', samples: [sample(REQUESTS, productLabels('v1'), 0)] }]);
    history.record(T0 + 5_000, [{ target: 'a', samples: [sample(REQUESTS, productLabels('v1'), 50)] }]);
    history.record(T0 + 10_000, []);
    // Back, its counters much higher: the first scrape only sets where they stand.
    history.record(T0 + 15_000, [{ target: 'a', samples: [sample(REQUESTS, productLabels('v1'), 5000)] }]);
    const { increases, seconds } = history.window(T0 + 15_000, 60_000);
    assert.deepEqual(
      increases.map((i) => i.value),
      [50],
    );
    assert.equal(seconds, 15);
  });

  it('looks back only over the window, and forgets rounds past the retention', () => {
    const history = new MetricsHistory({ retentionMs: 20_000 });
    const labels = productLabels('v1');
    for (let i = 0; i <= 10; i++)
      history.record(T0 + i * 5_000, [{ target: 'a', samples: [sample(REQUESTS, labels, i * i * 10)] }]);
    // From 40 s to 50 s the counter went from 640 to 1000.
    assert.equal(requestsPerSecond(history, T0 + 50_000, 10_000), 36);
    assert.equal(history.rounds(0, T0 + 50_000).length, 4);
  });

  it('drops the labels it does not group by, adding up the series that differ only there', () => {
    const history = new MetricsHistory({ retentionMs: 900_000 });
    const a = productLabels('v1', { source_principal: 'spiffe://x/ns/shop/sa/a' });
    const b = productLabels('v1', { source_principal: 'spiffe://x/ns/shop/sa/b' });
    history.record(T0, [{ target: 'a', samples: [sample(REQUESTS, a, 0), sample(REQUESTS, b, 0)] }]);
    history.record(T0 + 1_000, [{ target: 'a', samples: [sample(REQUESTS, a, 3), sample(REQUESTS, b, 4)] }]);
    const { increases } = history.window(T0 + 1_000, 60_000);
    assert.equal(increases.length, 1);
    assert.equal(increases[0]?.value, 7);
  });
});
