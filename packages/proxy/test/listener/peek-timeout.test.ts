// Inspection is bounded: a silent (slowloris-style) client is closed at listener_filters_timeout while others are
// served; a malformed or oversized ClientHello does not reach a TLS-only chain; with
// continue_on_listener_filters_timeout a silent client falls through to the plaintext chain.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ListenerManager } from '../../src/listener/listener-manager.ts';
import { NO_SECRETS } from '../../src/upstream/secret-provider.ts';
import { makeCertificates, type TestCertificates } from './helpers/certs.ts';
import { httpsGet } from './helpers/clients.ts';
import { apply, chain, hcm, listener, portOf, serverTls, tcpProxy } from './helpers/config.ts';
import { FakeHttp } from './helpers/fake-http.ts';
import { MemoryStats, tcpClusters } from './helpers/fakes.ts';
import { closed, connectTcp, echoServer, eventually, readUntil, type Upstream } from './helpers/net.ts';

const TIMEOUT_MS = 800;

describe('bounded inspection', { timeout: 30_000 }, () => {
  let certs: TestCertificates;
  let echo: Upstream;
  let manager: ListenerManager;
  let stats: MemoryStats;
  let strict: number;
  let lenient: number;

  before(async () => {
    certs = makeCertificates();
    echo = await echoServer('plaintext-chain');
    stats = new MemoryStats();
    manager = new ListenerManager({
      clusters: tcpClusters({ echo: [echo.port] }),
      stats,
      secrets: NO_SECRETS,
      createHttp: new FakeHttp().create,
    });
    await apply(manager, [
      listener({
        name: 'strict',
        inspectors: ['tls'],
        filtersTimeoutMs: TIMEOUT_MS,
        chains: [
          chain('tls-only', [hcm()], {
            filterChainMatch: { transportProtocol: 'tls' },
            transportSocket: serverTls(certs.a),
          }),
        ],
      }),
      listener({
        name: 'lenient',
        inspectors: ['tls'],
        filtersTimeoutMs: TIMEOUT_MS,
        continueOnTimeout: true,
        chains: [
          chain('tls', [hcm()], {
            filterChainMatch: { transportProtocol: 'tls' },
            transportSocket: serverTls(certs.a),
          }),
          chain('plain', [tcpProxy('echo')], { filterChainMatch: { transportProtocol: 'raw_buffer' } }),
        ],
      }),
    ]);
    strict = portOf(manager, 'strict');
    lenient = portOf(manager, 'lenient');
  });

  after(async () => {
    await manager.close();
    await echo.close();
    certs.remove();
  });

  it('closes silent clients at the timeout while serving others meanwhile', async () => {
    const silent = await Promise.all(Array.from({ length: 20 }, () => connectTcp(strict)));
    const served = await httpsGet(strict, { servername: 'a.test', ca: certs.ca });
    assert.equal(served.answer.chain, 'tls-only');
    assert.ok(
      silent.every((socket) => !socket.readableEnded && !socket.destroyed),
      'a real client waited behind silent ones',
    );
    const elapsed = await Promise.all(silent.map((socket) => closed(socket, 3000)));
    for (const ms of elapsed) assert.ok(ms < TIMEOUT_MS + 1000, `closed after ${ms} ms`);
    await eventually(() => stats.value('listener.strict.downstream_pre_cx_timeout') === 20);
  });

  it('closes a client that stalls in the middle of a ClientHello', async () => {
    const socket = await connectTcp(strict);
    socket.write(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01]));
    await closed(socket, 3000);
  });

  it('does not let a malformed ClientHello reach a TLS-only chain', async () => {
    const before = stats.value('listener.strict.no_filter_chain_match');
    const socket = await connectTcp(strict);
    socket.write(Buffer.concat([Buffer.from([0x16, 0x03, 0x01, 0x00, 0x40]), Buffer.alloc(64, 0xee)]));
    await closed(socket, 3000);
    await eventually(() => stats.value('listener.strict.no_filter_chain_match') === before + 1);
    assert.ok(stats.value('listener.strict.tls_inspector.tls_not_found') >= 1);
  });

  it('closes a client whose ClientHello claims more than the inspector reads', async () => {
    const socket = await connectTcp(strict);
    socket.write(Buffer.from([0x16, 0x03, 0x01, 0x40, 0x00, 0x01, 0x7f, 0xff, 0xff]));
    await closed(socket, 3000);
    assert.equal(stats.value('listener.strict.tls_inspector.client_hello_too_large'), 1);
  });

  it('lets a silent client fall through to the plaintext chain with continue_on_listener_filters_timeout', async () => {
    const socket = await connectTcp(lenient);
    const greeting = await readUntil(socket, (s) => s.endsWith('\n'), 3000);
    assert.equal(greeting, 'plaintext-chain\n');
    socket.destroy();
  });
});
