// Configuration the proxy does not implement is refused in prepare (the xDS client NACKs it) with an error
// naming the cluster (or load assignment) and the field; nothing of a refused update is applied.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { create } from '@bufbuild/protobuf';
import { anyPack } from '@bufbuild/protobuf/wkt';
import {
  Cluster_DiscoveryType,
  Cluster_LbPolicy,
  Cluster_RingHashLbConfig_HashFunction,
  type Cluster,
} from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import { isPrepareError } from '../../src/config/resource-handler.ts';
import { CLUSTER_TYPE_URL, CLUSTER_LOAD_ASSIGNMENT_TYPE_URL } from '@heddle/xds';
import { TypedStructSchema } from '@heddle/xds/gen/xds/type/v3/typed_struct_pb.ts';
import { assignment, cluster, edsCluster, ports, staticCluster } from './helpers/config.ts';
import { applyClusters, harness, prepareClusters, view } from './helpers/harness.ts';
import { httpOptions } from './helpers/protocol-options.ts';
import { inline, tlsSocket } from './helpers/tls-config.ts';

const unknownAny = anyPack(
  TypedStructSchema,
  create(TypedStructSchema, { typeUrl: 'type.heddle.dev/unknown' }),
);

const CASES: [string, Cluster, RegExp][] = [
  [
    'a custom cluster type (aggregate)',
    cluster({
      name: 'agg',
      clusterDiscoveryType: { case: 'clusterType', value: { name: 'envoy.clusters.aggregate' } },
    }),
    /^cluster 'agg': cluster_type: .*envoy\.clusters\.aggregate/,
  ],
  [
    'subset load balancing',
    edsCluster('sub', { lbSubsetConfig: { subsetSelectors: [{ keys: ['version'] }] } }),
    /^cluster 'sub': lb_subset_config/,
  ],
  [
    'active health checks',
    edsCluster('hc', { healthChecks: [{ timeout: { seconds: 1n } }] }),
    /^cluster 'hc': health_checks/,
  ],
  [
    'ring hash with MURMUR_HASH_2',
    edsCluster('rh', {
      lbPolicy: Cluster_LbPolicy.RING_HASH,
      lbConfig: {
        case: 'ringHashLbConfig',
        value: { hashFunction: Cluster_RingHashLbConfig_HashFunction.MURMUR_HASH_2 },
      },
    }),
    /^cluster 'rh': ring_hash_lb_config\.hash_function/,
  ],
  [
    'a maglev table size that is not prime',
    edsCluster('mg', {
      lbPolicy: Cluster_LbPolicy.MAGLEV,
      lbConfig: { case: 'maglevLbConfig', value: { tableSize: 1000n } },
    }),
    /^cluster 'mg': maglev_lb_config\.table_size/,
  ],
  [
    'CLUSTER_PROVIDED on an EDS cluster',
    edsCluster('cp', { lbPolicy: Cluster_LbPolicy.CLUSTER_PROVIDED }),
    /^cluster 'cp': lb_policy: CLUSTER_PROVIDED/,
  ],
  [
    'ORIGINAL_DST with another LB policy',
    cluster({
      name: 'od',
      clusterDiscoveryType: { case: 'type', value: Cluster_DiscoveryType.ORIGINAL_DST },
    }),
    /^cluster 'od': lb_policy: only CLUSTER_PROVIDED/,
  ],
  [
    'ORIGINAL_DST with a custom header name',
    cluster({
      name: 'od2',
      clusterDiscoveryType: { case: 'type', value: Cluster_DiscoveryType.ORIGINAL_DST },
      lbPolicy: Cluster_LbPolicy.CLUSTER_PROVIDED,
      lbConfig: { case: 'originalDstLbConfig', value: { useHttpHeader: true, httpHeaderName: 'x-target' } },
    }),
    /^cluster 'od2': original_dst_lb_config\.http_header_name/,
  ],
  [
    'a load_balancing_policy with no supported policy',
    edsCluster('lbp', {
      loadBalancingPolicy: { policies: [{ typedExtensionConfig: { name: 'x', typedConfig: unknownAny } }] },
    }),
    /^cluster 'lbp': load_balancing_policy: none of the policies is supported/,
  ],
  [
    'HTTP/3 upstream',
    edsCluster('h3', {
      ...httpOptions({
        upstreamProtocolOptions: {
          case: 'explicitHttpConfig',
          value: { protocolConfig: { case: 'http3ProtocolOptions', value: {} } },
        },
      }),
    }),
    /^cluster 'h3': typed_extension_protocol_options\[.*\]\.explicit_http_config\.http3_protocol_options/,
  ],
  [
    'upstream HTTP filters',
    edsCluster('uf', { ...httpOptions({ httpFilters: [{ name: 'envoy.filters.http.upstream_codec' }] }) }),
    /^cluster 'uf': .*http_filters/,
  ],
  [
    'unknown typed_extension_protocol_options',
    edsCluster('tp', {
      typedExtensionProtocolOptions: { 'envoy.extensions.upstreams.tcp.v3.TcpProtocolOptions': unknownAny },
    }),
    /^cluster 'tp': typed_extension_protocol_options\['envoy\.extensions\.upstreams\.tcp\.v3\.TcpProtocolOptions'\]/,
  ],
  [
    'an unknown transport socket',
    edsCluster('ts', {
      transportSocket: {
        name: 'envoy.transport_sockets.tap',
        configType: { case: 'typedConfig', value: unknownAny },
      },
    }),
    /^cluster 'ts': transport_socket: transport socket .* is not supported/,
  ],
  [
    'SAN matching without a trusted CA',
    edsCluster('san', {
      transportSocket: tlsSocket({
        commonTlsContext: {
          validationContextType: {
            case: 'validationContext',
            value: { matchSubjectAltNames: [{ matchPattern: { case: 'exact', value: 'spiffe://x' } }] },
          },
        },
      }),
    }),
    /^cluster 'san': transport_socket\.typed_config\.common_tls_context\.validation_context: SAN matching without a trusted CA/,
  ],
  [
    'certificate pinning (verify_certificate_hash)',
    edsCluster('pin', {
      transportSocket: tlsSocket({
        commonTlsContext: {
          validationContextType: {
            case: 'validationContext',
            value: { trustedCa: inline('x'), verifyCertificateHash: ['ab'] },
          },
        },
      }),
    }),
    /^cluster 'pin': .*verify_certificate_hash/,
  ],
  [
    'LOGICAL_DNS with two endpoints',
    cluster({
      name: 'ld',
      clusterDiscoveryType: { case: 'type', value: Cluster_DiscoveryType.LOGICAL_DNS },
      loadAssignment: assignment('ld', [
        {
          endpoints: [
            { address: 'a.example', port: 80 },
            { address: 'b.example', port: 80 },
          ],
        },
      ]),
    }),
    /^cluster 'ld': load_assignment: LOGICAL_DNS clusters must have exactly one endpoint/,
  ],
  [
    'a host name in a STATIC cluster',
    staticCluster('st', assignment('st', [{ endpoints: [{ address: 'db.example', port: 5432 }] }])),
    /^cluster 'st': load_assignment: endpoints\[0\]\.lb_endpoints\[0\]\.endpoint\.address\.socket_address\.address: 'db\.example' is not an IP address/,
  ],
  [
    'per-host circuit breakers',
    edsCluster('ph', { circuitBreakers: { perHostThresholds: [{ maxConnections: 1 }] } }),
    /^cluster 'ph': circuit_breakers\.per_host_thresholds/,
  ],
  [
    'a non-ADS EDS config source',
    edsCluster('src', {
      edsClusterConfig: { edsConfig: { configSourceSpecifier: { case: 'path', value: '/eds.yaml' } } },
    }),
    /^cluster 'src': eds_cluster_config\.eds_config/,
  ],
];

