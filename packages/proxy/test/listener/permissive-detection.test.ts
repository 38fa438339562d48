// PERMISSIVE-style port: one listener serves TLS and plaintext, told apart by peeking at the first byte
// (transport_protocol tls / raw_buffer), without consuming what the client sent.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { connect as tlsConnect } from 'node:tls';
import { request } from 'undici';
import { ListenerManager } from '../../src/listener/listener-manager.ts';
import { NO_SECRETS } from '../../src/upstream/secret-provider.ts';
import { makeCertificates, type TestCertificates } from './helpers/certs.ts';
import { httpsGet } from './helpers/clients.ts';
import { apply, chain, hcm, listener, portOf, serverTls, tcpProxy } from './helpers/config.ts';
import type { FakeAnswer } from './helpers/fake-http.ts';
import { FakeHttp } from './helpers/fake-http.ts';
import { MemoryStats, tcpClusters } from './helpers/fakes.ts';
import { connectTcp, echoServer, readUntil, type Upstream } from './helpers/net.ts';

describe('plaintext and TLS on one port', { timeout: 30_000 }, () => {
  let certs: TestCertificates;
  let manager: ListenerManager;
  let stats: MemoryStats;
  let echo: Upstream;
  let http: number;
  let tcp: number;

  before(async () => {
    certs = makeCertificates();
    echo = await echoServer();
    stats = new MemoryStats();
    manager = new ListenerManager({
      clusters: tcpClusters({ echo: [echo.port] }),
      stats,
      secrets: NO_SECRETS,
      createHttp: new FakeHttp().create,
    });
    await apply(manager, [
      listener({
        name: 'inbound',
        inspectors: ['tls'],
        chains: [
          chain('mtls', [hcm()], {
            filterChainMatch: { transportProtocol: 'tls' },
            transportSocket: serverTls(certs.a),
          }),
          chain('plaintext', [hcm()], { filterChainMatch: { transportProtocol: 'raw_buffer' } }),
        ],
      }),
      listener({
        name: 'tcp',
        inspectors: ['tls'],
        chains: [
          chain('tls-tcp', [tcpProxy('echo')], {
            filterChainMatch: { transportProtocol: 'tls' },
            transportSocket: serverTls(certs.a),
          }),
          chain('plain-tcp', [tcpProxy('echo')], { filterChainMatch: { transportProtocol: 'raw_buffer' } }),
        ],
      }),
    ]);
    http = portOf(manager, 'inbound');
    tcp = portOf(manager, 'tcp');
  });

  after(async () => {
    await manager.close();
    await echo.close();
    certs.remove();
  });

  it('sends plaintext HTTP to the raw_buffer chain with every byte intact', async () => {
    const res = await request(`http://127.0.0.1:${http}/path`, { method: 'POST', body: 'hello' });
    const answer = (await res.body.json()) as FakeAnswer;
    assert.equal(answer.chain, 'plaintext');
    assert.equal(answer.tls, false);
    assert.equal(stats.value('listener.inbound.tls_inspector.tls_not_found'), 1);
  });

  it('sends TLS to the tls chain and terminates it', async () => {
    const result = await httpsGet(http, { servername: 'a.test', ca: certs.ca });
    assert.equal(result.answer.chain, 'mtls');
    assert.equal(result.answer.tls, true);
    assert.equal(stats.value('listener.inbound.tls_inspector.tls_found'), 1);
  });

  it('terminates TLS in front of tcp_proxy', async () => {
    const socket = tlsConnect({ host: '127.0.0.1', port: tcp, servername: 'a.test', ca: certs.ca });
    await once(socket, 'secureConnect');
    socket.write('over tls');
    assert.equal(await readUntil(socket as unknown as Socket, (s) => s === 'over tls'), 'over tls');
    socket.destroy();
  });

  it('keeps the peeked bytes for tcp_proxy too', async () => {
    const socket = await connectTcp(tcp);
    socket.write('first bytes');
    assert.equal(await readUntil(socket, (s) => s === 'first bytes'), 'first bytes');
    socket.destroy();
  });
});
