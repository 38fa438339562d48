// LDS updates: a changed listener keeps its socket and swaps filter chains — new connections get the new chain,
// existing ones finish on the old one (drained, closed at the deadline); identical chains are kept as they
// are; an address change rebinds.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Client } from 'undici';
import { ListenerManager } from '../../src/listener/listener-manager.ts';
import { NO_SECRETS } from '../../src/upstream/secret-provider.ts';
import { apply, chain, hcm, listener, portOf, tcpProxy } from './helpers/config.ts';
import type { FakeAnswer } from './helpers/fake-http.ts';
import { FakeHttp } from './helpers/fake-http.ts';
import { MemoryStats, tcpClusters } from './helpers/fakes.ts';
import { closed, connectTcp, echoServer, eventually, readUntil, type Upstream } from './helpers/net.ts';

const DRAIN_MS = 600;

describe('listener updates', { timeout: 30_000 }, () => {
  let blue: Upstream;
  let green: Upstream;
  let http: FakeHttp;
  let manager: ListenerManager;

  before(async () => {
    [blue, green] = await Promise.all([echoServer('blue'), echoServer('green')]);
    http = new FakeHttp();
    manager = new ListenerManager({
      clusters: tcpClusters({ blue: [blue.port], green: [green.port] }),
      stats: new MemoryStats(),
      secrets: NO_SECRETS,
      createHttp: http.create,
      drainTimeoutMs: DRAIN_MS,
    });
  });

  after(async () => {
    await manager.close();
    await Promise.all([blue.close(), green.close()]);
  });

  it('moves new TCP connections to the new chain while an open one finishes on the old', async () => {
    await apply(manager, [listener({ name: 'tcp', chains: [chain('v1', [tcpProxy('blue')])] })]);
    const port = portOf(manager, 'tcp');
    const old = await connectTcp(port);
    assert.equal((await readUntil(old, (s) => s.endsWith('\n'))).trim(), 'blue');
    await apply(manager, [listener({ name: 'tcp', chains: [chain('v2', [tcpProxy('green')])] })]);
    assert.equal(portOf(manager, 'tcp'), port);
    const fresh = await connectTcp(port);
    assert.equal((await readUntil(fresh, (s) => s.endsWith('\n'))).trim(), 'green');
    old.write('still here');
    assert.equal(await readUntil(old, (s) => s === 'still here'), 'still here');
    const elapsed = await closed(old, 5000);
    assert.ok(elapsed < DRAIN_MS + 1000, `old connection closed after ${elapsed} ms`);
    fresh.write('fine');
    assert.equal(await readUntil(fresh, (s) => s === 'fine'), 'fine');
    fresh.destroy();
  });

  it('drains the old HTTP handler and serves new connections with the new one', async () => {
    await apply(manager, [listener({ name: 'web', chains: [chain('web-v1', [hcm()])] })]);
    const port = portOf(manager, 'web');
    const first = new Client(`http://127.0.0.1:${port}`);
    const before = await first.request({ path: '/', method: 'GET' });
    assert.equal(((await before.body.json()) as FakeAnswer).chain, 'web-v1');
    const v1 = http.handler('web-v1');
    await apply(manager, [listener({ name: 'web', chains: [chain('web-v2', [hcm()])] })]);
    assert.equal(v1?.drained, true);
    const second = new Client(`http://127.0.0.1:${port}`);
    const after = await second.request({ path: '/', method: 'GET' });
    assert.equal(((await after.body.json()) as FakeAnswer).chain, 'web-v2');
    await eventually(() => v1?.closed === true, 3000, 'old handler not closed once idle');
    await Promise.all([first.close(), second.close()]);
  });

  it('leaves identical chains alone on a push that changes something else', async () => {
    const shared = chain('shared', [hcm()], { filterChainMatch: { destinationPort: 1 } });
    await apply(manager, [listener({ name: 'mixed', chains: [shared, chain('other', [hcm()])] })]);
    const sharedHandler = http.handler('shared');
    const count = http.handlers.length;
    await apply(manager, [listener({ name: 'mixed', chains: [shared, chain('other', [hcm()])] })]);
    assert.equal(http.handlers.length, count, 'an unchanged listener builds nothing');
    await apply(manager, [listener({ name: 'mixed', chains: [shared, chain('other-v2', [hcm()])] })]);
    assert.equal(http.handlers.length, count + 1, 'only the changed chain is rebuilt');
    assert.equal(http.handler('shared'), sharedHandler);
    assert.equal(sharedHandler?.drained, false);
    assert.equal(http.handler('other')?.drained, true);
  });

  it('rebinds when the address changes', async () => {
    await apply(manager, [listener({ name: 'moving', chains: [chain('m', [tcpProxy('blue')])] })]);
    const oldPort = portOf(manager, 'moving');
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const newPort = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));
    await apply(manager, [
      listener({ name: 'moving', port: newPort, chains: [chain('m', [tcpProxy('blue')])] }),
    ]);
    assert.equal(portOf(manager, 'moving'), newPort);
    await assert.rejects(connectTcp(oldPort), /ECONNREFUSED/);
    const socket = await connectTcp(newPort);
    assert.equal((await readUntil(socket, (s) => s.endsWith('\n'))).trim(), 'blue');
    socket.destroy();
  });
});
