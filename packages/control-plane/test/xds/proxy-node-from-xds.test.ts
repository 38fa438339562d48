// The ProxyNode the translator sees, from Istio-style sidecar and router nodes and from bare gRPC clients.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { create } from '@bufbuild/protobuf';
import { NodeSchema } from '@heddle/xds';
import { isControlPlaneError, proxyNodeFromXds } from '../../src/index.ts';

describe('proxyNodeFromXds', () => {
  it('reads role, ip, workload and namespace from an Istio node id', () => {
    const node = proxyNodeFromXds(
      create(NodeSchema, { id: 'sidecar~10.0.0.5~product-v2-1.ecommerce~ecommerce.svc.cluster.local' }),
    );
    assert.equal(node.role, 'sidecar');
    assert.equal(node.namespace, 'ecommerce');
    assert.equal(node.workloadName, 'product-v2-1');
    assert.deepEqual(node.ipAddresses, ['10.0.0.5']);
    assert.equal(node.capture, 'transparent');
    assert.equal(node.serviceAccount, 'default');
  });

  it('lets metadata override the id and reads Heddle keys', () => {
    const node = proxyNodeFromXds(
      create(NodeSchema, {
        id: 'router~10.0.0.100~gw-1.istio-system~istio-system.svc.cluster.local',
        metadata: {
          NAMESPACE: 'edge',
          LABELS: { istio: 'ingressgateway', replicas: 2 },
          SERVICE_ACCOUNT: 'gateway-sa',
          WORKLOAD_NAME: 'ingress',
          INSTANCE_IPS: '10.0.0.100, fd00::1',
          ISTIO_VERSION: '1.24.1',
          HEDDLE_CAPTURE: 'explicit',
          HEDDLE_OUTBOUND_PORT: '15001',
          HEDDLE_APP_PORTS: '9080=19080,9443=19443',
        },
      }),
    );
    assert.equal(node.role, 'router');
    assert.equal(node.namespace, 'edge');
    assert.deepEqual(node.labels, { istio: 'ingressgateway', replicas: '2' });
    assert.equal(node.serviceAccount, 'gateway-sa');
    assert.equal(node.workloadName, 'ingress');
    assert.deepEqual(node.ipAddresses, ['10.0.0.100', 'fd00::1']);
    assert.equal(node.version, '1.24.1');
    assert.equal(node.capture, 'explicit');
    assert.equal(node.outboundPort, 15001);
    assert.deepEqual(node.appPorts, { '9080': 19080, '9443': 19443 });
    assert.equal(node.metadata.LABELS, '{"istio":"ingressgateway","replicas":2}');
  });

  it('treats a proxyless gRPC client with an arbitrary id as a sidecar in default', () => {
    const node = proxyNodeFromXds(
      create(NodeSchema, {
        id: 'frontend-grpc-client',
        metadata: { GENERATOR: 'grpc' },
        userAgentName: 'gRPC Node',
        userAgentVersionType: { case: 'userAgentVersion', value: '1.14.1' },
      }),
    );
    assert.equal(node.role, 'sidecar');
    assert.equal(node.namespace, 'default');
    assert.equal(node.workloadName, 'frontend-grpc-client');
    assert.deepEqual(node.ipAddresses, []);
    assert.equal(node.metadata.GENERATOR, 'grpc');
    assert.equal(node.version, '1.14.1');
  });

  it('refuses malformed Heddle metadata with HEDDLE_XDS_INVALID_NODE', () => {
    const cases: Record<string, string>[] = [
      { HEDDLE_CAPTURE: 'tproxy' },
      { HEDDLE_OUTBOUND_PORT: '70000' },
      { HEDDLE_APP_PORTS: '9080:19080' },
    ];
    for (const metadata of cases) {
      assert.throws(
        () => proxyNodeFromXds(create(NodeSchema, { id: 'x', metadata })),
        (error) => isControlPlaneError(error, 'HEDDLE_XDS_INVALID_NODE'),
      );
    }
  });
});
