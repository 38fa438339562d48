// gRPC service definitions built from generated descriptors: paths, streaming flags, and binary encoding.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { create, equals, toBinary } from '@bufbuild/protobuf';
import { ClientStatusDiscoveryService } from '../src/gen/envoy/service/status/v3/csds_pb.ts';
import {
  CLUSTER_TYPE_URL,
  ClusterSchema,
  DiscoveryRequestSchema,
  DiscoveryResponseSchema,
  aggregatedDiscoveryServiceDefinition,
  grpcServiceDefinition,
  outboundClusterName,
  packAny,
  unpackAnyAs,
} from '../src/index.ts';

const ads = aggregatedDiscoveryServiceDefinition;

describe('ADS service definition', () => {
  it('has both ADS methods as bidirectional streams at their gRPC paths', () => {
    assert.deepEqual(Object.keys(ads).sort(), ['deltaAggregatedResources', 'streamAggregatedResources']);
    assert.equal(
      ads.streamAggregatedResources.path,
      '/envoy.service.discovery.v3.AggregatedDiscoveryService/StreamAggregatedResources',
    );
    assert.equal(
      ads.deltaAggregatedResources.path,
      '/envoy.service.discovery.v3.AggregatedDiscoveryService/DeltaAggregatedResources',
    );
    assert.equal(ads.streamAggregatedResources.originalName, 'StreamAggregatedResources');
    for (const method of Object.values(ads)) {
      assert.equal(method.requestStream, true);
      assert.equal(method.responseStream, true);
    }
  });

  it('serializes a DiscoveryRequest in protobuf binary and back', () => {
    const request = create(DiscoveryRequestSchema, {
      versionInfo: '1',
      node: { id: 'sidecar~10.0.0.1~product-v1.default~default.svc.cluster.local', cluster: 'product' },
      resourceNames: ['outbound|9080||reviews.default.svc.cluster.local'],
      typeUrl: CLUSTER_TYPE_URL,
      responseNonce: 'n1',
    });
    const bytes = ads.streamAggregatedResources.requestSerialize(request);
    assert.ok(Buffer.isBuffer(bytes));
    assert.deepEqual(new Uint8Array(bytes), toBinary(DiscoveryRequestSchema, request));
    assert.ok(
      equals(DiscoveryRequestSchema, ads.streamAggregatedResources.requestDeserialize(bytes), request),
    );
  });

  it('serializes a DiscoveryResponse with packed resources in protobuf binary and back', () => {
    const name = outboundClusterName(9080, '', 'reviews.default.svc.cluster.local');
    const response = create(DiscoveryResponseSchema, {
      versionInfo: '7',
      nonce: 'n2',
      typeUrl: CLUSTER_TYPE_URL,
      resources: [packAny(ClusterSchema, { name })],
    });
    const bytes = ads.streamAggregatedResources.responseSerialize(response);
    const decoded = ads.streamAggregatedResources.responseDeserialize(bytes);
    assert.ok(equals(DiscoveryResponseSchema, decoded, response));
    const [resource] = decoded.resources;
    assert.ok(resource);
    assert.equal(unpackAnyAs(resource, ClusterSchema)?.name, name);
  });

  it('fails to deserialize bytes that are not a DiscoveryRequest', () => {
    assert.throws(() => ads.streamAggregatedResources.requestDeserialize(Buffer.from([0xff, 0xff, 0xff])));
  });
});

describe('grpcServiceDefinition', () => {
  it('marks unary and streaming methods of any generated service', () => {
    const csds = grpcServiceDefinition(ClientStatusDiscoveryService);
    assert.equal(
      csds.fetchClientStatus.path,
      '/envoy.service.status.v3.ClientStatusDiscoveryService/FetchClientStatus',
    );
    assert.deepEqual(
      [csds.fetchClientStatus.requestStream, csds.fetchClientStatus.responseStream],
      [false, false],
    );
    assert.deepEqual(
      [csds.streamClientStatus.requestStream, csds.streamClientStatus.responseStream],
      [true, true],
    );
  });
});
