// The mesh trust bundle goes to every Envoy-style proxy as the SDS secret ROOTCA that its TLS contexts name.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_MESH_CONFIG } from '@heddle/api';
import { emptySnapshot, translateProxy } from '@heddle/translate';
import { gatewayNode, sidecarNode } from '@heddle/testkit';

const BUNDLE = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'.repeat(2);

describe('trust bundle secret', () => {
  it('is ROOTCA with the bundle inline as the trusted CA, for sidecars and gateways', () => {
    const snapshot = { ...emptySnapshot(DEFAULT_MESH_CONFIG), trustBundle: BUNDLE };
    for (const node of [sidecarNode(), gatewayNode()]) {
      const { secrets } = translateProxy(snapshot, node);
      assert.equal(secrets.length, 1);
      const [secret] = secrets;
      assert.equal(secret?.name, 'ROOTCA');
      assert.equal(secret.type.case, 'validationContext');
      assert.deepEqual(secret.type.value.trustedCa?.specifier, { case: 'inlineString', value: BUNDLE });
    }
  });

  it('is absent when the snapshot has no bundle (no CA in the control plane)', () => {
    assert.deepEqual(translateProxy(emptySnapshot(DEFAULT_MESH_CONFIG), sidecarNode()).secrets, []);
  });
});
