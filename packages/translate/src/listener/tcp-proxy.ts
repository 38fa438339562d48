// The tcp_proxy network filter: one cluster, or weighted clusters from a VirtualService TCP/TLS route.
import { create } from '@bufbuild/protobuf';
import { NETWORK_FILTERS, packAny } from '@heddle/xds';
import {
  FilterSchema,
  type Filter,
} from '@heddle/xds/gen/envoy/config/listener/v3/listener_components_pb.ts';
import { TcpProxySchema } from '@heddle/xds/gen/envoy/extensions/filters/network/tcp_proxy/v3/tcp_proxy_pb.ts';

export interface WeightedCluster {
  readonly name: string;
  readonly weight: number;
}

/** One cluster name, or several with their weights (a single entry is sent as a plain cluster). */
export type TcpTarget = string | readonly WeightedCluster[];

export function buildTcpProxyFilter(statPrefix: string, target: TcpTarget): Filter {
  const clusterSpecifier =
    typeof target === 'string'
      ? { case: 'cluster' as const, value: target }
      : target.length === 1
        ? { case: 'cluster' as const, value: target[0]?.name ?? '' }
        : {
            case: 'weightedClusters' as const,
            value: { clusters: target.map(({ name, weight }) => ({ name, weight })) },
          };
  return create(FilterSchema, {
    name: NETWORK_FILTERS.TCP_PROXY,
    configType: { case: 'typedConfig', value: packAny(TcpProxySchema, { statPrefix, clusterSpecifier }) },
  });
}
