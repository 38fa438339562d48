// The public surface of the listener subsystem, for the proxy's wiring and admin API.
export { ListenerManager } from './listener-manager.ts';
export { DEFAULT_DRAIN_TIMEOUT_MS, type ListenerManagerOptions } from './listener-manager-options.ts';
export type { FilterChainDescription, ListenerDescription } from './listener-description.ts';
export type { ListenerState } from './active-listener.ts';
export {
  DEFAULT_MAX_CONNECTIONS,
  HEDDLE_LISTENER_METADATA,
  MAX_CONNECTIONS_KEY,
} from './listener-metadata.ts';
export { originalDestinationOf, type SocketAddressInfo } from './original-destination.ts';
export type {
  CreateHttpHandler,
  DownstreamConnection,
  NetworkFilter,
  NetworkFilterContext,
  NetworkFilterFactory,
  ReadNetworkFilter,
  TerminalNetworkFilter,
} from '../filters/network/network-filter.ts';
export type {
  TcpResponseFlag,
  TcpSessionHooks,
  TcpSessionInfo,
  TcpTermination,
} from '../filters/network/tcp-proxy/session-info.ts';
