// Compiles a Listener resource once per update into what the accept path runs: addresses, listener-filter plan,
// filter chains and their selector input, limits and stats. Anything unsupported fails with the field named.
import { toBinary } from '@bufbuild/protobuf';
import { ListenerSchema, type Listener } from '@heddle/xds/gen/envoy/config/listener/v3/listener_pb.ts';
import type { NetworkFilterFactory, TerminalNetworkFilter } from '../filters/network/network-filter.ts';
import type { NetworkFilterContext } from '../filters/network/network-filter.ts';
import type { SecretProvider } from '../upstream/secret-provider.ts';
import type { StatsSink } from '../stats/stats-sink.ts';
import { findDuplicateMatch } from './chain-conflicts.ts';
import { compileFilterChain, type ChainCompileContext } from './compile-filter-chain.ts';
import type { FilterChainRuntime } from './filter-chain.ts';
import { addressStatName, parseListenAddress, type ListenAddress } from './listener-address.ts';
import { compileListenerFilters, type ListenerFilterPlan } from './listener-filters.ts';
import { maxConnectionsOf } from './listener-metadata.ts';
import { listenerStats, type ListenerStats } from './listener-stats.ts';

/** Envoy's default per_connection_buffer_limit_bytes. */
export const DEFAULT_BUFFER_LIMIT_BYTES = 1024 * 1024;

export interface CompiledListener {
  readonly name: string;
  /** The serialized proto: an identical resource in the next update is not touched. */
  readonly key: string;
  readonly address: ListenAddress;
  readonly additionalAddresses: readonly ListenAddress[];
  /** Where the socket is actually bound (the bindAddressOverride, or `address`). */
  readonly bindAddress: ListenAddress;
  readonly bindToPort: boolean;
  /** Equal keys: an update keeps the bound sockets; different: the listener is rebound. */
  readonly bindKey: string;
  readonly useOriginalDst: boolean;
  readonly filters: ListenerFilterPlan;
  readonly chains: readonly FilterChainRuntime[];
  readonly defaultChain: FilterChainRuntime | undefined;
  readonly maxConnections: number;
  readonly bufferLimitBytes: number;
  readonly backlog: number | undefined;
  readonly stats: ListenerStats;
}

export interface ListenerCompileContext {
  readonly stats: StatsSink;
  readonly secrets: SecretProvider;
  readonly factories: ReadonlyMap<string, NetworkFilterFactory>;
  readonly filterContext: Omit<NetworkFilterContext, 'chainName' | 'listenerName'>;
  readonly bindAddressOverride:
    ((listener: Listener) => { address: string; port: number } | undefined) | undefined;
  /** The config whose chains may be reused, given the new bind key (none when the listener is rebound). */
  readonly reuseFrom: (bindKey: string) => CompiledListener | undefined;
  readonly created: TerminalNetworkFilter[];
}

export function compileListener(
  name: string,
  listener: Listener,
  ctx: ListenerCompileContext,
): CompiledListener | { error: string } {
  const fail = (error: string): { error: string } => ({ error: `listener ${name}: ${error}` });
  const key = Buffer.from(toBinary(ListenerSchema, listener)).toString('latin1');
  const unsupported = unsupportedField(listener);
  if (unsupported) return fail(`${unsupported}: not supported`);
  const address = parseListenAddress(listener.address);
  if ('error' in address) return fail(`address: ${address.error}`);
  const additionalAddresses: ListenAddress[] = [];
  for (const [i, extra] of listener.additionalAddresses.entries()) {
    if (extra.socketOptions) return fail(`additional_addresses[${i}].socket_options: not supported`);
    const parsed = parseListenAddress(extra.address);
    if ('error' in parsed) return fail(`additional_addresses[${i}].address: ${parsed.error}`);
    additionalAddresses.push(parsed);
  }
  const filters = compileListenerFilters(listener);
  if ('error' in filters) return fail(filters.error);
  const maxConnections = maxConnectionsOf(listener);
  if (typeof maxConnections !== 'number') return fail(maxConnections.error);
  const override = ctx.bindAddressOverride?.(listener);
  const bindAddress = override ? { host: override.address, port: override.port } : address;
  const bindToPort = listener.bindToPort ?? true;
  const bindKey = JSON.stringify([bindToPort, bindAddress, additionalAddresses]);
  const previous = ctx.reuseFrom(bindKey);
  const stats = listenerStats(
    ctx.stats,
    listener.statPrefix !== '' ? listener.statPrefix : addressStatName(address),
  );
  const chainContext: ChainCompileContext = {
    secrets: ctx.secrets,
    factories: ctx.factories,
    filterContext: { ...ctx.filterContext, listenerName: name },
    tlsStats: stats.tls,
    previous: new Map(
      [...(previous?.chains ?? []), ...(previous?.defaultChain ? [previous.defaultChain] : [])].map(
        (chain) => [chain.key, chain],
      ),
    ),
    created: ctx.created,
  };
  const chains: FilterChainRuntime[] = [];
  const names = new Set<string>();
  for (const [i, proto] of listener.filterChains.entries()) {
    const label = proto.name !== '' ? `filter_chains[${i}] (${proto.name})` : `filter_chains[${i}]`;
    if (proto.name !== '' && names.has(proto.name)) return fail(`${label}: duplicate filter chain name`);
    names.add(proto.name);
    const chain = compileFilterChain(proto, label, chainContext);
    if ('error' in chain) return fail(chain.error);
    chains.push(chain);
  }
  const duplicate = findDuplicateMatch(chains);
  if (duplicate) return fail(duplicate);
  let defaultChain: FilterChainRuntime | undefined;
  if (listener.defaultFilterChain) {
    const chain = compileFilterChain(listener.defaultFilterChain, 'default_filter_chain', chainContext);
    if ('error' in chain) return fail(chain.error);
    defaultChain = chain;
  }
  if (chains.length === 0 && !defaultChain) return fail('filter_chains: no filter chains specified');
  return {
    name,
    key,
    address,
    additionalAddresses,
    bindAddress,
    bindToPort,
    bindKey,
    useOriginalDst: listener.useOriginalDst === true,
    filters,
    chains,
    defaultChain,
    maxConnections,
    bufferLimitBytes: listener.perConnectionBufferLimitBytes ?? DEFAULT_BUFFER_LIMIT_BYTES,
    backlog: listener.tcpBacklogSize,
    stats,
  };
}

/**
 * Options that would change what the listener is or how packets reach it are refused; tuning knobs with no
 * Node equivalent (socket_options, connection balancing, reuse_port, drain_type) are accepted as no-ops.
 */
function unsupportedField(listener: Listener): string | undefined {
  if (listener.udpListenerConfig) return 'udp_listener_config';
  if (listener.apiListener) return 'api_listener';
  if (listener.listenerSpecifier.case === 'internalListener') return 'internal_listener';
  if (listener.filterChainMatcher) return 'filter_chain_matcher';
  if (listener.transparent === true) return 'transparent';
  if (listener.freebind === true) return 'freebind';
  if (listener.enableMptcp) return 'enable_mptcp';
  return undefined;
}
