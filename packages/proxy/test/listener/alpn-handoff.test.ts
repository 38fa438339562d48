// On TLS, the HTTP codec follows the negotiated ALPN (h2 → HTTP/2, otherwise HTTP/1.1), and the client's
// offered ALPN can select the filter chain (application_protocols).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ListenerManager } from '../../src/listener/listener-manager.ts';
import { NO_SECRETS } from '../../src/upstream/secret-provider.ts';
import { makeCertificates, type TestCertificates } from './helpers/certs.ts';
import { http2Get, httpsGet, run } from './helpers/clients.ts';
import { apply, chain, hcm, listener, portOf, serverTls } from './helpers/config.ts';
import { FakeHttp } from './helpers/fake-http.ts';
import { MemoryStats, tcpClusters } from './helpers/fakes.ts';

describe('ALPN hand-off to HTTP/1.1 or HTTP/2', { timeout: 30_000 }, () => {
  let certs: TestCertificates;
  let manager: ListenerManager;
  let negotiating: number;
  let selecting: number;

  before(async () => {
    certs = makeCertificates();
    manager = new ListenerManager({
      clusters: tcpClusters({}),
      stats: new MemoryStats(),
      secrets: NO_SECRETS,
      createHttp: new FakeHttp().create,
    });
    const tls = serverTls(certs.a, { commonTlsContext: { alpnProtocols: ['h2', 'http/1.1'] } });
    await apply(manager, [
      listener({
        name: 'negotiating',
        inspectors: ['tls'],
        chains: [chain('https', [hcm()], { transportSocket: tls })],
      }),
      listener({
        name: 'selecting',
        inspectors: ['tls'],
        chains: [
          chain('h2-chain', [hcm()], {
            filterChainMatch: { applicationProtocols: ['h2'] },
            transportSocket: tls,
          }),
          chain('other-chain', [hcm()], { transportSocket: tls }),
        ],
      }),
    ]);
    negotiating = portOf(manager, 'negotiating');
    selecting = portOf(manager, 'selecting');
  });

  after(async () => {
    await manager.close();
    certs.remove();
  });

  it('hands an h2 connection to HTTP/2', async () => {
    const answer = await http2Get(`https://127.0.0.1:${negotiating}`, { ca: certs.ca, servername: 'a.test' });
    assert.equal(answer.protocol, 'http2');
    assert.equal(answer.httpVersion, '2.0');
  });

  it('hands an http/1.1 connection, or one without ALPN, to HTTP/1.1', async () => {
    const h1 = await httpsGet(negotiating, { servername: 'a.test', ca: certs.ca });
    assert.equal(h1.answer.protocol, 'http1');
    const none = await httpsGet(negotiating, { servername: 'a.test', ca: certs.ca, ALPNProtocols: [] });
    assert.equal(none.answer.protocol, 'http1');
    assert.equal(none.answer.httpVersion, '1.1');
  });

  it('negotiates h2 with curl', async () => {
    const output = await run('curl', [
      '-s',
      '--http2',
      '--cacert',
      `${certs.dir}/ca.crt`,
      '--resolve',
      `a.test:${negotiating}:127.0.0.1`,
      `https://a.test:${negotiating}/`,
    ]);
    assert.equal((JSON.parse(output) as { protocol: string }).protocol, 'http2');
  });

  it('selects the filter chain by the ALPN the client offers', async () => {
    const h2 = await http2Get(`https://127.0.0.1:${selecting}`, { ca: certs.ca, servername: 'a.test' });
    assert.equal(h2.chain, 'h2-chain');
    const h1 = await httpsGet(selecting, { servername: 'a.test', ca: certs.ca });
    assert.equal(h1.answer.chain, 'other-chain');
  });
});
