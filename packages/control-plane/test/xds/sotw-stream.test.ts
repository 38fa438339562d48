// State-of-the-World ADS against the real server: initial responses, the ACK cycle, explicit names, NACKs, and
// pushes that reach only the proxies whose output changed.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { unpackAnyAs } from '@heddle/xds';
import {
  CLUSTER_LOAD_ASSIGNMENT_TYPE_URL,
  CLUSTER_TYPE_URL,
  ClusterSchema,
  LISTENER_TYPE_URL,
  ROUTE_CONFIGURATION_TYPE_URL,
  RouteConfigurationSchema,
  type DiscoveryResponse,
} from '@heddle/xds';
import type { ControlPlane, ProxyStatus } from '../../src/index.ts';
import { SotwClient, sidecarXdsNode } from '../support/ads-client.ts';
import {
  applyYamlText,
  getJson,
  serviceEntryYaml,
  startTestControlPlane,
} from '../support/test-control-plane.ts';

function clusterNames(response: DiscoveryResponse): string[] {
  return response.resources.map((any) => unpackAnyAs(any, ClusterSchema)?.name ?? '?');
}

async function statusOf(cp: ControlPlane, proxy: string, type: string) {
  const { body } = await getJson<ProxyStatus[]>(cp, '/debug/syncz');
  return body.find((p) => p.proxy === proxy)?.types.find((t) => t.type === type);
}

