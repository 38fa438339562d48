// Type URL constants name real messages of the registry.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as xds from '../src/index.ts';

const typeUrlConstants = Object.entries(xds).flatMap(([name, value]) =>
  name.endsWith('_TYPE_URL') && typeof value === 'string' ? [[name, value] as const] : [],
);

describe('type URLs', () => {
  it('are exported for every resource and filter config', () => {
    assert.ok(typeUrlConstants.length >= 25, `only ${typeUrlConstants.length} constants`);
  });

  for (const [name, typeUrl] of typeUrlConstants) {
    it(`${name} names a message in the registry`, () => {
      assert.ok(typeUrl.startsWith(xds.TYPE_URL_PREFIX), typeUrl);
      const typeName = typeUrl.slice(xds.TYPE_URL_PREFIX.length);
      assert.equal(xds.xdsRegistry.getMessage(typeName)?.typeName, typeName);
    });
  }

  it('match the schemas of the ADS resources', () => {
    const expected: [string, { typeName: string }][] = [
      [xds.LISTENER_TYPE_URL, xds.ListenerSchema],
      [xds.ROUTE_CONFIGURATION_TYPE_URL, xds.RouteConfigurationSchema],
      [xds.CLUSTER_TYPE_URL, xds.ClusterSchema],
      [xds.CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, xds.ClusterLoadAssignmentSchema],
      [xds.SECRET_TYPE_URL, xds.SecretSchema],
      [xds.HTTP_CONNECTION_MANAGER_TYPE_URL, xds.HttpConnectionManagerSchema],
      [xds.TYPED_STRUCT_TYPE_URL, xds.TypedStructSchema],
    ];
    for (const [typeUrl, schema] of expected)
      assert.equal(typeUrl, `${xds.TYPE_URL_PREFIX}${schema.typeName}`);
    assert.deepEqual(
      new Set(xds.RESOURCE_TYPE_URLS),
      new Set(expected.slice(0, 5).map(([typeUrl]) => typeUrl)),
    );
  });
});
