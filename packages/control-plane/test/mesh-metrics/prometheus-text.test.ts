// Reading Prometheus text: the wanted families' samples with their labels, escapes and special values.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePrometheusSamples, parseSampleLine } from '../../src/mesh-metrics/prometheus-text.ts';

describe('parsePrometheusSamples', () => {
  it('reads the samples of wanted families and skips comments and other families', () => {
    const text = [
      '# HELP istio_requests_total Requests.',
      '# TYPE istio_requests_total counter',
      'istio_requests_total{reporter="destination",response_code="200"} 42',
      'envoy_cluster_upstream_rq_total{cluster_name="x"} 7',
      '',
      'istio_requests_total{reporter="source",response_code="503"} 3 1700000000000',
    ].join('\n');
    const samples = parsePrometheusSamples(text, (name) => name.startsWith('istio_'));
    assert.deepEqual(
      samples.map((s) => [s.name, s.labels, s.value]),
      [
        ['istio_requests_total', { reporter: 'destination', response_code: '200' }, 42],
        ['istio_requests_total', { reporter: 'source', response_code: '503' }, 3],
      ],
    );
    assert.equal(samples[0]?.series, 'istio_requests_total{reporter="destination",response_code="200"}');
  });

  it('unescapes label values and reads commas, braces and spaces inside them', () => {
    const sample = parseSampleLine('m{a="x\\"y",b="c\\\\d",c="line\\nnext",d="p, q} r",} 1.5e3');
    assert.deepEqual(sample?.labels, { a: 'x"y', b: 'c\\d', c: 'line\nnext', d: 'p, q} r' });
    assert.equal(sample?.value, 1500);
  });

  it('reads samples without labels, +Inf and CRLF line ends', () => {
    const samples = parsePrometheusSamples('a 1\r\nb{le="+Inf"} +Inf\r\n', () => true);
    assert.deepEqual(
      samples.map((s) => [s.name, s.value]),
      [
        ['a', 1],
        ['b', Infinity],
      ],
    );
  });

  it('skips malformed lines instead of failing the whole exposition', () => {
    const text = ['m{a="1"', 'm{a=1} 2', 'm{a="1"} notanumber', 'm{1a="x"} 3', 'm{a="ok"} 4'].join('\n');
    assert.deepEqual(
      parsePrometheusSamples(text, () => true).map((s) => s.value),
      [4],
    );
  });
});
