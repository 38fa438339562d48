// The ADS client ACKs what its handlers accept and NACKs what they reject, keeping the previous config.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { create } from '@bufbuild/protobuf';
import { AnySchema } from '@bufbuild/protobuf/wkt';
import { CLUSTER_TYPE_URL, LISTENER_TYPE_URL } from '@heddle/xds';
import { FakeAdsServer } from './support/fake-ads.ts';
import { AdsClient } from '../../src/xds/ads-client.ts';
import { StatsStore } from '../../src/stats/stats-store.ts';
import { recordingHandlers } from './support/recording-handler.ts';
import { eventually, plainListener, staticCluster, TEST_NODE } from './support/resources.ts';

describe('ADS ACK / NACK', { timeout: 15_000 }, () => {
  let server: FakeAdsServer;
  let client: AdsClient;
  const handlers = recordingHandlers();
  const stats = new StatsStore();

  before(async () => {
    server = await FakeAdsServer.start();
    server.setResources(CLUSTER_TYPE_URL, [staticCluster('a'), staticCluster('b')]);
    server.setResources(LISTENER_TYPE_URL, [plainListener('l1')]);
    handlers.cds.reject = (name) =>
      name.startsWith('bad') ? `Cluster "${name}": unsupported lb_policy` : undefined;
    client = new AdsClient({
      node: TEST_NODE,
      addresses: [server.address],
      handlers: [handlers.cds, handlers.lds],
      stats,
    });
    client.start();
    await client.ready;
  });

  after(async () => {
    client.close();
    await server.close();
  });

  it('ACKs an accepted response with its version and nonce, and sends the node first', async () => {
    const ack = await server.waitFor((r) => r.kind === 'ack' && r.typeUrl === CLUSTER_TYPE_URL);
    assert.equal(ack.versionInfo, '1');
    assert.match(ack.responseNonce, /^n\d+$/);
    assert.equal(server.requests[0]?.node?.id, TEST_NODE.id);
    assert.equal(server.requests[1]?.node, undefined);
    assert.deepEqual(handlers.cds.committed, ['a', 'b']);
    assert.deepEqual(handlers.lds.committed, ['l1']);
    assert.equal(stats.counter('cluster_manager.cds.update_success').value, 1);
  });

  it('NACKs a rejected update with error_detail naming the resource and keeps the previous config', async () => {
    const version = server.setResources(CLUSTER_TYPE_URL, [staticCluster('a'), staticCluster('bad-one')]);
    const nack = await server.waitFor((r) => r.kind === 'nack' && r.typeUrl === CLUSTER_TYPE_URL);
    assert.equal(version, '2');
    assert.equal(nack.versionInfo, '1', 'a NACK carries the last accepted version');
    assert.equal(nack.errorDetail?.code, 3);
    assert.match(nack.errorDetail?.message ?? '', /Cluster "bad-one": unsupported lb_policy/);
    assert.deepEqual(handlers.cds.committed, ['a', 'b']);
    const state = client.state.get(CLUSTER_TYPE_URL);
    assert.equal(state.versionInfo, '1');
    assert.deepEqual([...state.resources.keys()], ['a', 'b']);
    assert.equal(state.lastError?.version, '2');
    assert.match(state.lastError?.details ?? '', /bad-one/);
    assert.equal(stats.counter('cluster_manager.cds.update_rejected').value, 1);
  });

  it('accepts the next good update after a rejection', async () => {
    server.setResources(CLUSTER_TYPE_URL, [staticCluster('a'), staticCluster('c')]);
    const ack = await server.waitFor(
      (r) => r.kind === 'ack' && r.typeUrl === CLUSTER_TYPE_URL && r.versionInfo === '3',
    );
    assert.ok(ack);
    assert.deepEqual(handlers.cds.committed, ['a', 'c']);
    assert.equal(client.state.get(CLUSTER_TYPE_URL).lastError, undefined);
  });

  it('NACKs a response whose resource has another type, naming its position', async () => {
    const wrong = create(AnySchema, { typeUrl: LISTENER_TYPE_URL, value: new Uint8Array() });
    server.setResources(CLUSTER_TYPE_URL, [staticCluster('a'), wrong]);
    const nack = await server.waitFor(
      (r) => r.kind === 'nack' && r.versionInfo === '3' && r.responseNonce !== '',
    );
    assert.match(nack.errorDetail?.message ?? '', /Cluster resource #1: type .*Listener/);
    assert.deepEqual(handlers.cds.committed, ['a', 'c']);
  });

  it('NACKs a response that names a resource twice', async () => {
    server.setResources(LISTENER_TYPE_URL, [plainListener('dup'), plainListener('dup')]);
    const nack = await server.waitFor((r) => r.kind === 'nack' && r.typeUrl === LISTENER_TYPE_URL);
    assert.match(nack.errorDetail?.message ?? '', /Listener "dup" appears twice/);
    assert.equal(nack.versionInfo, '1');
    await eventually(() => handlers.lds.committed.join() === 'l1');
  });
});
