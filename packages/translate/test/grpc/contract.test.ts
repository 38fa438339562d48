// What @grpc/grpc-js-xds accepts (shared/reference/grpc-xds-client-contract.md), checked on every grpc-* case:
// a resource breaking one of these would be NACKed, or silently ignored, by a proxyless gRPC client.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { translateCase } from '@heddle/testkit';
import type { TranslationOutput } from '@heddle/translate';
import { HTTP_FILTERS, HttpConnectionManagerSchema, unpackAnyAs } from '@heddle/xds';
import {
  Cluster_DiscoveryType,
  Cluster_LbPolicy,
} from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import type { ClusterLoadAssignment } from '@heddle/xds/gen/envoy/config/endpoint/v3/endpoint_pb.ts';
import type { Route } from '@heddle/xds/gen/envoy/config/route/v3/route_components_pb.ts';
import { HTTPFaultSchema } from '@heddle/xds/gen/envoy/extensions/filters/http/fault/v3/fault_pb.ts';
import { FractionalPercent_DenominatorType } from '@heddle/xds/gen/envoy/type/v3/percent_pb.ts';
import { GRPC_RETRY_ON } from '../../src/grpc/grpc-retry.ts';
import { isIpAddress } from '../../src/listener/cidr-range.ts';
import { GRPC_CASES, grpcCase } from './grpc-cases.ts';

const FAULT_TYPE = 'type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault';
const ROUTER_TYPE = 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router';
const MAX_RING = 8_388_608n;

/** Route configuration name per listener. */
function checkListeners(output: TranslationOutput): Map<string, string> {
  const rdsNames = new Map<string, string>();
  for (const listener of output.listeners) {
    const where = `listener ${listener.name}`;
    assert.match(listener.name, /^[^:]+:\d+$/, `${where} is named <host>:<port>`);
    assert.equal(listener.filterChains.length, 0, `${where}: no filter chains`);
    assert.equal(listener.listenerFilters.length, 0, `${where}: no listener filters`);
    const any = listener.apiListener?.apiListener;
    const hcm = any && unpackAnyAs(any, HttpConnectionManagerSchema);
    assert.ok(hcm, `${where}: api_listener holds an HttpConnectionManager`);
    assert.equal(hcm.routeSpecifier.case, 'rds', `${where}: routes over RDS`);
    assert.equal(hcm.routeSpecifier.value.configSource?.configSourceSpecifier.case, 'ads');
    assert.deepEqual(
      hcm.httpFilters.map((f) => [
        f.name,
        f.configType.case === 'typedConfig' ? f.configType.value.typeUrl : '',
      ]),
      [
        [HTTP_FILTERS.FAULT, FAULT_TYPE],
        [HTTP_FILTERS.ROUTER, ROUTER_TYPE],
      ],
      `${where}: the fault filter, then the router last`,
    );
    assert.equal(hcm.commonHttpProtocolOptions?.idleTimeout, undefined, `${where}: no default deadline`);
    rdsNames.set(listener.name, hcm.routeSpecifier.value.routeConfigName);
  }
  return rdsNames;
}

function checkRoute(route: Route, where: string): string[] {
  assert.ok(route.match && route.match.pathSpecifier.case !== undefined, `${where}: a path matcher`);
  assert.equal(route.match.queryParameters.length, 0, `${where}: no query matches`);
  assert.equal(route.action.case, 'route', `${where}: forwards (redirects and direct responses are NACKed)`);
  const action = route.action.value;
  assert.equal(action.timeout, undefined, `${where}: the deadline is max_stream_duration, not timeout`);
  const retry = action.retryPolicy;
  if (retry) {
    assert.ok((retry.numRetries ?? 1) >= 1, `${where}: num_retries ≥ 1`);
    for (const code of retry.retryOn.split(','))
      assert.ok(GRPC_RETRY_ON.has(code), `${where}: retry_on ${code}`);
  }
  assert.ok(
    action.hashPolicy.every((h) => h.policySpecifier.case === 'header'),
    `${where}: header hashing only`,
  );
  for (const [name, any] of Object.entries(route.typedPerFilterConfig)) {
    assert.equal(name, HTTP_FILTERS.FAULT, `${where}: only the fault filter is overridden`);
    assert.equal(any.typeUrl, FAULT_TYPE, `${where}: a plain HTTPFault (FilterConfig is NACKed)`);
    const fault = unpackAnyAs(any, HTTPFaultSchema);
    for (const part of [fault?.delay, fault?.abort]) {
      if (!part) continue;
      // gRPC clients and Envoy default a missing fraction differently: it is always written out.
      assert.equal(
        part.percentage?.denominator,
        FractionalPercent_DenominatorType.MILLION,
        `${where}: fraction`,
      );
    }
  }
  const specifier = action.clusterSpecifier;
  if (specifier.case === 'weightedClusters') {
    const total = specifier.value.clusters.reduce((sum, c) => sum + (c.weight ?? 0), 0);
    assert.ok(total > 0 && total <= 0xffffffff, `${where}: weights sum to 1..2^32-1`);
    return specifier.value.clusters.map((c) => c.name);
  }
  assert.equal(specifier.case, 'cluster', `${where}: a cluster or weighted clusters`);
  return [specifier.value];
}

