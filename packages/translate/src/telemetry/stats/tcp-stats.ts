// The stats network filter of TCP filter chains (istio_tcp_* metrics), placed ahead of tcp_proxy: inbound
// chains report as `destination`, outbound ones as `source`.
import { create } from '@bufbuild/protobuf';
import { HTTP_FILTERS, NETWORK_FILTERS } from '@heddle/xds';
import {
  FilterSchema,
  type Filter,
  type FilterChain,
} from '@heddle/xds/gen/envoy/config/listener/v3/listener_components_pb.ts';
import type { TranslationContext } from '../../translate-proxy.ts';
import { statsFilterConfig } from './stats-filter-config.ts';

export type TcpStatsDirection = 'inbound' | 'outbound';

export function tcpStatsFilters(ctx: TranslationContext, direction: TcpStatsDirection): Filter[] {
  return [
    create(FilterSchema, {
      name: HTTP_FILTERS.ISTIO_STATS,
      configType: {
        case: 'typedConfig',
        value: statsFilterConfig(ctx, direction === 'inbound' ? 'destination' : 'source'),
      },
    }),
  ];
}

/** Outbound TCP chains with the stats filter put ahead of their tcp_proxy. */
export function withOutboundTcpStats(ctx: TranslationContext, chains: FilterChain[]): FilterChain[] {
  let stats: Filter[] | undefined;
  return chains.map((chain) => {
    if (chain.filters.at(-1)?.name !== NETWORK_FILTERS.TCP_PROXY) return chain;
    stats ??= tcpStatsFilters(ctx, 'outbound');
    return { ...chain, filters: [...stats, ...chain.filters] };
  });
}
