// A listener's admin view: addresses, state, connections, and its filter chains.
import type { ActiveListener } from './active-listener.ts';
import type { FilterChainRuntime } from './filter-chain.ts';
import type { FilterChainDescription, ListenerDescription } from './listener-description.ts';

export function describeListener(listener: ActiveListener): ListenerDescription {
  const config = listener.config;
  const error = listener.error;
  return {
    name: listener.name,
    address: config.address,
    ...(listener.boundPort !== undefined
      ? { boundAddress: { host: config.bindAddress.host, port: listener.boundPort } }
      : {}),
    bindToPort: config.bindToPort,
    useOriginalDst: config.useOriginalDst,
    state: listener.state,
    ...(error !== undefined ? { error } : {}),
    activeConnections: listener.activeConnections,
    maxConnections: config.maxConnections,
    filterChains: config.chains.map(describeChain),
    ...(config.defaultChain ? { defaultFilterChain: describeChain(config.defaultChain) } : {}),
  };
}

function describeChain(chain: FilterChainRuntime): FilterChainDescription {
  const tlsError = chain.tls?.contextError;
  return {
    name: chain.name,
    activeConnections: chain.activeConnections,
    tls: chain.tls !== undefined,
    ...(tlsError !== undefined ? { tlsError } : {}),
  };
}