/** Clusters the routes name. */
function checkRoutes(output: TranslationOutput, rdsNames: ReadonlyMap<string, string>): Set<string> {
  const clusters = new Set<string>();
  const names = new Set(output.routes.map((r) => r.name));
  for (const [listener, rds] of rdsNames)
    assert.ok(names.has(rds), `${listener}: route configuration ${rds} exists`);
  for (const config of output.routes) {
    for (const vhost of config.virtualHosts) {
      assert.ok(vhost.domains.includes(config.name), `${config.name}: domains list the host:port form`);
      for (const domain of vhost.domains) {
        const star = domain.indexOf('*');
        assert.ok(
          star < 0 || (star === domain.lastIndexOf('*') && (star === 0 || star === domain.length - 1)),
          `${config.name}: domain ${domain} has at most one wildcard, at an end`,
        );
      }
      for (const route of vhost.routes) {
        for (const name of checkRoute(route, `${config.name} route ${route.name}`)) clusters.add(name);
      }
    }
  }
  return clusters;
}

function checkAssignment(cla: ClusterLoadAssignment, logicalDns: boolean): void {
  const where = `endpoints of ${cla.clusterName}`;
  const priorities = new Set<number>();
  for (const group of cla.endpoints) {
    assert.ok(group.locality, `${where}: every group has a locality`);
    assert.ok((group.loadBalancingWeight ?? 0) > 0, `${where}: every locality is weighted`);
    priorities.add(group.priority);
    for (const lb of group.lbEndpoints) {
      const address =
        lb.hostIdentifier.case === 'endpoint' ? lb.hostIdentifier.value.address?.address : undefined;
      assert.equal(address?.case, 'socketAddress', `${where}: socket addresses`);
      if (!logicalDns)
        assert.ok(isIpAddress(address.value.address), `${where}: ${address.value.address} is an IP`);
    }
  }
  const sorted = [...priorities].sort((a, b) => a - b);
  assert.deepEqual(
    sorted,
    sorted.map((_, i) => i),
    `${where}: priorities run from 0 without gaps`,
  );
}

function checkClusters(output: TranslationOutput, routed: ReadonlySet<string>): void {
  const byName = new Map(output.clusters.map((c) => [c.name, c]));
  const assignments = new Map(output.endpoints.map((e) => [e.clusterName, e]));
  for (const name of routed) assert.ok(byName.has(name), `the routed cluster ${name} exists`);
  for (const cluster of output.clusters) {
    const where = `cluster ${cluster.name}`;
    const policies: readonly Cluster_LbPolicy[] = [Cluster_LbPolicy.ROUND_ROBIN, Cluster_LbPolicy.RING_HASH];
    assert.ok(policies.includes(cluster.lbPolicy), `${where}: ROUND_ROBIN or RING_HASH`);
    if (cluster.lbConfig.case === 'ringHashLbConfig')
      assert.ok((cluster.lbConfig.value.minimumRingSize ?? 0n) <= MAX_RING, `${where}: ring size`);
    assert.equal(cluster.transportSocket, undefined, `${where}: plaintext`);
    const outlier = cluster.outlierDetection;
    for (const percent of [outlier?.maxEjectionPercent, outlier?.enforcingSuccessRate]) {
      assert.ok(percent === undefined || (percent >= 0 && percent <= 100), `${where}: percentages in 0..100`);
    }
    assert.ok((cluster.circuitBreakers?.thresholds[0]?.maxRequests ?? 0) > 0, `${where}: max_requests`);
    const type =
      cluster.clusterDiscoveryType.case === 'type' ? cluster.clusterDiscoveryType.value : undefined;
    if (type === Cluster_DiscoveryType.LOGICAL_DNS) {
      const groups = cluster.loadAssignment?.endpoints ?? [];
      assert.equal(groups.length, 1, `${where}: one locality`);
      assert.equal(groups[0]?.lbEndpoints.length, 1, `${where}: one host`);
      if (cluster.loadAssignment) checkAssignment(cluster.loadAssignment, true);
      continue;
    }
    assert.equal(type, Cluster_DiscoveryType.EDS, `${where}: EDS or LOGICAL_DNS`);
    assert.equal(
      cluster.edsClusterConfig?.edsConfig?.configSourceSpecifier.case,
      'ads',
      `${where}: EDS over ADS`,
    );
    const cla = assignments.get(cluster.edsClusterConfig?.serviceName || cluster.name);
    assert.ok(cla, `${where}: has its ClusterLoadAssignment`);
    checkAssignment(cla, false);
  }
}

describe('proxyless gRPC output keeps the grpc-js-xds contract', () => {
  for (const name of GRPC_CASES) {
    it(name, () => {
      const output = translateCase(grpcCase(name));
      assert.ok(output.listeners.length > 0);
      const routed = checkRoutes(output, checkListeners(output));
      checkClusters(output, routed);
    });
  }
});
