// The text report of a load run: the target, the rate achieved, codes with their share, errors by reason,
// latency in milliseconds, and a line when the target rate was not reached.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderLoadReport } from '../../src/load/load-report.ts';
import type { LoadResult } from '../../src/load/run-load.ts';

const RESULT: LoadResult = {
  request: {
    url: 'http://127.0.0.1:8080/api/products',
    method: 'GET',
    connections: 50,
    qps: 1000,
    durationMs: 60_000,
  },
  requests: 59_990,
  elapsedMs: 60_012.5,
  actualQps: 999.63,
  codes: { 503: 12, 200: 59_970 },
  errors: 8,
  errorReasons: { 'connection reset': 3, timeout: 5 },
  latencyMicros: {
    count: 59_982,
    min: 1_234,
    mean: 45_100,
    max: 234_600,
    stddev: 21_340,
    percentiles: [
      { percentile: 50, value: 41_200 },
      { percentile: 75, value: 52_400 },
      { percentile: 90, value: 67_800 },
      { percentile: 95, value: 89_200 },
      { percentile: 99, value: 156_300 },
      { percentile: 99.9, value: 234_600 },
    ],
  },
  behindScheduleMs: 1_520,
};

describe('load report', () => {
  it('prints the run as Fortio users read it', () => {
    assert.equal(
      renderLoadReport(RESULT, 'text'),
      [
        'Load on http://127.0.0.1:8080/api/products: 1000 qps target, 50 connections, 60.0 s',
        'Sent 59990 requests in 60.01 s: 999.63 qps (target 1000)',
        'Code 200 : 59970 (99.97 %)',
        'Code 503 : 12 (0.02 %)',
        'Errors   : 8 (0.01 %)',
        '  5 × timeout',
        '  3 × connection reset',
        'Latency (ms): min 1.234  mean 45.100  max 234.600  stddev 21.340',
        'Percentiles (ms): p50 41.200  p75 52.400  p90 67.800  p95 89.200  p99 156.300  p99.9 234.600',
        'The target rate was not reached: sending fell 1.52 s behind schedule (more connections, or a faster target, would help).',
        '',
      ].join('\n'),
    );
  });

  it('says "max qps" for rate 0 and the count for a counted run, and leaves out latency when nothing answered', () => {
    const text = renderLoadReport(
      {
        ...RESULT,
        request: { ...RESULT.request, qps: 0, count: 100, connections: 1 },
        requests: 100,
        codes: {},
        errors: 100,
        errorReasons: { 'connection refused': 100 },
        latencyMicros: { ...RESULT.latencyMicros, count: 0 },
        behindScheduleMs: 0,
      },
      'text',
    );
    assert.match(text, /^Load on .*: max qps, 1 connection, 100 requests$/m);
    assert.match(text, /^Sent 100 requests in 60\.01 s: 999\.63 qps$/m);
    assert.doesNotMatch(text, /Latency|behind/);
  });
});
