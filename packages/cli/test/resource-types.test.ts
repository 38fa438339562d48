// The resource type names get and delete accept: every kind Heddle reads, under kubectl's names for it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KINDS } from '@heddle/api';
import {
  findResourceType,
  qualifiedPluralName,
  qualifiedTypeName,
  RESOURCE_TYPES,
} from '../src/resources/resource-types.ts';

describe('resource types', () => {
  it('covers every kind Heddle reads', () => {
    assert.deepEqual(
      RESOURCE_TYPES.map((type) => type.kind),
      KINDS.map((info) => info.kind),
    );
  });

  it('finds a type by plural, singular, Kind, short name and group-qualified name, in any case', () => {
    for (const word of [
      'virtualservices',
      'virtualservice',
      'VirtualService',
      'VS',
      'virtualservices.networking.istio.io',
      'virtualservice.networking.istio.io',
    ]) {
      assert.equal(findResourceType(word)?.kind, 'VirtualService', word);
    }
    const expected: Record<string, string> = {
      dr: 'DestinationRule',
      gw: 'Gateway',
      se: 'ServiceEntry',
      we: 'WorkloadEntry',
      sidecars: 'Sidecar',
      pa: 'PeerAuthentication',
      ap: 'AuthorizationPolicy',
      authorizationpolicies: 'AuthorizationPolicy',
      ra: 'RequestAuthentication',
      telemetries: 'Telemetry',
      envoyfilters: 'EnvoyFilter',
      wasmplugins: 'WasmPlugin',
      svc: 'Service',
      cm: 'ConfigMap',
      serviceentries: 'ServiceEntry',
    };
    for (const [word, kind] of Object.entries(expected))
      assert.equal(findResourceType(word)?.kind, kind, word);
    assert.equal(findResourceType('virtualservise'), undefined);
  });

  it('names types as kubectl prints them', () => {
    assert.equal(qualifiedTypeName('VirtualService'), 'virtualservice.networking.istio.io');
    assert.equal(qualifiedTypeName('Service'), 'service');
    assert.equal(qualifiedTypeName('Deployment'), 'deployment.apps');
    const policies = findResourceType('ap');
    assert.ok(policies);
    assert.equal(qualifiedPluralName(policies), 'authorizationpolicies.security.istio.io');
    assert.equal(findResourceType('namespaces')?.clusterScoped, true);
  });
});
