// HTTP RBAC on who is calling and where: the mTLS peer identity (never a client-sent header), SNI, addresses
// and ports; shadow rules that only report; per-route overrides.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { packAny } from '@heddle/xds';
import { RBACPerRouteSchema } from '@heddle/xds/gen/envoy/extensions/filters/http/rbac/v3/rbac_pb.ts';
import { CLIENT_SPIFFE, makeCertificates, type TestCertificates } from '../../listener/helpers/certs.ts';
import { rawRequest } from '../support/raw-http.ts';
import {
  anyPermission,
  anyPrincipal,
  httpRbacFilter,
  pathPrefix,
  principalName,
  rules,
  type PrincipalInit,
} from '../support/rbac-config.ts';
import { ECHO_CLUSTER, startSecuredProxy, type Echo, type SecuredProxy } from '../support/secured-proxy.ts';

const cidr = (addressPrefix: string, prefixLen: number) => ({ addressPrefix, prefixLen });

describe('HTTP RBAC on the mTLS identity', { timeout: 30_000 }, () => {
  let certs: TestCertificates;
  let tls: SecuredProxy;
  let plain: SecuredProxy;

  before(async () => {
    certs = makeCertificates();
    const allowClient = httpRbacFilter({
      rules: rules('ALLOW', {
        'allow-client-sa': { permissions: [anyPermission], principals: [principalName(CLIENT_SPIFFE)] },
        'allow-sni-b': {
          permissions: [
            {
              rule: {
                case: 'requestedServerName',
                value: { matchPattern: { case: 'exact', value: 'b.test' } },
              },
            },
          ],
          principals: [anyPrincipal],
        },
      }),
    });
    tls = await startSecuredProxy({
      httpFilters: [allowClient],
      tls: { server: certs.a, ca: certs.ca, requireClientCertificate: false },
    });
    plain = await startSecuredProxy({
      httpFilters: [allowClient],
      routes: [
        {
          match: { pathSpecifier: { case: 'prefix', value: '/open' } },
          action: { case: 'route', value: { clusterSpecifier: { case: 'cluster', value: ECHO_CLUSTER } } },
          typedPerFilterConfig: { 'envoy.filters.http.rbac': packAny(RBACPerRouteSchema, {}) },
        },
        {
          match: { pathSpecifier: { case: 'prefix', value: '/' } },
          action: { case: 'route', value: { clusterSpecifier: { case: 'cluster', value: ECHO_CLUSTER } } },
        },
      ],
    });
  });

  after(async () => {
    await tls.close();
    await plain.close();
    certs.remove();
  });

  const viaTls = (options: { cert?: boolean; servername?: string }, headers: string[] = []) =>
    rawRequest(tls.port, '/x', headers, {
      tls: {
        ca: certs.ca,
        servername: options.servername ?? 'a.test',
        rejectUnauthorized: false,
        ...(options.cert ? { cert: certs.client.cert, key: certs.client.key } : {}),
      },
    });

  it('allows the client whose certificate carries the SPIFFE identity', async () => {
    const reply = await viaTls({ cert: true });
    assert.equal(reply.status, 200);
  });

  it('denies TLS without a client certificate: no identity', async () => {
    assert.equal((await viaTls({})).status, 403);
  });

  it('denies a client that claims the identity in x-forwarded-client-cert, over TLS or plaintext', async () => {
    const spoof = `x-forwarded-client-cert: By=spiffe://cluster.local/ns/default/sa/server;URI=${CLIENT_SPIFFE}`;
    assert.equal((await viaTls({}, [spoof])).status, 403);
    assert.equal((await rawRequest(plain.port, '/x', [spoof])).status, 403);
  });

  it('strips a client-sent x-forwarded-client-cert before the upstream sees it', async () => {
    const reply = await rawRequest(plain.port, '/open', [`x-forwarded-client-cert: URI=${CLIENT_SPIFFE}`]);
    assert.equal(reply.status, 200);
    assert.equal((JSON.parse(reply.body) as Echo).headers['x-forwarded-client-cert'], undefined);
  });

  it('matches requested_server_name on the SNI of the connection', async () => {
    // Without a certificate only the SNI policy can allow.
    assert.equal((await viaTls({ servername: 'b.test' })).status, 200);
    assert.equal((await viaTls({ servername: 'a.test' })).status, 403);
    assert.equal((await viaTls({ servername: 'B.TEST.evil' })).status, 403);
  });

  it('an empty RBACPerRoute turns the filter off for that route only', async () => {
    assert.equal((await rawRequest(plain.port, '/open/x')).status, 200);
    assert.equal((await rawRequest(plain.port, '/closed')).status, 403);
  });
});

