// End to end on loopback: a @grpc/grpc-js server and client speak ADS through the generated service definition.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { create } from '@bufbuild/protobuf';
import { Server, ServerCredentials, credentials, makeGenericClientConstructor } from '@grpc/grpc-js';
import {
  CLUSTER_TYPE_URL,
  ClusterSchema,
  DeltaDiscoveryRequestSchema,
  DeltaDiscoveryResponseSchema,
  DiscoveryRequestSchema,
  DiscoveryResponseSchema,
  aggregatedDiscoveryServiceDefinition,
  outboundClusterName,
  packAny,
  unpackAnyAs,
} from '../src/index.ts';
import type {
  AggregatedDiscoveryServiceClient,
  AggregatedDiscoveryServiceHandlers,
  DeltaDiscoveryRequest,
  DeltaDiscoveryResponse,
  DiscoveryRequest,
  DiscoveryResponse,
} from '../src/index.ts';

// A tiny control plane: every request is answered with one Cluster per requested name.
const handlers: AggregatedDiscoveryServiceHandlers = {
  streamAggregatedResources(call) {
    let version = 0;
    call.on('data', (request: DiscoveryRequest) => {
      version += 1;
      call.write(
        create(DiscoveryResponseSchema, {
          versionInfo: String(version),
          nonce: `nonce-${version}`,
          typeUrl: request.typeUrl,
          resources: request.resourceNames.map((name) => packAny(ClusterSchema, { name })),
        }),
      );
    });
    call.on('end', () => call.end());
  },
  deltaAggregatedResources(call) {
    call.on('data', (request: DeltaDiscoveryRequest) => {
      call.write(
        create(DeltaDiscoveryResponseSchema, {
          systemVersionInfo: 'delta-1',
          nonce: 'delta-nonce-1',
          typeUrl: request.typeUrl,
          resources: request.resourceNamesSubscribe.map((name) => ({
            name,
            version: '1',
            resource: packAny(ClusterSchema, { name }),
          })),
        }),
      );
    });
    call.on('end', () => call.end());
  },
};

const AdsClient = makeGenericClientConstructor(
  aggregatedDiscoveryServiceDefinition,
  'AggregatedDiscoveryService',
) as unknown as new (
  address: string,
  creds: ReturnType<typeof credentials.createInsecure>,
) => AggregatedDiscoveryServiceClient;

describe('ADS over gRPC on loopback', { timeout: 10_000 }, () => {
  const server = new Server();
  let client: AggregatedDiscoveryServiceClient;
  const reviews = outboundClusterName(9080, '', 'reviews.default.svc.cluster.local');
  const ratings = outboundClusterName(9080, 'v1', 'ratings.default.svc.cluster.local');

  before(async () => {
    server.addService(aggregatedDiscoveryServiceDefinition, handlers);
    const port = await new Promise<number>((resolve, reject) => {
      server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, boundPort) =>
        error ? reject(error) : resolve(boundPort),
      );
    });
    client = new AdsClient(`127.0.0.1:${port}`, credentials.createInsecure());
  });

  after(() => {
    client.close();
    server.forceShutdown();
  });

  it('answers a State-of-the-World DiscoveryRequest with a DiscoveryResponse', async () => {
    const call = client.streamAggregatedResources();
    call.write(
      create(DiscoveryRequestSchema, {
        node: { id: 'sidecar~127.0.0.1~product.default~default.svc.cluster.local' },
        typeUrl: CLUSTER_TYPE_URL,
        resourceNames: [reviews, ratings],
      }),
    );
    const [response] = (await once(call, 'data')) as [DiscoveryResponse];
    assert.equal(response.$typeName, 'envoy.service.discovery.v3.DiscoveryResponse');
    assert.equal(response.versionInfo, '1');
    assert.equal(response.nonce, 'nonce-1');
    assert.equal(response.typeUrl, CLUSTER_TYPE_URL);
    assert.deepEqual(
      response.resources.map((any) => unpackAnyAs(any, ClusterSchema)?.name),
      [reviews, ratings],
    );
    call.end();
    await once(call, 'status');
  });

  it('answers a DeltaDiscoveryRequest with a DeltaDiscoveryResponse', async () => {
    const call = client.deltaAggregatedResources();
    call.write(
      create(DeltaDiscoveryRequestSchema, { typeUrl: CLUSTER_TYPE_URL, resourceNamesSubscribe: [reviews] }),
    );
    const [response] = (await once(call, 'data')) as [DeltaDiscoveryResponse];
    assert.equal(response.$typeName, 'envoy.service.discovery.v3.DeltaDiscoveryResponse');
    assert.equal(response.nonce, 'delta-nonce-1');
    assert.deepEqual(
      response.resources.map((resource) => [
        resource.name,
        resource.resource && unpackAnyAs(resource.resource, ClusterSchema)?.name,
      ]),
      [[reviews, reviews]],
    );
    call.end();
    await once(call, 'status');
  });
});
