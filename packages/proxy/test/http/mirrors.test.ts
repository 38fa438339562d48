// Request mirroring: a copy (body included) goes to the shadow cluster with `-shadow` appended to the host,
// per runtime_fraction; the shadow's answer and failures never reach the client.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { request } from 'undici';
import { hcmConfig, routeConfig, startProxy, type ProxyHarness } from './helpers/harness.ts';
import { TestClusters } from './helpers/test-clusters.ts';
import { startHttp1Upstream, type Upstream } from './helpers/upstreams.ts';

async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
}

describe('request mirroring', { timeout: 20_000 }, () => {
  let primary: Upstream;
  let shadow: Upstream;
  let clusters: TestClusters;
  let proxy: ProxyHarness;
  let randomValue = 0;

  before(async () => {
    primary = await startHttp1Upstream('primary');
    shadow = await startHttp1Upstream('shadow');
    shadow.handler = (_req, res) => {
      res.writeHead(500);
      res.end('shadow failure');
    };
    clusters = new TestClusters();
    clusters.add('primary', { ports: [primary.port] });
    clusters.add('shadow', { ports: [shadow.port] });
    proxy = await startProxy(
      hcmConfig(
        routeConfig([
          {
            name: 'mirrored',
            match: { pathSpecifier: { case: 'prefix', value: '/' } },
            action: {
              case: 'route',
              value: {
                clusterSpecifier: { case: 'cluster', value: 'primary' },
                requestMirrorPolicies: [
                  { cluster: 'shadow', runtimeFraction: { defaultValue: { numerator: 50, denominator: 0 } } },
                ],
              },
            },
          },
        ]),
      ),
      clusters,
      { random: () => randomValue },
    );
  });

  after(async () => {
    await proxy?.close();
    await clusters?.close();
    await primary?.close();
    await shadow?.close();
  });

  it('sends a copy with the body to the shadow cluster and ignores its response', async () => {
    randomValue = 0.1;
    const res = await request(`${proxy.url}/orders`, {
      method: 'POST',
      body: 'order-1',
      headers: { host: 'shop.local:8080' },
    });
    assert.equal(res.statusCode, 200);
    await res.body.text();
    await waitFor(() => shadow.received.length === 1);
    assert.equal(shadow.received[0]?.body, 'order-1');
    assert.equal(shadow.received[0]?.headers.host, 'shop.local-shadow:8080');
    assert.equal(primary.received.at(-1)?.body, 'order-1');
  });

  it('mirrors only the configured fraction', async () => {
    randomValue = 0.9;
    const res = await request(`${proxy.url}/orders`);
    await res.body.text();
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(shadow.received.length, 1);
  });

  it('serves the client even when the shadow cluster cannot be reached', async () => {
    await shadow.close();
    randomValue = 0.1;
    const res = await request(`${proxy.url}/after-shadow-down`);
    assert.equal(res.statusCode, 200);
    await res.body.text();
  });
});
