// A running control plane fetches the key set a RequestAuthentication names from an issuer on 127.0.0.1 and
// pushes it to the proxy inside the jwt_authn provider; a rotated key set is pushed again.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { translateProxy } from '@heddle/translate';
import { ListenerSchema, LISTENER_TYPE_URL, unpackAnyAs, xdsToJson } from '@heddle/xds';
import type { ControlPlane } from '../../src/index.ts';
import { SotwClient, sidecarXdsNode } from '../support/ads-client.ts';
import { applyYamlText, startTestControlPlane } from '../support/test-control-plane.ts';
import { keySet, startJwksServer, type JwksServer } from './jwks-server.ts';

const node = sidecarXdsNode('orders', 'shop', '10.1.2.3');

function mesh(jwksUri: string): string {
  return `apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: {name: orders-jwt, namespace: shop}
spec:
  selector: {matchLabels: {app: orders}}
  jwtRules:
    - issuer: https://issuer.test
      jwksUri: ${jwksUri}
---
apiVersion: v1
kind: Service
metadata: {name: orders, namespace: shop}
spec:
  selector: {app: orders}
  ports: [{name: http, port: 8080}]
---
apiVersion: networking.istio.io/v1
kind: WorkloadEntry
metadata: {name: orders, namespace: shop}
spec: {address: 10.1.2.3, labels: {app: orders}}
`;
}

describe('JWKS fetched by the control plane', { timeout: 30_000 }, () => {
  let issuer: JwksServer;
  let cp: ControlPlane;
  let client: SotwClient;

  before(async () => {
    issuer = await startJwksServer();
    issuer.answer('/keys', keySet('first-key'));
    cp = await startTestControlPlane({
      translate: translateProxy,
      allowLoopbackJwks: true,
      ca: false,
      jwks: { refreshIntervalMs: 100 },
    });
    const applied = await applyYamlText(cp, mesh(`${issuer.url}/keys`));
    assert.equal(applied.status, 200, JSON.stringify(applied.body));
    await cp.idle();
    client = new SotwClient(cp.xdsPort);
    client.send({ node, typeUrl: LISTENER_TYPE_URL });
  });
  after(async () => {
    client.close();
    await cp.close();
    await issuer.close();
  });

  /** Reads LDS responses (ACKing each) until one carries `kid`. */
  async function waitForKid(kid: string): Promise<void> {
    for (let i = 0; i < 50; i++) {
      const response = await client.next(10_000);
      client.send({
        typeUrl: LISTENER_TYPE_URL,
        versionInfo: response.versionInfo,
        responseNonce: response.nonce,
      });
      const text = JSON.stringify(
        response.resources.map((any) => {
          const listener = unpackAnyAs(any, ListenerSchema);
          return listener ? xdsToJson(ListenerSchema, listener) : null;
        }),
      );
      if (text.includes(kid)) return;
    }
    assert.fail(`no listener update carried ${kid}`);
  }

  it('inlines the fetched key set in the proxy jwt_authn provider', async () => {
    await waitForKid('first-key');
    assert.ok((issuer.hits.get('/keys') ?? 0) >= 1);
  });

  it('pushes a rotated key set on its own, with no config change', async () => {
    issuer.answer('/keys', keySet('second-key'));
    await waitForKid('second-key');
  });
});
