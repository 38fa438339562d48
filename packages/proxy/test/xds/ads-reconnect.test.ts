// The ADS client survives a control plane that goes away: it keeps its config, retries with jittered
// exponential back-off, moves through the control-plane addresses, and resumes with its accepted versions.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { afterEach, describe, it } from 'node:test';
import { CLUSTER_TYPE_URL, LISTENER_TYPE_URL } from '@heddle/xds';
import { StatsStore } from '../../src/stats/stats-store.ts';
import { AdsClient } from '../../src/xds/ads-client.ts';
import type { Timers } from '../../src/xds/timers.ts';
import { FakeAdsServer } from './support/fake-ads.ts';
import { recordingHandlers } from './support/recording-handler.ts';
import { eventually, plainListener, staticCluster, TEST_NODE } from './support/resources.ts';

/** Records the delays asked for but waits at most 20 ms, so back-off sequences run fast. */
function fastTimers(delays: number[]): Timers {
  return {
    setTimeout: (callback, ms) => {
      delays.push(ms);
      return setTimeout(callback, Math.min(ms, 20));
    },
    clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  };
}

async function deadAddress(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `127.0.0.1:${port}`;
}

describe('ADS reconnect', { timeout: 20_000 }, () => {
  let server: FakeAdsServer | undefined;
  let client: AdsClient | undefined;

  afterEach(async () => {
    client?.close();
    await server?.close();
  });

  it('keeps the last config while the control plane is down and resumes with its versions', async () => {
    server = await FakeAdsServer.start();
    server.setResources(CLUSTER_TYPE_URL, [staticCluster('a')]);
    server.setResources(LISTENER_TYPE_URL, [plainListener('l1')]);
    const handlers = recordingHandlers();
    const delays: number[] = [];
    const stats = new StatsStore();
    client = new AdsClient({
      node: TEST_NODE,
      addresses: [server.address],
      handlers: [handlers.cds, handlers.lds],
      random: () => 0.5,
      timers: fastTimers(delays),
      stats,
    });
    client.start();
    await client.ready;
    assert.equal(stats.gauge('control_plane.connected_state').value, 1);

    await server.stop();
    await eventually(() => delays.length >= 5, 5000, 'five failed attempts');
    assert.equal(client.connectedTo, undefined);
    assert.equal(stats.gauge('control_plane.connected_state').value, 0);
    assert.deepEqual(handlers.cds.committed, ['a'], 'the last good config stays in force');
    assert.deepEqual(delays.slice(0, 5), [250, 500, 1000, 2000, 4000], 'full jitter of 500 ms · 2^n');
    assert.ok(stats.counter('cluster_manager.cds.update_failure').value >= 1);

    await server.restart();
    const resumed = await server.waitFor(
      (r) => r.stream > 1 && r.typeUrl === CLUSTER_TYPE_URL && r.kind === 'request',
    );
    assert.equal(
      resumed.versionInfo,
      '1',
      'the first request after reconnecting carries the accepted version',
    );
    assert.equal(resumed.node?.id, TEST_NODE.id);
    await server.waitFor(
      (r) => r.stream === resumed.stream && r.typeUrl === LISTENER_TYPE_URL && r.kind === 'ack',
    );
    assert.equal(client.connectedTo, server.address);

    // A stream that served responses resets the back-off.
    const before = delays.length;
    server.drop();
    await eventually(() => delays.length > before, 5000, 'a retry after the drop');
    assert.equal(delays[before], 250);
  });

  it('caps the back-off at 30 s', async () => {
    const delays: number[] = [];
    client = new AdsClient({
      node: TEST_NODE,
      addresses: [await deadAddress()],
      handlers: recordingHandlers().all,
      random: () => 0.999,
      timers: fastTimers(delays),
    });
    client.start();
    await eventually(() => delays.length >= 9, 8000, 'nine failed attempts');
    assert.ok(delays.every((delay) => delay <= 30_000));
    assert.equal(delays[8], 29_970);
    assert.equal(client.isReady, false);
  });

  it('moves on to the next control-plane address when the first is dead', async () => {
    server = await FakeAdsServer.start();
    server.setResources(CLUSTER_TYPE_URL, [staticCluster('a')]);
    server.setResources(LISTENER_TYPE_URL, [plainListener('l1')]);
    const handlers = recordingHandlers();
    const delays: number[] = [];
    client = new AdsClient({
      node: TEST_NODE,
      addresses: [await deadAddress(), server.address],
      handlers: [handlers.cds, handlers.lds],
      random: () => 0,
      timers: fastTimers(delays),
    });
    client.start();
    await client.ready;
    assert.equal(client.connectedTo, server.address);
    assert.equal(delays.length, 1, 'one failed attempt on the dead address');
    assert.deepEqual(handlers.lds.committed, ['l1']);
  });
});
