// The secret store's HTTP API: create, list (no private keys), read, replace, delete, each refusal with its
// HEDDLE_SECRET_* code; and every change is pushed to the gateway that names the credential, over SDS.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTestPki, type KeyPair, type TestPki } from '@heddle/testkit';
import { translateProxy } from '@heddle/translate';
import { SECRET_TYPE_URL, SecretSchema, unpackAnyAs } from '@heddle/xds';
import type { ControlPlane } from '../../src/index.ts';
import { SotwClient } from '../support/ads-client.ts';
import { apiUrl, applyYamlText, startTestControlPlane } from '../support/test-control-plane.ts';

const GATEWAY = `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: shop, namespace: istio-system }
spec:
  selector: { istio: ingressgateway }
  servers:
    - port: { number: 443, name: https, protocol: HTTPS }
      hosts: [shop.example.com]
      tls: { mode: SIMPLE, credentialName: shop-cert }
`;

const gatewayNode = {
  id: 'router~10.0.0.9~ingress.istio-system~istio-system.svc.cluster.local',
  metadata: { NAMESPACE: 'istio-system', LABELS: { istio: 'ingressgateway' }, ISTIO_VERSION: '1.24.0' },
};

interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

describe('secrets API', { timeout: 60_000 }, () => {
  let pki: TestPki;
  let first: KeyPair;
  let second: KeyPair;
  let dataDir: string;
  let cp: ControlPlane;

  before(async () => {
    pki = createTestPki('secrets-api');
    pki.ca('root');
    first = pki.issue('first', 'root', 'DNS:shop.example.com');
    second = pki.issue('second', 'root', 'DNS:shop.example.com');
    dataDir = await mkdtemp(join(tmpdir(), 'heddle-secrets-api-'));
    cp = await startTestControlPlane({ dataDir, translate: translateProxy });
  });

  after(async () => {
    await cp.close();
    pki.remove();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function call(method: string, path: string, body?: unknown): Promise<Answer> {
    const response = await fetch(apiUrl(cp, path), {
      method,
      ...(body !== undefined
        ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }
        : {}),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  it('creates (201), refuses a second create (409), replaces with overwrite (200), reads, lists and deletes', async () => {
    const input = {
      name: 'api-cert',
      namespace: 'shop',
      certificateChain: first.cert,
      privateKey: first.key,
    };
    const created = await call('POST', '/apis/v1/secrets', input);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.created, true);
    const again = await call('POST', '/apis/v1/secrets', input);
    assert.equal(again.status, 409);
    assert.equal(again.body.code, 'HEDDLE_SECRET_EXISTS');
    const replaced = await call('POST', '/apis/v1/secrets?overwrite=true', {
      ...input,
      certificateChain: second.cert,
      privateKey: second.key,
    });
    assert.equal(replaced.status, 200);
    assert.equal(replaced.body.created, false);

    const one = await call('GET', '/apis/v1/secrets/shop/api-cert');
    assert.equal(one.status, 200);
    assert.equal((one.body.certificate as { subject: string }).subject, 'CN=second');
    const listing = await call('GET', '/apis/v1/secrets?namespace=shop');
    assert.deepEqual(
      (listing.body.items as { name: string }[]).map((item) => item.name),
      ['api-cert'],
    );
    assert.doesNotMatch(JSON.stringify(listing.body), /PRIVATE KEY/);

    const deleted = await call('DELETE', '/apis/v1/secrets/shop/api-cert');
    assert.equal(deleted.status, 200);
    const gone = await call('GET', '/apis/v1/secrets/shop/api-cert');
    assert.equal(gone.status, 404);
    assert.equal(gone.body.code, 'HEDDLE_SECRET_NOT_FOUND');
    assert.equal((await call('DELETE', '/apis/v1/secrets/shop/api-cert')).status, 404);
  });

  it('answers 400 with the code of what is wrong', async () => {
    const cases: [unknown, string][] = [
      [{ name: 'x', certificateChain: first.cert, privateKey: second.key }, 'HEDDLE_SECRET_KEY_MISMATCH'],
      [{ name: 'x', certificateChain: 'garbage', privateKey: first.key }, 'HEDDLE_SECRET_PEM_INVALID'],
      [{ name: 'x', caCertificate: first.cert }, 'HEDDLE_SECRET_NOT_A_CA'],
      [{ name: 'x', certificateChain: first.cert }, 'HEDDLE_SECRET_INVALID'],
      [{ name: 'x', cert: first.cert }, 'HEDDLE_SECRET_INVALID'],
      [{ name: 'UPPER', caCertificate: first.cert }, 'HEDDLE_SECRET_INVALID'],
      ['not an object', 'HEDDLE_SECRET_INVALID'],
    ];
    for (const [body, code] of cases) {
      const answer = await call('POST', '/apis/v1/secrets', body);
      assert.equal(answer.status, 400, JSON.stringify(body));
      assert.equal(answer.body.code, code, String(answer.body.message));
    }
    assert.equal((await call('GET', '/apis/v1/secrets/Bad_NS/x')).status, 400);
  });

  it('pushes the credential to the gateway that names it, again on rotation, and withdraws it on delete', async () => {
    const applied = await applyYamlText(cp, GATEWAY);
    assert.equal(applied.status, 200, JSON.stringify(applied.body));
    await cp.idle();
    const client = new SotwClient(cp.xdsPort);
    try {
      client.send({ node: gatewayNode, typeUrl: SECRET_TYPE_URL, resourceNames: ['kubernetes://shop-cert'] });
      const certificateIn = async (): Promise<string | undefined> => {
        const response = await client.next(10_000);
        client.send({
          typeUrl: SECRET_TYPE_URL,
          versionInfo: response.versionInfo,
          responseNonce: response.nonce,
          resourceNames: ['kubernetes://shop-cert'],
        });
        const secret = response.resources
          .map((any) => unpackAnyAs(any, SecretSchema))
          .find((s) => s?.name === 'kubernetes://shop-cert');
        return secret?.type.case === 'tlsCertificate'
          ? (secret.type.value.certificateChain?.specifier.value as string)
          : undefined;
      };
      assert.equal(await certificateIn(), undefined, 'no secret before it is stored');
      const body = { name: 'shop-cert', certificateChain: first.cert, privateKey: first.key };
      assert.equal((await call('POST', '/apis/v1/secrets', body)).status, 201);
      assert.equal((await certificateIn())?.trim(), first.cert.trim());
      const rotated = { ...body, certificateChain: second.cert, privateKey: second.key };
      assert.equal((await call('POST', '/apis/v1/secrets?overwrite=true', rotated)).status, 200);
      assert.equal((await certificateIn())?.trim(), second.cert.trim());
      assert.equal((await call('DELETE', '/apis/v1/secrets/istio-system/shop-cert')).status, 200);
      assert.equal(await certificateIn(), undefined);
    } finally {
      client.close();
    }
  });
});
