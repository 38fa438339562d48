// A request that cannot be decoded, or is malformed, closes its own stream with INVALID_ARGUMENT; other
// streams keep being served.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  credentials,
  makeGenericClientConstructor,
  status,
  type Client,
  type ClientDuplexStream,
  type StatusObject,
} from '@grpc/grpc-js';
import { CLUSTER_TYPE_URL, aggregatedDiscoveryServiceDefinition } from '@heddle/xds';
import type { ControlPlane } from '../../src/index.ts';
import { SotwClient, sidecarXdsNode } from '../support/ads-client.ts';
import { MessageQueue } from '../support/message-queue.ts';
import { applyYamlText, serviceEntryYaml, startTestControlPlane } from '../support/test-control-plane.ts';

/** A client of the same method that writes raw bytes, so it can send what no DiscoveryRequest encodes to. */
function rawStream(port: number): {
  call: ClientDuplexStream<Buffer, Buffer>;
  client: Client;
  statuses: MessageQueue<StatusObject>;
} {
  const method = aggregatedDiscoveryServiceDefinition.streamAggregatedResources;
  const RawClient = makeGenericClientConstructor(
    {
      streamAggregatedResources: {
        path: method.path,
        requestStream: true,
        responseStream: true,
        requestSerialize: (bytes: Buffer) => bytes,
        requestDeserialize: (bytes: Buffer) => bytes,
        responseSerialize: (bytes: Buffer) => bytes,
        responseDeserialize: (bytes: Buffer) => bytes,
      },
    },
    'RawAds',
  );
  const client = new RawClient(`127.0.0.1:${port}`, credentials.createInsecure());
  const call = (
    client as unknown as { streamAggregatedResources(): ClientDuplexStream<Buffer, Buffer> }
  ).streamAggregatedResources();
  const statuses = new MessageQueue<StatusObject>();
  call.on('status', (s: StatusObject) => statuses.push(s));
  call.on('error', () => {});
  call.on('data', () => {});
  return { call, client, statuses };
}

describe('malformed ADS requests', { timeout: 20_000 }, () => {
  let cp: ControlPlane;
  let bystander: SotwClient;

  before(async () => {
    cp = await startTestControlPlane();
    bystander = new SotwClient(cp.xdsPort);
    bystander.send({ node: sidecarXdsNode('bystander', 'shop'), typeUrl: CLUSTER_TYPE_URL });
    await bystander.next();
  });
  after(async () => {
    bystander.close();
    await cp.close();
  });

  it('closes a stream that sends bytes which are not a DiscoveryRequest, and only that stream', async () => {
    const raw = rawStream(cp.xdsPort);
    // Field 1 (node) claims 127 bytes that never come.
    raw.call.write(Buffer.from([0x0a, 0x7f, 0x01]));
    const closed = await raw.statuses.next();
    raw.client.close();
    assert.equal(closed.code, status.INVALID_ARGUMENT);
    assert.match(closed.details, /HEDDLE_XDS_INVALID_REQUEST: cannot decode/);

    assert.equal((await applyYamlText(cp, serviceEntryYaml('after-garbage', 'shop'))).status, 200);
    const pushed = await bystander.next();
    assert.equal(pushed.typeUrl, CLUSTER_TYPE_URL, 'the other stream is still served');
  });

  it('closes a stream whose request names an unknown type URL', async () => {
    const client = new SotwClient(cp.xdsPort);
    client.send({
      node: sidecarXdsNode('odd', 'shop'),
      typeUrl: 'type.googleapis.com/envoy.config.cluster.v2.Cluster',
    });
    const closed = await client.status();
    client.close();
    assert.equal(closed.code, status.INVALID_ARGUMENT);
    assert.match(closed.details, /unknown type URL/);
  });

  it('closes a stream whose first request has no node', async () => {
    const client = new SotwClient(cp.xdsPort);
    client.send({ typeUrl: CLUSTER_TYPE_URL });
    const closed = await client.status();
    client.close();
    assert.equal(closed.code, status.INVALID_ARGUMENT);
    assert.match(closed.details, /node\.id/);
  });

  it('closes a stream whose node metadata is malformed, naming the key', async () => {
    const client = new SotwClient(cp.xdsPort);
    client.send({
      node: { id: 'sidecar~10.0.0.9~x.shop~shop.svc.cluster.local', metadata: { HEDDLE_CAPTURE: 'magic' } },
      typeUrl: CLUSTER_TYPE_URL,
    });
    const closed = await client.status();
    client.close();
    assert.equal(closed.code, status.INVALID_ARGUMENT);
    assert.match(closed.details, /HEDDLE_XDS_INVALID_NODE: HEDDLE_CAPTURE/);
  });
});
