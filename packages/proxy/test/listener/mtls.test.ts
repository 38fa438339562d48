// Downstream mTLS: client certificates required and verified against the trusted CA and SAN matchers; the
// verified SPIFFE URI SAN becomes the peer principal; certificates and roots may come from SDS by name.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { connect as tlsConnect } from 'node:tls';
import { SubjectAltNameMatcher_SanType as SanType } from '@heddle/xds/gen/envoy/extensions/transport_sockets/tls/v3/common_pb.ts';
import { ListenerManager } from '../../src/listener/listener-manager.ts';
import { CLIENT_SPIFFE, makeCertificates, type TestCertificates } from './helpers/certs.ts';
import { httpsGet } from './helpers/clients.ts';
import { apply, chain, hcm, listener, portOf, serverTls, tlsTransport } from './helpers/config.ts';
import { FakeHttp } from './helpers/fake-http.ts';
import { MemoryStats, tcpClusters, TestSecrets } from './helpers/fakes.ts';
import { eventually, readUntil } from './helpers/net.ts';

describe('downstream mTLS', { timeout: 30_000 }, () => {
  let certs: TestCertificates;
  let manager: ListenerManager;
  let stats: MemoryStats;
  let secrets: TestSecrets;
  const ports: Record<string, number> = {};

  before(async () => {
    certs = makeCertificates();
    stats = new MemoryStats();
    secrets = new TestSecrets();
    manager = new ListenerManager({
      clusters: tcpClusters({}),
      stats,
      secrets,
      createHttp: new FakeHttp().create,
    });
    const trusted = { trustedCa: { specifier: { case: 'inlineString' as const, value: certs.ca } } };
    const sanPrefix = (
      prefix: string,
    ): { sanType: SanType; matcher: { matchPattern: { case: 'prefix'; value: string } } } => ({
      sanType: SanType.URI,
      matcher: { matchPattern: { case: 'prefix', value: prefix } },
    });
    const mtls = (name: string, matchers: ReturnType<typeof sanPrefix>[], require = true) =>
      listener({
        name,
        chains: [
          chain(name, [hcm()], {
            transportSocket: serverTls(certs.a, {
              requireClientCertificate: require,
              commonTlsContext: {
                validationContextType: {
                  case: 'validationContext',
                  value: { ...trusted, matchTypedSubjectAltNames: matchers },
                },
              },
            }),
          }),
        ],
      });
    await apply(manager, [
      mtls('strict', [sanPrefix('spiffe://cluster.local/')]),
      mtls('other-sa', [sanPrefix('spiffe://cluster.local/ns/other/')]),
      mtls('optional', [], false),
      listener({
        name: 'sds',
        chains: [
          chain('sds', [hcm()], {
            transportSocket: tlsTransport({
              requireClientCertificate: true,
              commonTlsContext: {
                tlsCertificateSdsSecretConfigs: [{ name: 'default' }],
                validationContextType: {
                  case: 'combinedValidationContext',
                  value: {
                    defaultValidationContext: {},
                    validationContextSdsSecretConfig: { name: 'ROOTCA' },
                  },
                },
              },
            }),
          }),
        ],
      }),
    ]);
    for (const name of ['strict', 'other-sa', 'optional', 'sds']) ports[name] = portOf(manager, name);
  });

  after(async () => {
    await manager.close();
    certs.remove();
  });

  const client = (): { cert: string; key: string; ca: string; servername: string } => ({
    ...certs.client,
    ca: certs.ca,
    servername: 'a.test',
  });

  it('accepts a trusted client certificate and passes its SPIFFE identity on', async () => {
    const result = await httpsGet(ports['strict'] ?? 0, client());
    assert.equal(result.status, 200);
    assert.equal(result.answer.peerPrincipal, CLIENT_SPIFFE);
    assert.equal(result.answer.tls, true);
    assert.ok(stats.value('listener.strict.ssl.handshake') >= 1);
  });

  it('refuses TLS without a client certificate', async () => {
    await assert.rejects(httpsGet(ports['strict'] ?? 0, { ca: certs.ca, servername: 'a.test' }));
    await eventually(() => stats.value('listener.strict.ssl.fail_verify_no_cert') >= 1);
  });

  it('refuses a certificate from another CA', async () => {
    await assert.rejects(
      httpsGet(ports['strict'] ?? 0, { ...certs.otherClient, ca: certs.ca, servername: 'a.test' }),
    );
    await eventually(() => stats.value('listener.strict.ssl.connection_error') >= 1);
  });

  it('refuses a trusted certificate whose SAN does not match', async () => {
    await assert.rejects(httpsGet(ports['other-sa'] ?? 0, client()));
    await eventually(() => stats.value('listener.other-sa.ssl.fail_verify_san') === 1);
  });

  it('lets an optional-mTLS chain take clients without certificates, without an identity', async () => {
    const anonymous = await httpsGet(ports['optional'] ?? 0, { ca: certs.ca, servername: 'a.test' });
    assert.equal(anonymous.answer.peerPrincipal, undefined);
    const known = await httpsGet(ports['optional'] ?? 0, client());
    assert.equal(known.answer.peerPrincipal, CLIENT_SPIFFE);
  });

  it('fails closed until the SDS secrets arrive, then serves with them', async () => {
    assert.deepEqual(manager.secretNames(), ['ROOTCA', 'default']);
    await assert.rejects(httpsGet(ports['sds'] ?? 0, client()));
    const chainState = manager.describe().find((l) => l.name === 'sds')?.filterChains[0];
    assert.match(chainState?.tlsError ?? '', /SDS secret default/);
    secrets.setCertificate('default', { certificateChain: certs.a.cert, privateKey: certs.a.key });
    secrets.setValidation('ROOTCA', { trustedCa: certs.ca });
    const result = await httpsGet(ports['sds'] ?? 0, client());
    assert.equal(result.answer.peerPrincipal, CLIENT_SPIFFE);
    assert.equal(result.peerCommonName, 'a.test');
  });

  it('rotates the SDS certificate for new handshakes without touching open connections', async () => {
    const port = ports['sds'] ?? 0;
    const open = tlsConnect({ host: '127.0.0.1', port, ...client() });
    await once(open, 'secureConnect');
    const ask = (): Promise<string> => {
      open.write('GET / HTTP/1.1\r\nHost: a.test\r\n\r\n');
      return readUntil(open, (s) => s.includes('"chain":"sds"'));
    };
    await ask();
    secrets.setCertificate('default', { certificateChain: certs.b.cert, privateKey: certs.b.key });
    const fresh = await httpsGet(port, { ...client(), servername: 'b.test' });
    assert.equal(fresh.peerCommonName, 'b.test');
    assert.match(await ask(), /spiffe:\/\/cluster\.local/);
    open.destroy();
  });
});
