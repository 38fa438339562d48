// Which metrics URLs the control plane agrees to scrape: plain http to loopback or the proxy's own address.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { metricsTargetOf } from '../../src/mesh-metrics/metrics-target.ts';

const node = (url: string | undefined, ips: string[] = ['10.1.2.3']) => ({
  metadata: (url === undefined ? {} : { HEDDLE_METRICS_URL: url }) as Record<string, string>,
  ipAddresses: ips,
});

describe('metricsTargetOf', () => {
  it('accepts http URLs on loopback and on the proxy own INSTANCE_IPS', () => {
    for (const url of [
      'http://127.0.0.1:15000/stats/prometheus',
      'http://127.3.4.5:9/metrics',
      'http://localhost:15090/stats/prometheus',
      'http://[::1]:15000/stats/prometheus',
      'http://10.1.2.3:15020/stats/prometheus',
    ])
      assert.equal(metricsTargetOf(node(url))?.url, new URL(url).href, url);
  });

  it('refuses other hosts, other schemes, credentials and non-URLs, saying why', () => {
    const cases: [string, RegExp][] = [
      ['http://10.9.9.9:15000/stats/prometheus', /neither loopback nor one of the proxy's INSTANCE_IPS/],
      ['http://169.254.169.254/latest/meta-data', /neither loopback/],
      ['http://example.com/stats', /neither loopback/],
      ['https://127.0.0.1:15000/stats/prometheus', /must be an http:\/\/ URL/],
      ['file:///etc/passwd', /must be an http:\/\/ URL/],
      ['http://user:secret@127.0.0.1:15000/', /must not carry credentials/],
      ['127.0.0.1:15000', /must be an http:\/\/ URL|not a URL/],
      ['not a url', /not a URL/],
    ];
    for (const [url, problem] of cases) {
      const target = metricsTargetOf(node(url));
      assert.equal(target?.url, undefined, url);
      assert.match(target?.problem ?? '', problem, url);
    }
  });

  it('is undefined for a proxy that announces nothing', () => {
    assert.equal(metricsTargetOf(node(undefined)), undefined);
    assert.equal(metricsTargetOf(node('  ')), undefined);
  });
});
