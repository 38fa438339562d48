// Plaintext HTTP with the AUTO codec: the HTTP/2 prior-knowledge preface sends a connection to HTTP/2, anything
// else to HTTP/1.1, and the peeked bytes are put back for the codec that takes over.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { request } from 'undici';
import { ListenerManager } from '../../src/listener/listener-manager.ts';
import { NO_SECRETS } from '../../src/upstream/secret-provider.ts';
import { http2Get, run } from './helpers/clients.ts';
import { apply, chain, hcm, listener, portOf } from './helpers/config.ts';
import type { FakeAnswer } from './helpers/fake-http.ts';
import { FakeHttp } from './helpers/fake-http.ts';
import { MemoryStats, tcpClusters } from './helpers/fakes.ts';
import { connectTcp, readUntil, sleep } from './helpers/net.ts';

describe('h2c prior-knowledge detection', { timeout: 30_000 }, () => {
  let manager: ListenerManager;
  let stats: MemoryStats;
  let plain: number;
  let inspected: number;

  before(async () => {
    stats = new MemoryStats();
    manager = new ListenerManager({
      clusters: tcpClusters({}),
      stats,
      secrets: NO_SECRETS,
      createHttp: new FakeHttp().create,
    });
    await apply(manager, [
      listener({ name: 'plain', chains: [chain('web', [hcm()])] }),
      listener({ name: 'inspected', inspectors: ['http'], chains: [chain('web', [hcm()])] }),
    ]);
    plain = portOf(manager, 'plain');
    inspected = portOf(manager, 'inspected');
  });

  after(() => manager.close());

  it('hands a connection that opens with the preface to HTTP/2', async () => {
    const answer = await http2Get(`http://127.0.0.1:${plain}`);
    assert.equal(answer.protocol, 'http2');
    assert.equal(answer.tls, false);
  });

  it('hands anything else to HTTP/1.1', async () => {
    const res = await request(`http://127.0.0.1:${plain}/`);
    assert.equal(((await res.body.json()) as FakeAnswer).protocol, 'http1');
  });

  it('works with curl --http2-prior-knowledge', async () => {
    const output = await run('curl', ['-s', '--http2-prior-knowledge', `http://127.0.0.1:${plain}/`]);
    assert.equal((JSON.parse(output) as FakeAnswer).protocol, 'http2');
  });

  it('waits for a preface that arrives in pieces', async () => {
    const socket = await connectTcp(plain);
    socket.write('PRI * HTTP/2.0\r\n');
    await sleep(50);
    socket.write('\r\nSM\r');
    await sleep(50);
    // Rest of the preface and an empty SETTINGS frame; an HTTP/2 server answers with its own SETTINGS.
    socket.write(Buffer.concat([Buffer.from('\n\r\n'), Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0])]));
    const reply = await readUntil(socket, (s) => s.length >= 9);
    assert.equal(reply.charCodeAt(3), 4);
    socket.destroy();
  });

  it('reuses what the http_inspector found instead of peeking again', async () => {
    const answer = await http2Get(`http://127.0.0.1:${inspected}`);
    assert.equal(answer.protocol, 'http2');
    assert.equal(stats.value('listener.inspected.http_inspector.http2_found'), 1);
    const res = await request(`http://127.0.0.1:${inspected}/`);
    assert.equal(((await res.body.json()) as FakeAnswer).protocol, 'http1');
    assert.equal(stats.value('listener.inspected.http_inspector.http11_found'), 1);
  });
});
