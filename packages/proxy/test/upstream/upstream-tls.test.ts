// Upstream TLS from the cluster's transport socket: SNI and ALPN as configured, the server verified against
// the trusted CA and SAN matchers (or not at all without a validation context, as in Envoy), client
// certificates inline or from SDS (a missing secret fails the connection, never falls back to plaintext),
// transport_socket_matches by endpoint tlsMode, auto SNI, and the downstream protocol chosen per request.
import assert from 'node:assert/strict';
import { createServer as createHttpsServer, type Server } from 'node:https';
import { createSecureServer, type Http2SecureServer } from 'node:http2';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { isAttemptError } from '../../src/upstream/attempt-error.ts';
import type { SecretProvider } from '../../src/upstream/secret-provider.ts';
import { assignment, ports, staticCluster } from './helpers/config.ts';
import {
  BACKEND_SPIFFE,
  CLIENT_SPIFFE,
  makeCertificates,
  type UpstreamCertificates,
} from './helpers/certs.ts';
import { applyClusters, harness, view } from './helpers/harness.ts';
import { downstreamProtocol, httpOptions } from './helpers/protocol-options.ts';
import { request, send } from './helpers/send.ts';
import { inline, sds, tlsSocket } from './helpers/tls-config.ts';
import { closeAll, startHttpUpstream, type TestUpstream } from './helpers/upstreams.ts';

interface TlsUpstream {
  readonly port: number;
  close(): Promise<void>;
}

async function listen(server: Server | Http2SecureServer): Promise<TlsUpstream> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Answers with what it saw of the TLS connection: SNI, ALPN, the client certificate's SAN. */
function tlsEcho(socket: TLSSocket, protocol: string): string {
  const peer = socket.getPeerCertificate();
  return JSON.stringify({
    sni: (socket as TLSSocket & { servername?: string | false }).servername || '',
    alpn: socket.alpnProtocol || '',
    client: peer.subjectaltname ?? '',
    protocol,
  });
}

