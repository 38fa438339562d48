// Subscriptions follow Envoy's order (CDS → EDS → LDS → RDS) and new clusters and listeners warm until the
// endpoints and route configurations they name have arrived.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import {
  CLUSTER_LOAD_ASSIGNMENT_TYPE_URL,
  CLUSTER_TYPE_URL,
  LISTENER_TYPE_URL,
  ROUTE_CONFIGURATION_TYPE_URL,
} from '@heddle/xds';
import { StatsStore } from '../../src/stats/stats-store.ts';
import { AdsClient } from '../../src/xds/ads-client.ts';
import { FakeAdsServer } from './support/fake-ads.ts';
import { recordingHandlers, type RecordingHandlers } from './support/recording-handler.ts';
import {
  edsCluster,
  endpoints,
  eventually,
  rdsListener,
  routeConfig,
  staticCluster,
  TEST_NODE,
} from './support/resources.ts';

const KIND: Record<string, string> = {
  [CLUSTER_TYPE_URL]: 'CDS',
  [CLUSTER_LOAD_ASSIGNMENT_TYPE_URL]: 'EDS',
  [LISTENER_TYPE_URL]: 'LDS',
  [ROUTE_CONFIGURATION_TYPE_URL]: 'RDS',
};

describe('ADS subscription order and warming', { timeout: 20_000 }, () => {
  let server: FakeAdsServer | undefined;
  let client: AdsClient | undefined;

  afterEach(async () => {
    client?.close();
    await server?.close();
  });

  async function start(
    handlers: RecordingHandlers,
    warmingTimeoutMs?: number,
    stats?: StatsStore,
  ): Promise<AdsClient> {
    server = await FakeAdsServer.start();
    server.setResources(CLUSTER_TYPE_URL, [
      edsCluster('outbound|80||a.default', 'a-service'),
      edsCluster('b'),
      staticCluster('s'),
    ]);
    server.setResources(CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, [
      endpoints('a-service'),
      endpoints('b'),
      endpoints('unused'),
    ]);
    server.setResources(LISTENER_TYPE_URL, [
      rdsListener('0.0.0.0_80', '80'),
      rdsListener('0.0.0.0_81', '81'),
    ]);
    server.setResources(ROUTE_CONFIGURATION_TYPE_URL, [
      routeConfig('80'),
      routeConfig('81'),
      routeConfig('99'),
    ]);
    client = new AdsClient({
      node: TEST_NODE,
      addresses: [server.address],
      handlers: handlers.all,
      ...(warmingTimeoutMs !== undefined ? { warmingTimeoutMs } : {}),
      ...(stats ? { stats } : {}),
    });
    client.start();
    return client;
  }

  it('subscribes CDS, then EDS for the EDS service names, then LDS, then RDS for the route names', async () => {
    const handlers = recordingHandlers();
    await (
      await start(handlers)
    ).ready;
    const first = server!.requests.filter((r) => r.kind === 'request');
    assert.deepEqual(
      first.map((r) => KIND[r.typeUrl]),
      ['CDS', 'EDS', 'LDS', 'RDS'],
    );
    assert.deepEqual(first[0]?.resourceNames, [], 'CDS is a wildcard subscription');
    assert.deepEqual(first[1]?.resourceNames, ['a-service', 'b']);
    assert.deepEqual(first[2]?.resourceNames, [], 'LDS is a wildcard subscription');
    assert.deepEqual(first[3]?.resourceNames, ['80', '81']);
    assert.deepEqual(handlers.log, [
      'CDS b,outbound|80||a.default,s',
      'EDS a-service,b',
      'RDS 80,81',
      'LDS 0.0.0.0_80,0.0.0.0_81',
    ]);
  });

  it('keeps a new cluster warming until its endpoints arrive, and holds listener updates meanwhile', async () => {
    const handlers = recordingHandlers();
    await (
      await start(handlers)
    ).ready;
    handlers.log.length = 0;
    server!.hold(CLUSTER_LOAD_ASSIGNMENT_TYPE_URL);
    server!.setResources(CLUSTER_TYPE_URL, [edsCluster('b'), edsCluster('c')]);
    await server!.waitFor(
      (r) => r.typeUrl === CLUSTER_LOAD_ASSIGNMENT_TYPE_URL && r.resourceNames.includes('c'),
    );
    server!.setResources(LISTENER_TYPE_URL, [rdsListener('0.0.0.0_80', '80')]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(handlers.log, [], 'nothing is applied while the new cluster warms');
    assert.deepEqual([...client!.state.get(CLUSTER_TYPE_URL).warming.keys()], ['b', 'c']);
    server!.setResources(CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, [endpoints('b'), endpoints('c')]);
    server!.release(CLUSTER_LOAD_ASSIGNMENT_TYPE_URL);
    await eventually(() => handlers.log.length >= 4, 5000, 'the warmed updates');
    // Dropping a route name needs no warming: the listener goes in at once, the routes follow.
    assert.deepEqual(handlers.log, ['CDS b,c', 'EDS b,c', 'LDS 0.0.0.0_80', 'RDS 80']);
    assert.equal(client!.state.get(CLUSTER_TYPE_URL).warming.size, 0);
  });

  it('keeps a warming cluster set when a later update is rejected', async () => {
    const handlers = recordingHandlers();
    handlers.cds.reject = (name) => (name === 'bad' ? 'Cluster "bad": rejected' : undefined);
    await (
      await start(handlers)
    ).ready;
    handlers.log.length = 0;
    server!.hold(CLUSTER_LOAD_ASSIGNMENT_TYPE_URL);
    server!.setResources(CLUSTER_TYPE_URL, [edsCluster('b'), edsCluster('c')]);
    await server!.waitFor(
      (r) => r.typeUrl === CLUSTER_LOAD_ASSIGNMENT_TYPE_URL && r.resourceNames.includes('c'),
    );
    server!.setResources(CLUSTER_TYPE_URL, [edsCluster('b'), edsCluster('bad')]);
    await server!.waitFor((r) => r.kind === 'nack' && r.typeUrl === CLUSTER_TYPE_URL);
    server!.setResources(CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, [endpoints('b'), endpoints('c')]);
    server!.release(CLUSTER_LOAD_ASSIGNMENT_TYPE_URL);
    await eventually(() => handlers.log.length >= 2, 5000, 'the warmed clusters');
    assert.deepEqual(handlers.log, ['CDS b,c', 'EDS b,c']);
    assert.equal(client!.state.get(CLUSTER_TYPE_URL).versionInfo, '2');
  });

  it('stops waiting for endpoints that never come after the warming timeout', async () => {
    const handlers = recordingHandlers();
    const stats = new StatsStore();
    await (
      await start(handlers, 150, stats)
    ).ready;
    handlers.log.length = 0;
    server!.hold(CLUSTER_LOAD_ASSIGNMENT_TYPE_URL);
    server!.setResources(CLUSTER_TYPE_URL, [edsCluster('b'), edsCluster('never')]);
    await eventually(
      () => handlers.log.includes('CDS b,never'),
      5000,
      'the cluster update after the timeout',
    );
    assert.equal(stats.counter('cluster_manager.eds.init_fetch_timeout').value, 1);
    // Endpoints already known are handed over again once the clusters exist.
    assert.deepEqual(handlers.log, ['CDS b,never', 'EDS b']);
  });

  it('waits for the first cluster set before asking for listeners, and is ready only after routes', async () => {
    const handlers = recordingHandlers();
    server = await FakeAdsServer.start();
    server.setResources(CLUSTER_TYPE_URL, [edsCluster('b')]);
    server.setResources(LISTENER_TYPE_URL, [rdsListener('0.0.0.0_80', '80')]);
    server.hold(CLUSTER_LOAD_ASSIGNMENT_TYPE_URL);
    server.hold(ROUTE_CONFIGURATION_TYPE_URL);
    client = new AdsClient({ node: TEST_NODE, addresses: [server.address], handlers: handlers.all });
    client.start();
    await server.waitFor((r) => r.typeUrl === CLUSTER_LOAD_ASSIGNMENT_TYPE_URL);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(server.requests.filter((r) => r.typeUrl === LISTENER_TYPE_URL).length, 0);
    assert.equal(client.isReady, false);
    server.setResources(CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, [endpoints('b')]);
    server.release(CLUSTER_LOAD_ASSIGNMENT_TYPE_URL);
    await server.waitFor((r) => r.typeUrl === ROUTE_CONFIGURATION_TYPE_URL);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(client.isReady, false, 'listeners still wait for their routes');
    server.setResources(ROUTE_CONFIGURATION_TYPE_URL, [routeConfig('80')]);
    server.release(ROUTE_CONFIGURATION_TYPE_URL);
    await client.ready;
    assert.equal(client.isReady, true);
    assert.deepEqual(handlers.log, ['CDS b', 'EDS b', 'RDS 80', 'LDS 0.0.0.0_80']);
  });
});