describe('HTTP RBAC on addresses, ports and shadow rules', { timeout: 30_000 }, () => {
  let proxy: SecuredProxy;
  const remote = (
    ip: string,
    len: number,
    kind: 'directRemoteIp' | 'remoteIp' | 'sourceIp',
  ): PrincipalInit => ({
    identifier: { case: kind, value: cidr(ip, len) },
  });

  before(async () => {
    proxy = await startSecuredProxy({
      httpFilters: [
        httpRbacFilter({
          rules: rules('DENY', {
            'deny-loopback-peer': {
              permissions: [pathPrefix('/peer')],
              principals: [remote('127.0.0.0', 8, 'directRemoteIp')],
            },
            'deny-source-ip': {
              permissions: [pathPrefix('/source')],
              principals: [remote('127.0.0.1', 32, 'sourceIp')],
            },
            'deny-port-one': {
              permissions: [{ rule: { case: 'destinationPort', value: 1 } }],
              principals: [anyPrincipal],
            },
          }),
          shadowRules: rules('ALLOW', {
            'dry-run-only-public': { permissions: [pathPrefix('/public')], principals: [anyPrincipal] },
          }),
          shadowRulesStatPrefix: 'istio_dry_run_allow_',
        }),
        httpRbacFilter(
          {
            rules: rules('ALLOW', {
              'allow-local-destination': {
                permissions: [
                  {
                    rule: {
                      case: 'andRules',
                      value: {
                        rules: [
                          { rule: { case: 'destinationIp', value: cidr('127.0.0.0', 8) } },
                          { rule: { case: 'destinationPortRange', value: { start: 1024, end: 65536 } } },
                        ],
                      },
                    },
                  },
                ],
                principals: [remote('127.0.0.1', 32, 'remoteIp')],
              },
            }),
          },
          'envoy.filters.http.rbac.allow',
        ),
      ],
    });
  });

  after(async () => {
    await proxy.close();
  });

  it('direct_remote_ip is the connection peer: X-Forwarded-For cannot move it', async () => {
    assert.equal((await rawRequest(proxy.port, '/peer')).status, 403);
    assert.equal((await rawRequest(proxy.port, '/peer', ['x-forwarded-for: 10.1.2.3'])).status, 403);
    assert.equal((await rawRequest(proxy.port, '/source')).status, 403);
  });

  it('allows on destination IP, destination port range and remote IP', async () => {
    assert.equal((await rawRequest(proxy.port, '/other')).status, 200);
  });

  it('shadow rules never enforce, but count and report their verdict', async () => {
    const before = await proxy.stat('http.inbound_0.0.0.0_8080.rbac.istio_dry_run_allow_shadow_denied');
    const allowedBefore = await proxy.stat(
      'http.inbound_0.0.0.0_8080.rbac.istio_dry_run_allow_shadow_allowed',
    );
    assert.equal((await rawRequest(proxy.port, '/not-public')).status, 200);
    assert.equal((await rawRequest(proxy.port, '/public')).status, 200);
    assert.equal(
      await proxy.stat('http.inbound_0.0.0.0_8080.rbac.istio_dry_run_allow_shadow_denied'),
      before + 1,
    );
    assert.equal(
      await proxy.stat('http.inbound_0.0.0.0_8080.rbac.istio_dry_run_allow_shadow_allowed'),
      allowedBefore + 1,
    );
  });
});
