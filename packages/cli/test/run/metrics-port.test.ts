// `heddle run --metrics-port N[:path]` and the merged-metrics section of the sidecar bootstrap, as the proxy
// parses it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseBootstrap } from '@heddle/proxy';
import { parseMetricsPort } from '../../src/run/parse-metrics-port.ts';
import { sidecarBootstrap } from '../../src/run/sidecar-bootstrap.ts';
import { UsageError } from '../../src/usage-error.ts';

const INPUT = {
  name: 'orders',
  namespace: 'shop',
  serviceAccount: 'orders',
  labels: { app: 'orders' },
  address: '127.0.0.1',
  xdsAddress: '127.0.0.1:15010',
  outboundPort: 41000,
  appPorts: new Map([[42000, 43000]]),
  adminPort: 44000,
  healthPort: 45000,
};

describe('heddle run --metrics-port', () => {
  it('reads N[:path], the path defaulting to /metrics', () => {
    assert.deepEqual(parseMetricsPort('9090'), { port: 9090, path: '/metrics' });
    assert.deepEqual(parseMetricsPort('9090:/stats/app'), { port: 9090, path: '/stats/app' });
    for (const bad of ['', '0', '70000', '9090:', '9090:metrics', 'x:/metrics', '9090:/a b'])
      assert.throws(() => parseMetricsPort(bad), UsageError, bad);
  });

  it('puts the merge port and the app metrics in the bootstrap the proxy accepts', () => {
    const merged = parseBootstrap(
      sidecarBootstrap({ ...INPUT, metricsMergePort: 46000, appMetrics: { port: 9090, path: '/m' } }),
    );
    assert.deepEqual(merged.metricsMerge, {
      address: '127.0.0.1',
      port: 46000,
      appMetrics: { port: 9090, path: '/m' },
    });
    const proxyOnly = parseBootstrap(sidecarBootstrap({ ...INPUT, metricsMergePort: 46000 }));
    assert.deepEqual(proxyOnly.metricsMerge, { address: '127.0.0.1', port: 46000 });
    assert.equal(parseBootstrap(sidecarBootstrap(INPUT)).metricsMerge, undefined);
  });
});
