// envoy.filters.network.tcp_proxy: the factory compiles the config once; each connection gets a session.
import { unpackAnyAs } from '@heddle/xds';
import { TcpProxySchema } from '@heddle/xds/gen/envoy/extensions/filters/network/tcp_proxy/v3/tcp_proxy_pb.ts';
import { compileAccessLogs } from '../../../telemetry/access-log/access-log-config.ts';
import { standaloneObservability } from '../../../telemetry/tracing/hcm-logs-and-tracing.ts';
import type { NetworkFilterFactory, TerminalNetworkFilter } from '../network-filter.ts';
import { withTcpAccessLogs } from './access-log.ts';
import { compileTcpProxy } from './config.ts';
import { TcpProxySession } from './session.ts';

export type { TcpSessionHooks, TcpSessionInfo, TcpResponseFlag, TcpTermination } from './session-info.ts';

export const tcpProxyFactory: NetworkFilterFactory = (typedConfig, context) => {
  const proto = unpackAnyAs(typedConfig, TcpProxySchema);
  if (!proto) return { error: `typed_config: expected TcpProxy, got ${typedConfig.typeUrl}` };
  const config = compileTcpProxy(proto, context.stats);
  if ('error' in config) return config;
  const loggers =
    proto.accessLog.length === 0
      ? []
      : compileAccessLogs(
          proto.accessLog,
          context.accessLogSinks ?? standaloneObservability(context.clusters, context.stats).sinks,
        );
  if ('error' in loggers) return loggers;
  const sessions = new Set<TcpProxySession>();
  const deps = {
    config,
    clusters: context.clusters,
    hooks: withTcpAccessLogs(context.tcpSessions, loggers),
    listenerName: context.listenerName,
    chainName: context.chainName,
    random: Math.random,
  };
  const filter: TerminalNetworkFilter = {
    kind: 'terminal',
    onConnection(socket, connection) {
      const session = new TcpProxySession(socket, connection, deps, (done) => sessions.delete(done));
      sessions.add(session);
      session.start();
    },
    // TCP has no in-band way to ask a peer to stop: sessions run until they end or the drain deadline.
    drain() {},
    close() {
      for (const session of sessions) session.close();
    },
  };
  return filter;
};