describe('SotW ADS', { timeout: 20_000 }, () => {
  let cp: ControlPlane;
  const clients: SotwClient[] = [];
  const connect = () => {
    const client = new SotwClient(cp.xdsPort);
    clients.push(client);
    return client;
  };

  before(async () => {
    cp = await startTestControlPlane();
    assert.equal((await applyYamlText(cp, serviceEntryYaml('payments', 'shop'))).status, 200);
    await cp.idle();
  });
  after(async () => {
    for (const client of clients) client.close();
    await cp.close();
  });

  it('answers a wildcard CDS request at once with a content version, a nonce and the control plane id', async () => {
    const client = connect();
    const node = sidecarXdsNode('cart', 'shop');
    client.send({ node, typeUrl: CLUSTER_TYPE_URL });
    const response = await client.next();
    assert.equal(response.typeUrl, CLUSTER_TYPE_URL);
    assert.match(response.versionInfo, /^[0-9a-f]{16}$/);
    assert.notEqual(response.nonce, '');
    assert.deepEqual(clusterNames(response), ['BlackHoleCluster', 'outbound|80||payments.shop.example.com']);
    assert.match(response.controlPlane?.identifier ?? '', /test-control-plane/);
  });

  it('marks a type STALE until the ACK and SYNCED after it, and sends nothing more for an ACK', async () => {
    const client = connect();
    const node = sidecarXdsNode('ack', 'shop');
    client.send({ node, typeUrl: CLUSTER_TYPE_URL });
    const response = await client.next();
    assert.equal((await statusOf(cp, node.id, 'CDS'))?.status, 'STALE');
    client.send({
      typeUrl: CLUSTER_TYPE_URL,
      versionInfo: response.versionInfo,
      responseNonce: response.nonce,
    });
    assert.deepEqual(await client.responses.drain(100), []);
    const cds = await statusOf(cp, node.id, 'CDS');
    assert.equal(cds?.status, 'SYNCED');
    assert.equal(cds?.ackedVersion, response.versionInfo);
    assert.equal((await statusOf(cp, node.id, 'LDS'))?.status, 'NOT SENT');
  });

  it('serves exactly the named resources when names are given, for every type', async () => {
    const client = connect();
    const node = sidecarXdsNode('grpc-like', 'shop');
    client.send({
      node,
      typeUrl: CLUSTER_TYPE_URL,
      resourceNames: ['outbound|80||payments.shop.example.com', 'missing'],
    });
    assert.deepEqual(clusterNames(await client.next()), ['outbound|80||payments.shop.example.com']);
    client.send({ typeUrl: ROUTE_CONFIGURATION_TYPE_URL, resourceNames: ['80'] });
    const routes = await client.next();
    assert.deepEqual(
      routes.resources.map((any) => unpackAnyAs(any, RouteConfigurationSchema)?.name),
      ['80'],
    );
    client.send({ typeUrl: CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, resourceNames: [] });
    assert.equal((await client.next()).resources.length, 0, 'EDS without names subscribes to nothing');
    client.send({ typeUrl: LISTENER_TYPE_URL, resourceNames: ['nope'] });
    assert.equal((await client.next()).resources.length, 0);
  });

  it('answers a changed subscription carried by an ACK immediately', async () => {
    const client = connect();
    client.send({
      node: sidecarXdsNode('sub', 'shop'),
      typeUrl: CLUSTER_TYPE_URL,
      resourceNames: ['BlackHoleCluster'],
    });
    const first = await client.next();
    assert.deepEqual(clusterNames(first), ['BlackHoleCluster']);
    client.send({
      typeUrl: CLUSTER_TYPE_URL,
      versionInfo: first.versionInfo,
      responseNonce: first.nonce,
      resourceNames: ['BlackHoleCluster', 'outbound|80||payments.shop.example.com'],
    });
    const second = await client.next();
    assert.deepEqual(clusterNames(second), ['BlackHoleCluster', 'outbound|80||payments.shop.example.com']);
    assert.notEqual(second.versionInfo, first.versionInfo);
  });

  it('ignores a request answering a superseded nonce', async () => {
    const client = connect();
    client.send({ node: sidecarXdsNode('stale', 'shop'), typeUrl: CLUSTER_TYPE_URL });
    await client.next();
    client.send({ typeUrl: CLUSTER_TYPE_URL, responseNonce: 'not-a-nonce-we-sent', resourceNames: ['x'] });
    assert.deepEqual(await client.responses.drain(100), []);
  });

  it('records a NACK with its error in /debug/syncz while another proxy keeps receiving pushes', async () => {
    const rejecting = connect();
    const healthy = connect();
    const rejectingNode = sidecarXdsNode('rejecting', 'shop');
    const healthyNode = sidecarXdsNode('healthy', 'shop');
    rejecting.send({ node: rejectingNode, typeUrl: CLUSTER_TYPE_URL });
    healthy.send({ node: healthyNode, typeUrl: CLUSTER_TYPE_URL });
    const refused = await rejecting.next();
    const accepted = await healthy.next();
    healthy.send({
      typeUrl: CLUSTER_TYPE_URL,
      versionInfo: accepted.versionInfo,
      responseNonce: accepted.nonce,
    });
    rejecting.send({
      typeUrl: CLUSTER_TYPE_URL,
      versionInfo: '',
      responseNonce: refused.nonce,
      errorDetail: { code: 3, message: 'cluster BlackHoleCluster: unsupported lb_policy' },
    });
    await rejecting.responses.drain(50);
    const cds = await statusOf(cp, rejectingNode.id, 'CDS');
    assert.equal(cds?.status, 'NACKED');
    assert.equal(cds?.rejects, 1);
    assert.equal(cds?.lastError?.message, 'cluster BlackHoleCluster: unsupported lb_policy');
    assert.equal(cds?.lastError?.version, refused.versionInfo);

    assert.equal((await applyYamlText(cp, serviceEntryYaml('ledger', 'shop'))).status, 200);
    const pushed = await healthy.next();
    assert.ok(clusterNames(pushed).includes('outbound|80||ledger.shop.example.com'));
    assert.equal((await statusOf(cp, healthyNode.id, 'CDS'))?.status, 'STALE');
  });

  it('pushes a config change only to the proxies whose output changed', async () => {
    const inShop = connect();
    const inBank = connect();
    inShop.send({ node: sidecarXdsNode('web', 'shop'), typeUrl: CLUSTER_TYPE_URL });
    inBank.send({ node: sidecarXdsNode('teller', 'bank'), typeUrl: CLUSTER_TYPE_URL });
    const shopFirst = await inShop.next();
    const bankFirst = await inBank.next();
    inShop.send({
      typeUrl: CLUSTER_TYPE_URL,
      versionInfo: shopFirst.versionInfo,
      responseNonce: shopFirst.nonce,
    });
    inBank.send({
      typeUrl: CLUSTER_TYPE_URL,
      versionInfo: bankFirst.versionInfo,
      responseNonce: bankFirst.nonce,
    });

    assert.equal((await applyYamlText(cp, serviceEntryYaml('vault', 'bank'))).status, 200);
    const bankPush = await inBank.next();
    assert.notEqual(bankPush.versionInfo, bankFirst.versionInfo);
    assert.ok(clusterNames(bankPush).includes('outbound|80||vault.bank.example.com'));
    await cp.idle();
    assert.deepEqual(await inShop.responses.drain(100), [], 'the shop proxy output did not change');
  });
});
