// Weighted clusters split traffic by weight (checked over 1000 requests with a seeded random source) and
// apply their per-cluster header edits and host rewrites.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Agent, request } from 'undici';
import { hcmConfig, routeConfig, startProxy, type ProxyHarness } from './helpers/harness.ts';
import { TestClusters } from './helpers/test-clusters.ts';
import { startHttp1Upstream, type Upstream } from './helpers/upstreams.ts';

/** mulberry32: a small seeded PRNG so the split is reproducible. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('weighted clusters', { timeout: 30_000 }, () => {
  let upstreams: Upstream[];
  let clusters: TestClusters;
  let proxy: ProxyHarness;
  let agent: Agent;

  before(async () => {
    upstreams = await Promise.all(['v1', 'v2', 'v3'].map((n) => startHttp1Upstream(n)));
    clusters = new TestClusters();
    for (const u of upstreams) clusters.add(u.name, { ports: [u.port] });
    agent = new Agent({ connections: 8 });
    proxy = await startProxy(
      hcmConfig(
        routeConfig([
          {
            name: 'split',
            match: { pathSpecifier: { case: 'prefix', value: '/' } },
            action: {
              case: 'route',
              value: {
                clusterSpecifier: {
                  case: 'weightedClusters',
                  value: {
                    clusters: [
                      {
                        name: 'v1',
                        weight: 70,
                        requestHeadersToAdd: [{ header: { key: 'x-subset', value: 'v1' } }],
                      },
                      {
                        name: 'v2',
                        weight: 20,
                        hostRewriteSpecifier: { case: 'hostRewriteLiteral', value: 'v2.internal' },
                      },
                      {
                        name: 'v3',
                        weight: 10,
                        responseHeadersToAdd: [{ header: { key: 'x-canary', value: 'yes' } }],
                      },
                    ],
                  },
                },
              },
            },
          },
        ]),
      ),
      clusters,
      { random: seeded(42) },
    );
  });

  after(async () => {
    await agent?.close();
    await proxy?.close();
    await clusters?.close();
    await Promise.all(upstreams.map((u) => u.close()));
  });

  it('splits 1000 requests within a few percent of the weights', async () => {
    const counts: Record<string, number> = { v1: 0, v2: 0, v3: 0 };
    for (let batch = 0; batch < 50; batch++) {
      await Promise.all(
        Array.from({ length: 20 }, async () => {
          const res = await request(`${proxy.url}/`, { dispatcher: agent });
          await res.body.text();
          const name = upstreams.find((u) => String(u.port) === res.headers['x-upstream'])?.name ?? '?';
          counts[name] = (counts[name] ?? 0) + 1;
        }),
      );
    }
    assert.ok(Math.abs((counts['v1'] ?? 0) - 700) < 50, JSON.stringify(counts));
    assert.ok(Math.abs((counts['v2'] ?? 0) - 200) < 40, JSON.stringify(counts));
    assert.ok(Math.abs((counts['v3'] ?? 0) - 100) < 30, JSON.stringify(counts));
  });

  it('applies per-cluster header edits and host rewrites', () => {
    const v1 = upstreams[0]?.received[0];
    const v2 = upstreams[1]?.received[0];
    assert.equal(v1?.headers['x-subset'], 'v1');
    assert.equal(v2?.headers['x-subset'], undefined);
    assert.equal(v2?.headers.host, 'v2.internal');
  });

  it('adds per-cluster response headers', async () => {
    let seen = false;
    for (let i = 0; i < 100 && !seen; i++) {
      const res = await request(`${proxy.url}/`, { dispatcher: agent });
      await res.body.text();
      if (res.headers['x-upstream'] === String(upstreams[2]?.port)) {
        assert.equal(res.headers['x-canary'], 'yes');
        seen = true;
      } else assert.equal(res.headers['x-canary'], undefined);
    }
    assert.ok(seen);
  });
});
