// Debug endpoints: syncz per proxy, config_dump of what a proxy was sent, registryz, configz, ready.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CLUSTER_TYPE_URL, LISTENER_TYPE_URL } from '@heddle/xds';
import type { ControlPlane, ProxyStatus } from '../../src/index.ts';
import { SotwClient, sidecarXdsNode } from '../support/ads-client.ts';
import {
  applyYamlText,
  getJson,
  serviceEntryYaml,
  startTestControlPlane,
} from '../support/test-control-plane.ts';

interface Dump {
  configs: ({ '@type': string } & Record<string, unknown>)[];
}

describe('debug API', { timeout: 20_000 }, () => {
  let cp: ControlPlane;
  let client: SotwClient;
  const node = sidecarXdsNode('checkout', 'shop', '10.1.2.3');

  before(async () => {
    cp = await startTestControlPlane();
    await applyYamlText(cp, serviceEntryYaml('payments', 'shop'));
    await cp.idle();
    client = new SotwClient(cp.xdsPort);
    client.send({ node, typeUrl: CLUSTER_TYPE_URL });
    const cds = await client.next();
    client.send({ typeUrl: CLUSTER_TYPE_URL, versionInfo: cds.versionInfo, responseNonce: cds.nonce });
    client.send({ typeUrl: LISTENER_TYPE_URL });
    await client.next();
  });
  after(async () => {
    client.close();
    await cp.close();
  });

  it('lists each connected proxy with its identity and per-type status', async () => {
    const { status, body } = await getJson<ProxyStatus[]>(cp, '/debug/syncz');
    assert.equal(status, 200);
    const proxy = body.find((p) => p.proxy === node.id);
    assert.ok(proxy);
    assert.equal(proxy.role, 'sidecar');
    assert.equal(proxy.namespace, 'shop');
    assert.equal(proxy.workload, 'checkout');
    assert.equal(proxy.version, '1.24.0');
    assert.equal(proxy.controlPlane, 'test-control-plane');
    assert.ok(!Number.isNaN(Date.parse(proxy.connectedAt)));
    assert.deepEqual(
      proxy.types.map((t) => [t.type, t.status]),
      [
        ['CDS', 'SYNCED'],
        ['EDS', 'NOT SENT'],
        ['LDS', 'STALE'],
        ['RDS', 'NOT SENT'],
        ['SDS', 'NOT SENT'],
      ],
    );
  });

  it('dumps what a proxy was sent as Envoy config_dump JSON, found by node id or workload.namespace', async () => {
    for (const id of [node.id, 'checkout.shop']) {
      const { status, body } = await getJson<Dump>(
        cp,
        `/debug/config_dump?proxyID=${encodeURIComponent(id)}`,
      );
      assert.equal(status, 200);
      const clusters = body.configs.find((c) => c['@type'].endsWith('ClustersConfigDump'));
      const active = clusters?.dynamicActiveClusters as { cluster: { '@type': string; name: string } }[];
      assert.deepEqual(
        active.map((c) => c.cluster.name),
        ['BlackHoleCluster', 'outbound|80||payments.shop.example.com'],
      );
      assert.equal(active[0]?.cluster['@type'], CLUSTER_TYPE_URL);
      const listeners = body.configs.find((c) => c['@type'].endsWith('ListenersConfigDump'));
      const dynamic = listeners?.dynamicListeners as {
        name: string;
        activeState: { listener: { name: string } };
      }[];
      assert.deepEqual(
        dynamic.map((l) => l.activeState.listener.name),
        ['virtualOutbound'],
      );
    }
  });

  it('answers 400 without proxyID and 404 for a proxy that is not connected', async () => {
    assert.equal((await getJson(cp, '/debug/config_dump')).status, 400);
    const missing = await getJson<{ code: string }>(cp, '/debug/config_dump?proxyID=nobody');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.code, 'HEDDLE_PROXY_NOT_FOUND');
  });

  it('shows the registry services and the stored config', async () => {
    const registry = await getJson<{ hostname: string }[]>(cp, '/debug/registryz');
    assert.deepEqual(
      registry.body.map((s) => s.hostname),
      ['payments.shop.example.com'],
    );
    const config = await getJson<{ revision: number; items: { kind: string }[] }>(cp, '/debug/configz');
    assert.ok(config.body.revision > 0);
    assert.deepEqual(
      config.body.items.map((i) => i.kind),
      ['ServiceEntry'],
    );
  });

  it('reports ready', async () => {
    const ready = await getJson<{ status: string }>(cp, '/ready');
    assert.equal(ready.status, 200);
    assert.equal(ready.body.status, 'ready');
  });
});
