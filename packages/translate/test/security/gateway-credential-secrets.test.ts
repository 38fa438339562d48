// Gateway credentials from the local secret store reach the gateways that name them as inline SDS secrets,
// under Istio's names, and servers whose material is incomplete are left out with a warning.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Secret } from '@heddle/xds/gen/envoy/extensions/transport_sockets/tls/v3/secret_pb.ts';
import { gatewayNode, sidecarNode, snapshotFromYaml } from '@heddle/testkit';
import { translateProxy, type CredentialMaterial, type MeshSnapshot } from '@heddle/translate';
import { DownstreamTlsContextSchema } from '@heddle/xds/gen/envoy/extensions/transport_sockets/tls/v3/tls_pb.ts';
import { unpackAnyAs } from '@heddle/xds';

const CERT = (name: string): string => `-----BEGIN CERTIFICATE-----\n${name}\n-----END CERTIFICATE-----\n`;
const KEY = (name: string): string => `-----BEGIN PRIVATE KEY-----\n${name}\n-----END PRIVATE KEY-----\n`;

function withStore(yaml: string, store: Record<string, CredentialMaterial>): MeshSnapshot {
  const snapshot = snapshotFromYaml(yaml, { credentials: Object.keys(store) });
  return { ...snapshot, credentialMaterial: new Map(Object.entries(store)) };
}

function gateway(servers: string): string {
  return `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: edge, namespace: istio-system }
spec:
  selector: { istio: ingressgateway }
  servers:${servers}
`;
}

const SIMPLE_SHOP = `
    - port: { number: 443, name: https-shop, protocol: HTTPS }
      hosts: [shop.example.com]
      tls: { mode: SIMPLE, credentialName: shop-cert }`;

const tls = { certificateChain: CERT('shop'), privateKey: KEY('shop') };

function inline(secret: Secret | undefined): Record<string, string | undefined> {
  assert.ok(secret, 'secret expected');
  if (secret.type.case === 'tlsCertificate') {
    const { certificateChain, privateKey } = secret.type.value;
    return {
      chain: certificateChain?.specifier.value as string | undefined,
      key: privateKey?.specifier.value as string | undefined,
    };
  }
  assert.equal(secret.type.case, 'validationContext');
  return { ca: secret.type.value.trustedCa?.specifier.value as string | undefined };
}

function validationSecretOf(snapshot: MeshSnapshot): string | undefined {
  const listener = translateProxy(snapshot, gatewayNode()).listeners[0];
  const socket = listener?.filterChains[0]?.transportSocket;
  if (socket?.configType.case !== 'typedConfig') return undefined;
  const context = unpackAnyAs(socket.configType.value, DownstreamTlsContextSchema);
  const validation = context?.commonTlsContext?.validationContextType;
  return validation?.case === 'combinedValidationContext'
    ? validation.value.validationContextSdsSecretConfig?.name
    : undefined;
}

