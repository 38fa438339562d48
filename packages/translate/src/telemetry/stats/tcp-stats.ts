// The stats network filter of TCP filter chains (istio_tcp_* metrics), placed ahead of tcp_proxy.
import type { Filter } from '@heddle/xds/gen/envoy/config/listener/v3/listener_components_pb.ts';
import type { TranslationContext } from '../../translate-proxy.ts';

export type TcpStatsDirection = 'inbound' | 'outbound';

/** Nothing yet: the TCP `istio.stats` network filter plugs in here. */
export function tcpStatsFilters(_ctx: TranslationContext, _direction: TcpStatsDirection): Filter[] {
  return [];
}
