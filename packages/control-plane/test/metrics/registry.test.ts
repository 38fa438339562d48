// The hand-written Prometheus registry renders text format 0.0.4 exactly.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MetricsRegistry } from '../../src/index.ts';

describe('MetricsRegistry', () => {
  it('renders counters, gauges and histograms with escaped labels', () => {
    const registry = new MetricsRegistry();
    const pushes = registry.counter('pilot_xds_pushes', 'Pushes.', ['type']);
    pushes.inc({ type: 'cds' });
    pushes.inc({ type: 'cds' }, 2);
    pushes.inc({ type: 'e"d\\s\n' });
    registry.gauge('pilot_services', 'Services\nknown.').set({}, 7);
    const latency = registry.histogram('pilot_proxy_convergence_time', 'Convergence.', [0.1, 1]);
    latency.observe({}, 0.05);
    latency.observe({}, 0.5);
    latency.observe({}, 5);
    assert.equal(
      registry.expose(),
      [
        '# HELP pilot_xds_pushes Pushes.',
        '# TYPE pilot_xds_pushes counter',
        'pilot_xds_pushes{type="cds"} 3',
        'pilot_xds_pushes{type="e\\"d\\\\s\\n"} 1',
        '# HELP pilot_services Services\\nknown.',
        '# TYPE pilot_services gauge',
        'pilot_services 7',
        '# HELP pilot_proxy_convergence_time Convergence.',
        '# TYPE pilot_proxy_convergence_time histogram',
        'pilot_proxy_convergence_time_bucket{le="0.1"} 1',
        'pilot_proxy_convergence_time_bucket{le="1"} 2',
        'pilot_proxy_convergence_time_bucket{le="+Inf"} 3',
        'pilot_proxy_convergence_time_sum 5.55',
        'pilot_proxy_convergence_time_count 3',
        '',
      ].join('\n'),
    );
  });

  it('refuses unknown labels, duplicate names and decreasing counters', () => {
    const registry = new MetricsRegistry();
    const counter = registry.counter('c', 'C.', ['type']);
    assert.throws(() => counter.inc({ typ: 'x' }), /no label "typ"/);
    assert.throws(() => counter.inc({}, -1), /cannot decrease/);
    assert.throws(() => registry.gauge('c', 'again'), /registered twice/);
    assert.throws(() => registry.histogram('h', 'H.', [1], ['le']), /reserved label/);
    assert.throws(() => registry.gauge('bad-name', 'x'), /invalid metric name/);
  });
});