class TestSecrets implements SecretProvider {
  readonly certificates = new Map<string, { certificateChain: string; privateKey: string }>();
  readonly roots = new Map<string, { trustedCa: string }>();
  readonly #listeners = new Set<() => void>();
  certificate(name: string) {
    return this.certificates.get(name);
  }
  validation(name: string) {
    return this.roots.get(name);
  }
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
  changed(): void {
    for (const l of this.#listeners) l();
  }
}

describe('upstream TLS', { timeout: 20_000 }, () => {
  let certs: UpstreamCertificates;
  let backend: TlsUpstream;
  let mtls: TlsUpstream;
  let foreign: TlsUpstream;
  let dual: TlsUpstream;
  let plain: TestUpstream;
  before(async () => {
    certs = makeCertificates();
    backend = await listen(
      createHttpsServer({ ...certs.backend, ALPNProtocols: ['http/1.1'] }, (req, res) =>
        res.end(tlsEcho(req.socket as TLSSocket, req.httpVersion)),
      ),
    );
    mtls = await listen(
      createHttpsServer(
        { ...certs.backend, ca: certs.ca, requestCert: true, rejectUnauthorized: true },
        (req, res) => res.end(tlsEcho(req.socket as TLSSocket, req.httpVersion)),
      ),
    );
    foreign = await listen(createHttpsServer({ ...certs.foreign }, (_req, res) => res.end('foreign')));
    dual = await listen(
      createSecureServer({ ...certs.backend, allowHTTP1: true }, (req, res) =>
        res.end(tlsEcho(req.socket as TLSSocket, req.httpVersion)),
      ),
    );
    plain = await startHttpUpstream('plain');
  });
  after(async () => {
    await Promise.all([backend.close(), mtls.close(), foreign.close(), dual.close(), closeAll([plain])]);
    certs.remove();
  });

  const verified = (san = BACKEND_SPIFFE) => ({
    sni: 'backend.test',
    commonTlsContext: {
      alpnProtocols: ['http/1.1'],
      validationContextType: {
        case: 'validationContext' as const,
        value: {
          trustedCa: inline(certs.ca),
          matchSubjectAltNames: [{ matchPattern: { case: 'exact' as const, value: san } }],
        },
      },
    },
  });

  it('verifies the server against the trusted CA and SAN, sending the configured SNI and ALPN', async () => {
    const { manager, stats } = harness();
    try {
      applyClusters(manager, [
        staticCluster('svc', ports('svc', [backend.port]), { transportSocket: tlsSocket(verified()) }),
      ]);
      const svc = view(manager, 'svc');
      const host = svc.selectHost({});
      assert.ok(host);
      const seen = JSON.parse((await send(svc, host)).body) as Record<string, string>;
      assert.equal(seen.sni, 'backend.test');
      assert.equal(seen.alpn, 'http/1.1');
      assert.equal(stats.cluster('svc', 'upstream_cx_total'), 1);
    } finally {
      manager.close();
    }
  });

  it('fails the connection when no SAN matches', async () => {
    const { manager, stats } = harness();
    try {
      applyClusters(manager, [
        staticCluster('svc', ports('svc', [backend.port]), {
          transportSocket: tlsSocket(verified('spiffe://cluster.local/ns/default/sa/someone-else')),
        }),
      ]);
      const svc = view(manager, 'svc');
      const host = svc.selectHost({});
      assert.ok(host);
      const err: unknown = await svc.sendHttp(host, request()).response.then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(isAttemptError(err));
      assert.equal(err.outcome.kind, 'connect-failure');
      assert.equal(err.code, 'HEDDLE_UPSTREAM_TLS_IDENTITY');
      assert.equal(stats.cluster('svc', 'upstream_cx_connect_fail'), 1);
    } finally {
      manager.close();
    }
  });

  it('fails the connection when the server chains to another CA', async () => {
    const { manager } = harness();
    try {
      applyClusters(manager, [
        staticCluster('svc', ports('svc', [foreign.port]), {
          transportSocket: tlsSocket(verified('backend.test')),
        }),
      ]);
      const svc = view(manager, 'svc');
      const host = svc.selectHost({});
      assert.ok(host);
      const err: unknown = await svc.sendHttp(host, request()).response.then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(isAttemptError(err));
      assert.equal(err.outcome.kind, 'connect-failure');
    } finally {
      manager.close();
    }
  });

  it('without a validation context encrypts but does not verify (Envoy default)', async () => {
    const { manager } = harness();
    try {
      applyClusters(manager, [
        staticCluster('svc', ports('svc', [foreign.port]), { transportSocket: tlsSocket({}) }),
      ]);
      const svc = view(manager, 'svc');
      const host = svc.selectHost({});
      assert.ok(host);
      assert.equal((await send(svc, host)).body, 'foreign');
    } finally {
      manager.close();
    }
  });

  it('presents the SDS client certificate for mutual TLS; a missing secret fails with a clear log line', async () => {
    const secrets = new TestSecrets();
    const { manager, logs } = harness({ secrets });
    try {
      applyClusters(manager, [
        staticCluster('svc', ports('svc', [mtls.port]), {
          transportSocket: tlsSocket({
            sni: 'backend.test',
            commonTlsContext: {
              tlsCertificateSdsSecretConfigs: [sds('default')],
              validationContextType: {
                case: 'combinedValidationContext',
                value: {
                  defaultValidationContext: {
                    matchSubjectAltNames: [{ matchPattern: { case: 'exact', value: BACKEND_SPIFFE } }],
                  },
                  validationContextSdsSecretConfig: sds('ROOTCA'),
                },
              },
            },
          }),
        }),
      ]);
      assert.deepEqual(manager.secretNames(), ['ROOTCA', 'default']);
      const svc = view(manager, 'svc');
      const host = svc.selectHost({});
      assert.ok(host);
      const err: unknown = await svc.sendHttp(host, request()).response.then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(isAttemptError(err));
      assert.equal(err.outcome.kind, 'connect-failure');
      assert.equal(err.code, 'HEDDLE_UPSTREAM_SECRET_MISSING');
      assert.ok(
        logs.some((l) => l.includes("cluster 'svc'") && l.includes("'default'")),
        logs.join('\n'),
      );

      secrets.certificates.set('default', {
        certificateChain: certs.client.cert,
        privateKey: certs.client.key,
      });
      secrets.roots.set('ROOTCA', { trustedCa: certs.ca });
      secrets.changed();
      const seen = JSON.parse((await send(svc, host)).body) as Record<string, string>;
      assert.equal(seen.client, `URI:${CLIENT_SPIFFE}`);
    } finally {
      manager.close();
    }
  });

  it('picks the transport socket per endpoint with transport_socket_matches (tlsMode: istio)', async () => {
    const { manager } = harness();
    try {
      applyClusters(manager, [
        staticCluster(
          'svc',
          assignment('svc', [
            { endpoints: [{ port: backend.port, tlsMode: 'istio' }, { port: plain.port }] },
          ]),
          {
            transportSocketMatches: [
              { name: 'tlsMode-istio', match: { tlsMode: 'istio' }, transportSocket: tlsSocket(verified()) },
              {
                name: 'tlsMode-disabled',
                match: {},
                transportSocket: {
                  name: 'envoy.transport_sockets.raw_buffer',
                },
              },
            ],
          },
        ),
      ]);
      const svc = view(manager, 'svc');
      const bodies = new Map<number, string>();
      for (let i = 0; i < 2; i++) {
        const host = svc.selectHost({});
        assert.ok(host);
        bodies.set(host.port, (await send(svc, host)).body);
      }
      assert.equal(
        (JSON.parse(bodies.get(backend.port) ?? '{}') as Record<string, string>).sni,
        'backend.test',
      );
      assert.equal(bodies.get(plain.port), 'plain');
    } finally {
      manager.close();
    }
  });

  it('auto_sni sends the request authority as SNI and auto_san_validation checks the certificate for it', async () => {
    const { manager } = harness();
    try {
      applyClusters(manager, [
        staticCluster('svc', ports('svc', [backend.port]), {
          transportSocket: tlsSocket({
            commonTlsContext: {
              validationContextType: { case: 'validationContext', value: { trustedCa: inline(certs.ca) } },
            },
          }),
          ...httpOptions({ upstreamHttpProtocolOptions: { autoSni: true, autoSanValidation: true } }),
        }),
      ]);
      const svc = view(manager, 'svc');
      const host = svc.selectHost({});
      assert.ok(host);
      const seen = JSON.parse((await send(svc, host, { authority: 'backend.test:443' })).body) as Record<
        string,
        string
      >;
      assert.equal(seen.sni, 'backend.test');
      const err: unknown = await svc.sendHttp(host, request({ authority: 'other.test' })).response.then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(isAttemptError(err));
      assert.equal(err.outcome.kind, 'connect-failure');
    } finally {
      manager.close();
    }
  });

  it('use_downstream_protocol_config speaks the protocol each request came in with', async () => {
    const { manager, stats } = harness();
    try {
      applyClusters(manager, [
        staticCluster('svc', ports('svc', [dual.port]), {
          transportSocket: tlsSocket({
            sni: 'backend.test',
            commonTlsContext: { alpnProtocols: ['h2', 'http/1.1'] },
          }),
          ...downstreamProtocol,
        }),
      ]);
      const svc = view(manager, 'svc');
      const host = svc.selectHost({});
      assert.ok(host);
      const h1 = JSON.parse((await send(svc, host, { protocol: 'http1' })).body) as Record<string, string>;
      const h2 = JSON.parse((await send(svc, host, { protocol: 'http2' })).body) as Record<string, string>;
      assert.deepEqual([h1.protocol, h1.alpn], ['1.1', 'http/1.1']);
      assert.deepEqual([h2.protocol, h2.alpn], ['2.0', 'h2']);
      assert.equal(stats.cluster('svc', 'upstream_cx_http1_total'), 1);
      assert.equal(stats.cluster('svc', 'upstream_cx_http2_total'), 1);
    } finally {
      manager.close();
    }
  });
});
