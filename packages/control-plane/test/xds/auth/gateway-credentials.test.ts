// Gateway credentials (SDS `kubernetes://<credentialName>`, certificate and private key) reach only a stream whose
// token proves an identity in the secret's namespace: real CA, real translator, real secret store, real gRPC.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestPki, type KeyPair, type TestPki } from '@heddle/testkit';
import { SECRET_TYPE_URL, SecretSchema, unpackAnyAs } from '@heddle/xds';
import type { ControlPlane } from '../../../src/index.ts';
import { AuthStream, sotwRequest, startAuthPlane, xdsNode, type AuthPlane } from './auth-test-kit.ts';

const CREDENTIAL = 'kubernetes://shop-cert';
const GATEWAY_LABELS = { istio: 'ingressgateway' };

const GATEWAY = `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: shop, namespace: shop }
spec:
  selector: { istio: ingressgateway }
  servers:
    - port: { number: 443, name: https, protocol: HTTPS }
      hosts: [shop.example.com]
      tls: { mode: SIMPLE, credentialName: shop-cert }
`;

const SHOP_GATEWAY = xdsNode('router', 'shop-gateway', 'shop', 'shop-gateway', GATEWAY_LABELS);

async function applyYaml(cp: ControlPlane, yaml: string): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${cp.httpPort}/apis/v1/apply`, {
    method: 'POST',
    headers: { 'content-type': 'application/yaml' },
    body: yaml,
  });
  assert.equal(response.status, 200, await response.text());
}

interface SecretsSeen {
  readonly names: string[];
  readonly privateKey?: string;
}

/** Asks for the credential (and ROOTCA) over SDS and returns what the first answer carries. */
async function askForCredential(
  plane: AuthPlane,
  node: ReturnType<typeof xdsNode>,
  authorization?: string,
): Promise<SecretsSeen> {
  const stream = AuthStream.sotw(plane.cp.xdsPort, authorization);
  try {
    stream.write(sotwRequest({ node, typeUrl: SECRET_TYPE_URL, resourceNames: [CREDENTIAL, 'ROOTCA'] }));
    const response = await stream.next(10_000);
    const secrets = response.resources.map((any) => unpackAnyAs(any, SecretSchema));
    const credential = secrets.find((secret) => secret?.name === CREDENTIAL);
    const key =
      credential?.type.case === 'tlsCertificate'
        ? (credential.type.value.privateKey?.specifier.value as string | undefined)
        : undefined;
    return {
      names: secrets.flatMap((secret) => (secret ? [secret.name] : [])).sort(),
      ...(key !== undefined ? { privateKey: key } : {}),
    };
  } finally {
    stream.close();
  }
}

describe('gateway credentials over SDS', { timeout: 60_000 }, () => {
  let pki: TestPki;
  let certificate: KeyPair;
  let plane: AuthPlane;
  let relaxed: AuthPlane;

  before(async () => {
    pki = createTestPki('xds-auth-credentials');
    pki.ca('root');
    certificate = pki.issue('shop', 'root', 'DNS:shop.example.com');
    plane = await startAuthPlane();
    relaxed = await startAuthPlane({ xdsAuth: 'loopback-exempt' });
    for (const { cp } of [plane, relaxed]) {
      await cp.secrets.put({
        namespace: 'shop',
        name: 'shop-cert',
        certificateChain: certificate.cert,
        privateKey: certificate.key,
      });
      await applyYaml(cp, GATEWAY);
      await cp.idle();
    }
  });
  after(async () => {
    await plane?.close();
    await relaxed?.close();
    pki?.remove();
  });

  it('serves the certificate and key to the gateway whose token is in the secret’s namespace', async () => {
    const seen = await askForCredential(
      plane,
      SHOP_GATEWAY,
      `Bearer ${await plane.token('shop', 'shop-gateway')}`,
    );
    assert.deepEqual(seen.names, ['ROOTCA', CREDENTIAL]);
    assert.equal(seen.privateKey?.trim(), certificate.key.trim());
  });

  it('does not give another namespace’s credential to a sidecar asking for it by name', async () => {
    const sidecar = xdsNode('sidecar', 'checkout', 'payments', 'checkout');
    const seen = await askForCredential(
      plane,
      sidecar,
      `Bearer ${await plane.token('payments', 'checkout')}`,
    );
    assert.deepEqual(seen.names, ['ROOTCA']);
    assert.equal(seen.privateKey, undefined);
  });

  it('does not give it to a gateway of another namespace selected by the same Gateway', async () => {
    const elsewhere = xdsNode('router', 'edge', 'payments', 'edge', GATEWAY_LABELS);
    const seen = await askForCredential(plane, elsewhere, `Bearer ${await plane.token('payments', 'edge')}`);
    assert.deepEqual(seen.names, ['ROOTCA']);
  });

  it('under loopback-exempt, withholds it from a gateway without a token, and logs that', async () => {
    const seen = await askForCredential(relaxed, SHOP_GATEWAY);
    assert.deepEqual(seen.names, ['ROOTCA'], 'config and the trust bundle, never the key');
    const logged = relaxed.logger.lines.find((line) => line.fields.code === 'HEDDLE_XDS_CREDENTIAL_WITHHELD');
    assert.ok(logged, 'the withheld secret is logged');
    assert.equal(logged.fields.secret, CREDENTIAL);
    assert.equal(logged.fields.proxy, SHOP_GATEWAY.id);
    assert.equal(logged.fields.admittedBy, 'loopback');
  });

  it('under loopback-exempt, serves it to the same gateway once it presents its token', async () => {
    const seen = await askForCredential(
      relaxed,
      SHOP_GATEWAY,
      `Bearer ${await relaxed.token('shop', 'shop-gateway')}`,
    );
    assert.deepEqual(seen.names, ['ROOTCA', CREDENTIAL]);
    assert.equal(seen.privateKey?.trim(), certificate.key.trim());
  });
});
