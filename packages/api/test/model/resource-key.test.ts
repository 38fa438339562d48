// Resource keys: `Kind/namespace/name`, built from parts or objects and parsed back.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseResourceKey, resourceKey, resourceKeyOf } from '../../src/index.ts';
import type { Namespace, ResourceOfKind } from '../../src/index.ts';

describe('resource keys', () => {
  it('joins kind, namespace and name with slashes', () => {
    assert.equal(resourceKey('VirtualService', 'default', 'reviews'), 'VirtualService/default/reviews');
  });

  it('keys a resource object by its kind and metadata', () => {
    const gateway: ResourceOfKind<'Gateway'> = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'Gateway',
      metadata: { name: 'public', namespace: 'istio-system' },
      spec: { selector: { istio: 'ingressgateway' } },
    };
    assert.equal(resourceKeyOf(gateway), 'Gateway/istio-system/public');
  });

  it('leaves the namespace empty for cluster-scoped kinds', () => {
    const namespace: Namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } };
    assert.equal(resourceKeyOf(namespace), 'Namespace//shop');
  });

  it('parses a key back into its parts', () => {
    assert.deepEqual(parseResourceKey('DestinationRule/default/reviews'), {
      kind: 'DestinationRule',
      namespace: 'default',
      name: 'reviews',
    });
    assert.deepEqual(parseResourceKey('Namespace//shop'), { kind: 'Namespace', namespace: '', name: 'shop' });
  });

  it('refuses strings that are not Kind/namespace/name', () => {
    for (const bad of ['', 'Gateway', 'Gateway/default', 'a/b/c/d', '/default/x', 'Gateway/default/']) {
      assert.equal(parseResourceKey(bad), undefined, bad);
    }
  });
});
