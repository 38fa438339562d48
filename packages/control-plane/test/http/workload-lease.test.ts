// The registration lease over the HTTP API: POST grants a lease, PUT …/heartbeat renews it, and a workload
// that stops heartbeating is removed and pushed out of its clients' endpoints; its id then answers 404.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { translateProxy } from '@heddle/translate';
import { CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, ClusterLoadAssignmentSchema, unpackAnyAs } from '@heddle/xds';
import type { ControlPlane } from '../../src/index.ts';
import { SotwClient, sidecarXdsNode } from '../support/ads-client.ts';
import { apiUrl, applyYamlText, startTestControlPlane } from '../support/test-control-plane.ts';

const CART_SERVICE = `apiVersion: v1
kind: Service
metadata: {name: cart, namespace: shop}
spec:
  selector: {app: cart}
  ports: [{name: http, port: 80, targetPort: 8080}]
`;
const CART_CLUSTER = 'outbound|80||cart.shop.svc.cluster.local';

async function register(cp: ControlPlane, name: string, extra: Record<string, unknown> = {}) {
  const response = await fetch(apiUrl(cp, '/apis/v1/workloads'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name,
      namespace: 'shop',
      address: '10.0.0.7',
      ports: { http: 8080 },
      labels: { app: 'cart' },
      ...extra,
    }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function heartbeat(cp: ControlPlane, id: unknown) {
  return fetch(apiUrl(cp, `/apis/v1/workloads/${String(id)}/heartbeat`), { method: 'PUT' });
}

function endpointAddresses(response: { resources: readonly Parameters<typeof unpackAnyAs>[0][] }): string[] {
  return response.resources.flatMap((any) =>
    (unpackAnyAs(any, ClusterLoadAssignmentSchema)?.endpoints ?? []).flatMap((locality) =>
      locality.lbEndpoints.map((lb) => {
        const endpoint = lb.hostIdentifier.case === 'endpoint' ? lb.hostIdentifier.value : undefined;
        const address = endpoint?.address?.address;
        return address?.case === 'socketAddress' ? address.value.address : '?';
      }),
    ),
  );
}

describe('workload registration lease (HTTP API)', () => {
  let cp: ControlPlane;

  before(async () => {
    cp = await startTestControlPlane({ translate: translateProxy });
    assert.equal((await applyYamlText(cp, CART_SERVICE)).status, 200);
  });
  after(async () => {
    await cp.close();
  });

  it('grants 30 seconds by default and the lease asked for, and refuses a bad one', async () => {
    const byDefault = await register(cp, 'cart-default');
    assert.equal(byDefault.status, 201);
    assert.equal(byDefault.body.leaseSeconds, 30);
    const asked = await register(cp, 'cart-asked', { leaseSeconds: 120 });
    assert.equal(asked.body.leaseSeconds, 120);
    const refused = await register(cp, 'cart-bad', { leaseSeconds: 0 });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.code, 'HEDDLE_WORKLOAD_INVALID');
    assert.match(String(refused.body.message), /leaseSeconds/);
    for (const body of [byDefault.body, asked.body]) {
      await fetch(apiUrl(cp, `/apis/v1/workloads/${String(body.id)}`), { method: 'DELETE' });
    }
  });

  it('renews on heartbeat; without heartbeats the endpoint is pushed away and the id is gone', async () => {
    const client = new SotwClient(cp.xdsPort);
    try {
      const registered = await register(cp, 'cart-1', { leaseSeconds: 1 });
      assert.equal(registered.status, 201);
      const id = registered.body.id;
      client.send({
        node: sidecarXdsNode('web', 'shop', '10.0.0.1'),
        typeUrl: CLUSTER_LOAD_ASSIGNMENT_TYPE_URL,
        resourceNames: [CART_CLUSTER],
      });
      let response = await client.next(5_000);
      assert.deepEqual(endpointAddresses(response), ['10.0.0.7']);
      client.send({
        typeUrl: CLUSTER_LOAD_ASSIGNMENT_TYPE_URL,
        resourceNames: [CART_CLUSTER],
        versionInfo: response.versionInfo,
        responseNonce: response.nonce,
      });

      // Heartbeats every 300 ms carry the 1 s lease well past its first expiry.
      for (let i = 0; i < 6; i++) {
        await sleep(300);
        const renewed = await heartbeat(cp, id);
        assert.equal(renewed.status, 200);
        const body = (await renewed.json()) as { id: number; leaseSeconds: number; expiresAt: number };
        assert.equal(body.id, id);
        assert.equal(body.leaseSeconds, 1);
      }
      assert.ok(cp.registry.workloads().some((w) => w.name === 'cart-1'));

      // Silence: the lease runs out, and the proxy is pushed an assignment without the endpoint.
      response = await client.next(5_000);
      assert.deepEqual(endpointAddresses(response), []);
      assert.ok(!cp.registry.workloads().some((w) => w.name === 'cart-1'));
      const late = await heartbeat(cp, id);
      assert.equal(late.status, 404);
      assert.equal(((await late.json()) as { code: string }).code, 'HEDDLE_WORKLOAD_NOT_FOUND');
    } finally {
      client.close();
    }
  });

  it('answers 404 to a heartbeat for an id it never issued', async () => {
    const response = await heartbeat(cp, 999_999);
    assert.equal(response.status, 404);
    await response.body?.cancel();
  });
});
