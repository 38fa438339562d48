// Access logs on tcp_proxy filters: Istio gives TCP chains the same loggers as the HTTP connection managers of
// the same direction (meshConfig accessLogFile, or Telemetry accessLogging), so a TCP connection is logged once
// when it closes. Inbound listeners of sidecars log as SERVER; outbound ones and every gateway as CLIENT.
import { NETWORK_FILTERS, packAny, unpackAnyAs } from '@heddle/xds';
import type { AccessLog } from '@heddle/xds/gen/envoy/config/accesslog/v3/accesslog_pb.ts';
import { TrafficDirection as ListenerDirection } from '@heddle/xds/gen/envoy/config/core/v3/base_pb.ts';
import type { Filter, FilterChain } from '@heddle/xds/gen/envoy/config/listener/v3/listener_components_pb.ts';
import type { Listener } from '@heddle/xds/gen/envoy/config/listener/v3/listener_pb.ts';
import { TcpProxySchema } from '@heddle/xds/gen/envoy/extensions/filters/network/tcp_proxy/v3/tcp_proxy_pb.ts';
import type { TranslationContext } from '../../translate-proxy.ts';
import { accessLogsFor } from './access-logs.ts';
import { applicableTelemetries } from './applicable-telemetries.ts';
import type { TrafficDirection } from './workload-mode.ts';

export function withTcpAccessLogs(ctx: TranslationContext, listeners: Listener[]): Listener[] {
  const telemetries = applicableTelemetries(ctx);
  const byDirection = new Map<TrafficDirection, AccessLog[]>();
  const logsFor = (direction: TrafficDirection): AccessLog[] => {
    let logs = byDirection.get(direction);
    if (!logs) byDirection.set(direction, (logs = accessLogsFor(ctx, telemetries, direction)));
    return logs;
  };
  return listeners.map((listener) => {
    const direction =
      ctx.node.role !== 'router' && listener.trafficDirection === ListenerDirection.INBOUND
        ? 'SERVER'
        : 'CLIENT';
    const accessLog = logsFor(direction);
    if (accessLog.length === 0) return listener;
    return {
      ...listener,
      filterChains: listener.filterChains.map((chain) => chainWithLogs(chain, accessLog)),
      ...(listener.defaultFilterChain
        ? { defaultFilterChain: chainWithLogs(listener.defaultFilterChain, accessLog) }
        : {}),
    };
  });
}

function chainWithLogs(chain: FilterChain, accessLog: readonly AccessLog[]): FilterChain {
  if (!chain.filters.some((filter) => filter.name === NETWORK_FILTERS.TCP_PROXY)) return chain;
  return { ...chain, filters: chain.filters.map((filter) => filterWithLogs(filter, accessLog)) };
}

function filterWithLogs(filter: Filter, accessLog: readonly AccessLog[]): Filter {
  const typed = filter.configType.case === 'typedConfig' ? filter.configType.value : undefined;
  const tcpProxy =
    filter.name === NETWORK_FILTERS.TCP_PROXY && typed ? unpackAnyAs(typed, TcpProxySchema) : undefined;
  if (!tcpProxy) return filter;
  return {
    ...filter,
    configType: {
      case: 'typedConfig',
      value: packAny(TcpProxySchema, { ...tcpProxy, accessLog: [...accessLog] }),
    },
  };
}