describe('prepare errors', { timeout: 10_000 }, () => {
  for (const [what, bad, message] of CASES) {
    it(`refuses ${what}`, () => {
      const { manager } = harness();
      try {
        assert.match(prepareClusters(manager, [bad]) ?? 'accepted', message);
      } finally {
        manager.close();
      }
    });
  }

  it('reports the CDS and EDS type URLs', () => {
    const { manager } = harness();
    assert.equal(manager.clusterHandler.typeUrl, CLUSTER_TYPE_URL);
    assert.equal(manager.endpointHandler.typeUrl, CLUSTER_LOAD_ASSIGNMENT_TYPE_URL);
    manager.close();
  });

  it('keeps the previous clusters when an update is refused, and applies nothing of it', () => {
    const { manager } = harness();
    try {
      applyClusters(manager, [staticCluster('good', ports('good', [1001]))]);
      const error = prepareClusters(manager, [
        staticCluster('good', ports('good', [2002])),
        staticCluster('new', ports('new', [3003])),
        edsCluster('bad', { healthChecks: [{}] }),
      ]);
      assert.match(error ?? '', /cluster 'bad'/);
      assert.equal(view(manager, 'good').selectHost({})?.port, 1001);
      assert.equal(manager.cluster('new'), undefined);
    } finally {
      manager.close();
    }
  });

  it('refuses a load assignment with a host name, naming it and the field', () => {
    const { manager } = harness();
    try {
      const result = manager.endpointHandler.prepare(
        new Map([
          ['svc', assignment('svc', [{ endpoints: [{ port: 80 }, { address: 'pod.example', port: 80 }] }])],
        ]),
      );
      assert.ok(isPrepareError(result));
      assert.match(
        result.error,
        /^ClusterLoadAssignment 'svc': endpoints\[0\]\.lb_endpoints\[1\]\.endpoint\.address/,
      );
    } finally {
      manager.close();
    }
  });

  it('names the EDS service names it depends on', () => {
    const { manager } = harness();
    try {
      applyClusters(manager, [
        edsCluster('outbound|80||a.default.svc.cluster.local'),
        edsCluster('b', { edsClusterConfig: { serviceName: 'b-endpoints' } }),
        staticCluster('c', ports('c', [1])),
      ]);
      assert.deepEqual(manager.clusterHandler.dependencies?.(), [
        'b-endpoints',
        'outbound|80||a.default.svc.cluster.local',
      ]);
    } finally {
      manager.close();
    }
  });
});
