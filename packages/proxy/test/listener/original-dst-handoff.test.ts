// use_original_dst: a connection moves to the bind_to_port:false listener whose address matches its destination
// (today the socket's local address: originalDestinationOf() has no SO_ORIGINAL_DST yet), else stays.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Listener } from '@heddle/xds/gen/envoy/config/listener/v3/listener_pb.ts';
import { ListenerManager } from '../../src/listener/listener-manager.ts';
import { NO_SECRETS } from '../../src/upstream/secret-provider.ts';
import { apply, chain, listener, portOf, tcpProxy } from './helpers/config.ts';
import { FakeHttp } from './helpers/fake-http.ts';
import { MemoryStats, tcpClusters } from './helpers/fakes.ts';
import { connectTcp, readUntil, echoServer, type Upstream } from './helpers/net.ts';

describe('original destination hand-off', { timeout: 30_000 }, () => {
  let fallback: Upstream;
  let target: Upstream;
  let manager: ListenerManager;
  let stats: MemoryStats;
  let virtual: Listener;
  let port: number;

  before(async () => {
    [fallback, target] = await Promise.all([echoServer('fallback'), echoServer('target')]);
    stats = new MemoryStats();
    manager = new ListenerManager({
      clusters: tcpClusters({ fallback: [fallback.port], target: [target.port] }),
      stats,
      secrets: NO_SECRETS,
      createHttp: new FakeHttp().create,
    });
    virtual = listener({
      name: 'virtualOutbound',
      inspectors: ['original_dst'],
      defaultChain: chain('catch-all', [tcpProxy('fallback')]),
      extra: { useOriginalDst: true },
    });
    await apply(manager, [virtual]);
    port = portOf(manager, 'virtualOutbound');
  });

  after(async () => {
    await manager.close();
    await Promise.all([fallback.close(), target.close()]);
  });

  const greeting = async (): Promise<string> => {
    const socket = await connectTcp(port);
    const text = (await readUntil(socket, (s) => s.endsWith('\n'))).trim();
    socket.destroy();
    return text;
  };

  const targetListener = (host: string): Listener =>
    listener({
      name: 'target',
      host,
      port,
      chains: [chain('t', [tcpProxy('target')])],
      extra: { bindToPort: false },
    });

  it('keeps a connection no listener claims on the use_original_dst listener', async () => {
    assert.equal(await greeting(), 'fallback');
  });

  it('hands a connection to the bind_to_port:false listener of its destination', async () => {
    await apply(manager, [virtual, targetListener('127.0.0.1')]);
    assert.equal(await greeting(), 'target');
    assert.equal(stats.value('listener.target.downstream_cx_total'), 1);
  });

  it('also finds a target listening on the wildcard address', async () => {
    await apply(manager, [virtual, targetListener('0.0.0.0')]);
    assert.equal(await greeting(), 'target');
  });

  it('stops handing off once the target is removed', async () => {
    await apply(manager, [virtual]);
    assert.equal(await greeting(), 'fallback');
  });
});
