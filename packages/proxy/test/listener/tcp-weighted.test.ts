// tcp_proxy weighted_clusters: connections spread across clusters by weight; a zero weight gets none.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ListenerManager } from '../../src/listener/listener-manager.ts';
import { NO_SECRETS } from '../../src/upstream/secret-provider.ts';
import { apply, chain, listener, portOf, tcpProxy } from './helpers/config.ts';
import { FakeHttp } from './helpers/fake-http.ts';
import { MemoryStats, tcpClusters } from './helpers/fakes.ts';
import { connectTcp, echoServer, readUntil, type Upstream } from './helpers/net.ts';

describe('tcp_proxy weighted clusters', { timeout: 30_000 }, () => {
  let blue: Upstream;
  let green: Upstream;
  let red: Upstream;
  let manager: ListenerManager;
  let port: number;

  before(async () => {
    [blue, green, red] = await Promise.all([echoServer('blue'), echoServer('green'), echoServer('red')]);
    manager = new ListenerManager({
      clusters: tcpClusters({ blue: [blue.port], green: [green.port], red: [red.port] }),
      stats: new MemoryStats(),
      secrets: NO_SECRETS,
      createHttp: new FakeHttp().create,
    });
    await apply(manager, [
      listener({
        name: 'split',
        chains: [
          chain('split', [
            tcpProxy([
              { name: 'blue', weight: 50 },
              { name: 'red', weight: 0 },
              { name: 'green', weight: 50 },
            ]),
          ]),
        ],
      }),
    ]);
    port = portOf(manager, 'split');
  });

  after(async () => {
    await manager.close();
    await Promise.all([blue.close(), green.close(), red.close()]);
  });

  it('sends connections to every weighted cluster and none to a zero weight', async () => {
    const seen = new Map<string, number>();
    for (let i = 0; i < 60; i++) {
      const socket = await connectTcp(port);
      const label = (await readUntil(socket, (s) => s.endsWith('\n'))).trim();
      seen.set(label, (seen.get(label) ?? 0) + 1);
      socket.destroy();
    }
    assert.equal(seen.get('red'), undefined);
    // 60 fair coin flips: both sides get at least 10 with overwhelming probability.
    assert.ok((seen.get('blue') ?? 0) >= 10, JSON.stringify([...seen]));
    assert.ok((seen.get('green') ?? 0) >= 10, JSON.stringify([...seen]));
  });
});
