// TLS filter chains chosen by SNI (read from the ClientHello by the tls_inspector): each name gets its own
// certificate and chain; wildcards match; an unknown name with no default chain is refused and counted.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ListenerManager } from '../../src/listener/listener-manager.ts';
import { NO_SECRETS } from '../../src/upstream/secret-provider.ts';
import { makeCertificates, type TestCertificates } from './helpers/certs.ts';
import { httpsGet, run, tlsHandshake } from './helpers/clients.ts';
import { apply, chain, hcm, listener, portOf, serverTls } from './helpers/config.ts';
import { FakeHttp } from './helpers/fake-http.ts';
import { MemoryStats, tcpClusters } from './helpers/fakes.ts';
import { eventually } from './helpers/net.ts';

describe('SNI-based filter chain selection', { timeout: 30_000 }, () => {
  let certs: TestCertificates;
  let manager: ListenerManager;
  let stats: MemoryStats;
  let port: number;

  before(async () => {
    certs = makeCertificates();
    stats = new MemoryStats();
    manager = new ListenerManager({
      clusters: tcpClusters({}),
      stats,
      secrets: NO_SECRETS,
      createHttp: new FakeHttp().create,
    });
    await apply(manager, [
      listener({
        name: 'gateway',
        inspectors: ['tls'],
        chains: [
          chain('a', [hcm()], {
            filterChainMatch: { serverNames: ['a.test'] },
            transportSocket: serverTls(certs.a),
          }),
          chain('b', [hcm()], {
            filterChainMatch: { serverNames: ['b.test'] },
            transportSocket: serverTls(certs.b),
          }),
          chain('wild', [hcm()], {
            filterChainMatch: { serverNames: ['*.wild.test'] },
            transportSocket: serverTls(certs.wild),
          }),
        ],
      }),
    ]);
    port = portOf(manager, 'gateway');
  });

  after(async () => {
    await manager.close();
    certs.remove();
  });

  it('serves each name with its own certificate and chain (node tls)', async () => {
    for (const name of ['a.test', 'b.test']) {
      const result = await httpsGet(port, { servername: name, ca: certs.ca });
      assert.equal(result.status, 200);
      assert.equal(result.peerCommonName, name);
      assert.equal(result.answer.chain, name[0]);
      assert.equal(result.answer.serverName, name);
      assert.equal(result.answer.tls, true);
    }
  });

  it('serves each name with its own certificate (openssl s_client)', async () => {
    const output = await run('openssl', [
      's_client',
      '-connect',
      `127.0.0.1:${port}`,
      '-servername',
      'b.test',
      '-CAfile',
      `${certs.dir}/ca.crt`,
    ]);
    assert.match(output, /subject=CN ?= ?b\.test/);
    assert.match(output, /Verify return code: 0 \(ok\)/);
  });

  it('matches a wildcard name', async () => {
    const result = await httpsGet(port, { servername: 'api.wild.test', ca: certs.ca });
    assert.equal(result.answer.chain, 'wild');
  });

  it('refuses an unknown name and counts no_filter_chain_match', async () => {
    const before = stats.value('listener.gateway.no_filter_chain_match');
    const result = await tlsHandshake(port, { servername: 'c.test', ca: certs.ca });
    assert.equal(result.ok, false);
    await eventually(() => stats.value('listener.gateway.no_filter_chain_match') === before + 1);
    assert.ok(stats.value('listener.gateway.tls_inspector.sni_found') >= 1);
  });

  it('refuses a client that sends no SNI when every chain needs one', async () => {
    const result = await tlsHandshake(port, { ca: certs.ca, servername: '' });
    assert.equal(result.ok, false);
  });
});
