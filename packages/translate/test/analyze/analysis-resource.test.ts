// The resource model the analyzers read: the same fields from a validated file document and from a stored
// resource, with Istio's default namespace when none is written.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateText } from '@heddle/api';
import { fromStoredResource, fromValidatedResource } from '../../src/index.ts';

const YAML = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: product
  labels: { team: shop, tier: 2 }
spec:
  host: product
`;

describe('analysis resources', () => {
  it('reads a validated document with its file and line, in namespace "default" when none is set', () => {
    const [validated] = validateText([{ name: 'rules.yaml', text: YAML }]).resources;
    assert.ok(validated);
    assert.deepEqual(fromValidatedResource(validated), {
      kind: 'DestinationRule',
      apiVersion: 'networking.istio.io/v1',
      name: 'product',
      namespace: 'default',
      labels: { team: 'shop' },
      spec: { host: 'product' },
      file: 'rules.yaml',
      line: 1,
    });
  });

  it('reads a stored resource without a location, tolerating missing metadata and spec', () => {
    assert.deepEqual(
      fromStoredResource({
        apiVersion: 'security.istio.io/v1',
        kind: 'AuthorizationPolicy',
        metadata: { name: 'deny', namespace: 'shop', labels: { app: 'x' } },
        spec: { action: 'DENY' },
      }),
      {
        kind: 'AuthorizationPolicy',
        apiVersion: 'security.istio.io/v1',
        name: 'deny',
        namespace: 'shop',
        labels: { app: 'x' },
        spec: { action: 'DENY' },
      },
    );
    assert.deepEqual(fromStoredResource({ apiVersion: 'v1', kind: 'Service' }), {
      kind: 'Service',
      apiVersion: 'v1',
      name: '',
      namespace: 'default',
      labels: {},
      spec: {},
    });
  });
});
