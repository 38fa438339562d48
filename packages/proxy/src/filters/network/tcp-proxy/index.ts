// envoy.filters.network.tcp_proxy: the factory compiles the config once; each connection gets a session.
import { unpackAnyAs } from '@heddle/xds';
import { TcpProxySchema } from '@heddle/xds/gen/envoy/extensions/filters/network/tcp_proxy/v3/tcp_proxy_pb.ts';
import type { NetworkFilterFactory, TerminalNetworkFilter } from '../network-filter.ts';
import { compileTcpProxy } from './config.ts';
import { TcpProxySession } from './session.ts';

export type { TcpSessionHooks, TcpSessionInfo, TcpResponseFlag, TcpTermination } from './session-info.ts';

export const tcpProxyFactory: NetworkFilterFactory = (typedConfig, context) => {
  const proto = unpackAnyAs(typedConfig, TcpProxySchema);
  if (!proto) return { error: `typed_config: expected TcpProxy, got ${typedConfig.typeUrl}` };
  const config = compileTcpProxy(proto, context.stats);
  if ('error' in config) return config;
  const sessions = new Set<TcpProxySession>();
  const deps = {
    config,
    clusters: context.clusters,
    hooks: context.tcpSessions,
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