describe('gateway credential secrets', () => {
  it('sends a SIMPLE server its certificate and key inline as kubernetes://<credentialName>', () => {
    const snapshot = withStore(gateway(SIMPLE_SHOP), { 'istio-system/shop-cert': tls });
    const output = translateProxy(snapshot, gatewayNode());
    assert.deepEqual(
      output.secrets.map((s) => s.name),
      ['kubernetes://shop-cert'],
    );
    assert.deepEqual(inline(output.secrets[0]), { chain: CERT('shop'), key: KEY('shop') });
    assert.deepEqual(output.warnings, []);
  });

  it('sends only the credentials the gateway names, and nothing to sidecars', () => {
    const snapshot = withStore(gateway(SIMPLE_SHOP), {
      'istio-system/shop-cert': tls,
      'istio-system/unused': { certificateChain: CERT('unused'), privateKey: KEY('unused') },
      'default/shop-cert': { certificateChain: CERT('other'), privateKey: KEY('other') },
    });
    assert.deepEqual(
      translateProxy(snapshot, gatewayNode()).secrets.map((s) => s.name),
      ['kubernetes://shop-cert'],
    );
    assert.deepEqual(translateProxy(snapshot, sidecarNode()).secrets, []);
  });

  it('reads credentials in the gateway workload namespace, as Istio does', () => {
    const snapshot = withStore(gateway(SIMPLE_SHOP), { 'default/shop-cert': tls });
    const output = translateProxy(snapshot, gatewayNode());
    assert.deepEqual(output.secrets, []);
    assert.deepEqual(output.listeners, []);
    assert.match(output.warnings[0]?.message ?? '', /istio-system\/shop-cert not found/);
  });

  it('sends one certificate per SNI host when two servers share a port', () => {
    const snapshot = withStore(
      gateway(`${SIMPLE_SHOP}
    - port: { number: 443, name: https-api, protocol: HTTPS }
      hosts: [api.example.com]
      tls: { mode: SIMPLE, credentialName: api-cert }`),
      {
        'istio-system/shop-cert': tls,
        'istio-system/api-cert': { certificateChain: CERT('api'), privateKey: KEY('api') },
      },
    );
    const output = translateProxy(snapshot, gatewayNode());
    assert.deepEqual(
      output.secrets.map((s) => s.name),
      ['kubernetes://api-cert', 'kubernetes://shop-cert'],
    );
    assert.deepEqual(
      output.listeners[0]?.filterChains.map((c) => c.filterChainMatch?.serverNames),
      [['shop.example.com'], ['api.example.com']],
    );
  });

  const MUTUAL = `
    - port: { number: 8443, name: https-partners, protocol: HTTPS }
      hosts: [partners.example.com]
      tls: { mode: MUTUAL, credentialName: partner-cert }`;

  it('MUTUAL: the credential`s own ca.crt becomes kubernetes://<name>-cacert', () => {
    const snapshot = withStore(gateway(MUTUAL), {
      'istio-system/partner-cert': { ...tls, caCertificate: CERT('client-ca') },
    });
    const output = translateProxy(snapshot, gatewayNode());
    assert.deepEqual(
      output.secrets.map((s) => s.name),
      ['kubernetes://partner-cert', 'kubernetes://partner-cert-cacert'],
    );
    assert.deepEqual(inline(output.secrets[1]), { ca: CERT('client-ca') });
    assert.equal(validationSecretOf(snapshot), 'kubernetes://partner-cert-cacert');
  });

  it('MUTUAL: a separate <name>-cacert secret holds the client CA, as Istio also accepts', () => {
    const snapshot = withStore(gateway(MUTUAL), {
      'istio-system/partner-cert': tls,
      'istio-system/partner-cert-cacert': { caCertificate: CERT('separate-ca') },
    });
    const output = translateProxy(snapshot, gatewayNode());
    assert.deepEqual(inline(output.secrets.find((s) => s.name === 'kubernetes://partner-cert-cacert')), {
      ca: CERT('separate-ca'),
    });
    assert.equal(validationSecretOf(snapshot), 'kubernetes://partner-cert-cacert');
  });

  it('MUTUAL: caCertCredentialName names the CA secret', () => {
    const snapshot = withStore(
      gateway(`
    - port: { number: 8443, name: https-partners, protocol: HTTPS }
      hosts: [partners.example.com]
      tls: { mode: MUTUAL, credentialName: partner-cert, caCertCredentialName: partner-ca }`),
      { 'istio-system/partner-cert': tls, 'istio-system/partner-ca': { caCertificate: CERT('named-ca') } },
    );
    const output = translateProxy(snapshot, gatewayNode());
    assert.deepEqual(inline(output.secrets.find((s) => s.name === 'kubernetes://partner-ca')), {
      ca: CERT('named-ca'),
    });
    assert.equal(validationSecretOf(snapshot), 'kubernetes://partner-ca');
  });

  it('MUTUAL without any client CA in the store: the server is not served, with a warning', () => {
    const snapshot = withStore(gateway(MUTUAL), { 'istio-system/partner-cert': tls });
    const output = translateProxy(snapshot, gatewayNode());
    assert.deepEqual(output.listeners, []);
    assert.deepEqual(
      output.warnings.map((w) => w.code),
      ['HEDDLE_TRANSLATE_CREDENTIAL_MISSING'],
    );
    assert.match(output.warnings[0]?.message ?? '', /MUTUAL needs CA certificates/);
  });

  it('a CA-only secret named as credentialName is no server certificate: the server is not served', () => {
    const snapshot = withStore(gateway(SIMPLE_SHOP), {
      'istio-system/shop-cert': { caCertificate: CERT('ca') },
    });
    const output = translateProxy(snapshot, gatewayNode());
    assert.deepEqual(output.listeners, []);
    assert.deepEqual(output.secrets, []);
    assert.deepEqual(
      output.warnings.map((w) => w.code),
      ['HEDDLE_TRANSLATE_CREDENTIAL_MISSING'],
    );
  });

  it('PASSTHROUGH and ISTIO_MUTUAL servers need no credential secrets', () => {
    const snapshot = withStore(
      gateway(`
    - port: { number: 443, name: tls, protocol: TLS }
      hosts: [db.example.com]
      tls: { mode: PASSTHROUGH }
    - port: { number: 15443, name: mtls, protocol: HTTPS }
      hosts: ["*"]
      tls: { mode: ISTIO_MUTUAL }`),
      { 'istio-system/shop-cert': tls },
    );
    assert.deepEqual(translateProxy(snapshot, gatewayNode()).secrets, []);
  });

  it('without material in the snapshot, names alone keep serving as before and no secret is sent', () => {
    const snapshot = snapshotFromYaml(gateway(MUTUAL), { credentials: ['istio-system/partner-cert'] });
    const output = translateProxy(snapshot, gatewayNode());
    assert.deepEqual(output.secrets, []);
    assert.equal(output.listeners.length, 1);
    assert.equal(validationSecretOf(snapshot), 'kubernetes://partner-cert-cacert');
  });
});
