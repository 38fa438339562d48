// Delta (incremental) ADS against the real server: per-resource versions, subscribe and unsubscribe,
// removed_resources, initial_resource_versions, and ACK/NACK bookkeeping.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, CLUSTER_TYPE_URL, type DeltaDiscoveryResponse } from '@heddle/xds';
import type { ControlPlane, ProxyStatus } from '../../src/index.ts';
import { DeltaClient, sidecarXdsNode } from '../support/ads-client.ts';
import {
  apiUrl,
  applyYamlText,
  getJson,
  serviceEntryYaml,
  startTestControlPlane,
} from '../support/test-control-plane.ts';

const names = (response: DeltaDiscoveryResponse) => response.resources.map((r) => r.name);

describe('Delta ADS', { timeout: 20_000 }, () => {
  let cp: ControlPlane;
  const clients: DeltaClient[] = [];
  const connect = () => {
    const client = new DeltaClient(cp.xdsPort);
    clients.push(client);
    return client;
  };

  before(async () => {
    cp = await startTestControlPlane();
    assert.equal((await applyYamlText(cp, serviceEntryYaml('orders', 'delta'))).status, 200);
    await cp.idle();
  });
  after(async () => {
    for (const client of clients) client.close();
    await cp.close();
  });

  it('sends every resource of a wildcard type with its version, then only what changed and what was removed', async () => {
    const client = connect();
    client.send({ node: sidecarXdsNode('watcher', 'delta'), typeUrl: CLUSTER_TYPE_URL });
    const first = await client.next();
    assert.deepEqual(names(first), ['BlackHoleCluster', 'outbound|80||orders.delta.example.com']);
    for (const resource of first.resources) assert.match(resource.version, /^[0-9a-f]{16}$/);
    assert.deepEqual(first.removedResources, []);
    client.send({ typeUrl: CLUSTER_TYPE_URL, responseNonce: first.nonce });

    assert.equal((await applyYamlText(cp, serviceEntryYaml('invoices', 'delta'))).status, 200);
    const added = await client.next();
    assert.deepEqual(
      names(added),
      ['outbound|80||invoices.delta.example.com'],
      'unchanged clusters are not resent',
    );
    client.send({ typeUrl: CLUSTER_TYPE_URL, responseNonce: added.nonce });

    const removal = await fetch(apiUrl(cp, '/apis/v1/resources/ServiceEntry/delta/invoices'), {
      method: 'DELETE',
    });
    assert.equal(removal.status, 200);
    const removed = await client.next();
    assert.deepEqual(names(removed), []);
    assert.deepEqual(removed.removedResources, ['outbound|80||invoices.delta.example.com']);
    client.send({ typeUrl: CLUSTER_TYPE_URL, responseNonce: removed.nonce });
    await cp.idle();
    const { body } = await getJson<ProxyStatus[]>(cp, '/debug/syncz');
    const cds = body.find((p) => p.workload === 'watcher')?.types.find((t) => t.type === 'CDS');
    assert.equal(cds?.status, 'SYNCED');
    assert.equal(cds?.resources, 2);
  });

  it('subscribes and unsubscribes by name for a non-wildcard type', async () => {
    const client = connect();
    const orders = 'outbound|80||orders.delta.example.com';
    client.send({
      node: sidecarXdsNode('eds', 'delta'),
      typeUrl: CLUSTER_LOAD_ASSIGNMENT_TYPE_URL,
      resourceNamesSubscribe: [orders],
    });
    const first = await client.next();
    assert.deepEqual(names(first), [orders]);
    client.send({
      typeUrl: CLUSTER_LOAD_ASSIGNMENT_TYPE_URL,
      responseNonce: first.nonce,
      resourceNamesUnsubscribe: [orders],
    });
    assert.deepEqual(await client.responses.drain(100), [], 'an unsubscribe needs no answer');

    client.send({ typeUrl: CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, resourceNamesSubscribe: [orders] });
    assert.deepEqual(names(await client.next()), [orders], 'a resubscribed resource is sent again');
  });

  it('sends a reconnecting proxy only what differs from its initial_resource_versions', async () => {
    const first = connect();
    first.send({ node: sidecarXdsNode('reconnect', 'delta'), typeUrl: CLUSTER_TYPE_URL });
    const held = await first.next();
    first.close();
    const versions = Object.fromEntries(held.resources.map((r) => [r.name, r.version]));
    const client = connect();
    client.send({
      node: sidecarXdsNode('reconnect', 'delta'),
      typeUrl: CLUSTER_TYPE_URL,
      initialResourceVersions: { ...versions, 'outbound|80||gone.delta.example.com': 'abc' },
    });
    const response = await client.next();
    assert.deepEqual(names(response), []);
    assert.deepEqual(response.removedResources, ['outbound|80||gone.delta.example.com']);
  });

  it('records a NACK against the version of the refused response', async () => {
    const client = connect();
    const node = sidecarXdsNode('nacker', 'delta');
    client.send({ node, typeUrl: CLUSTER_TYPE_URL });
    const response = await client.next();
    client.send({
      typeUrl: CLUSTER_TYPE_URL,
      responseNonce: response.nonce,
      errorDetail: { code: 13, message: 'bad cluster' },
    });
    await client.responses.drain(50);
    const { body } = await getJson<ProxyStatus[]>(cp, '/debug/syncz');
    const cds = body.find((p) => p.proxy === node.id)?.types.find((t) => t.type === 'CDS');
    assert.equal(cds?.status, 'NACKED');
    assert.equal(cds?.lastError?.version, response.systemVersionInfo);
    assert.equal(body.find((p) => p.proxy === node.id)?.stream, 'delta');
  });
});
