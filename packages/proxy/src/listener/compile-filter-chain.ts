// Compiles one FilterChain: its match, its transport socket, and its network filters (read filters first,
// exactly one terminal filter last). Identical chains from the previous update are reused as they are.
import { toBinary } from '@bufbuild/protobuf';
import {
  FilterChainSchema,
  type FilterChain,
} from '@heddle/xds/gen/envoy/config/listener/v3/listener_components_pb.ts';
import type {
  NetworkFilterContext,
  NetworkFilterFactory,
  ReadNetworkFilter,
  TerminalNetworkFilter,
} from '../filters/network/network-filter.ts';
import { networkFilterTypeUrl } from '../filters/network/registry.ts';
import type { SecretProvider } from '../upstream/secret-provider.ts';
import { compileChainMatch } from './chain-match.ts';
import { durationMs } from './duration.ts';
import { FilterChainRuntime } from './filter-chain.ts';
import { DEFAULT_TLS_HANDSHAKE_TIMEOUT_MS } from './tls/downstream-tls.ts';
import type { TlsStats } from './tls/tls-stats.ts';
import { compileTransportSocket } from './tls/transport-socket.ts';

export interface ChainCompileContext {
  readonly secrets: SecretProvider;
  readonly factories: ReadonlyMap<string, NetworkFilterFactory>;
  readonly filterContext: Omit<NetworkFilterContext, 'chainName'>;
  readonly tlsStats: TlsStats;
  /** Chains of the listener's current config, by key. */
  readonly previous: ReadonlyMap<string, FilterChainRuntime>;
  /** Terminal filters created so far, closed if the update fails or is never committed. */
  readonly created: TerminalNetworkFilter[];
}

export function compileFilterChain(
  chain: FilterChain,
  label: string,
  ctx: ChainCompileContext,
): FilterChainRuntime | { error: string } {
  const key = Buffer.from(toBinary(FilterChainSchema, chain)).toString('latin1');
  const reusable = ctx.previous.get(key);
  if (reusable && !reusable.closed) return reusable;
  const fail = (error: string): { error: string } => ({ error: `${label}: ${error}` });
  if (chain.useProxyProto) return fail('use_proxy_proto: not supported');
  if (chain.onDemandConfiguration) return fail('on_demand_configuration: not supported');
  const criteria = compileChainMatch(chain.filterChainMatch);
  if ('error' in criteria) return fail(`filter_chain_match.${criteria.error}`);
  const timeout = chain.transportSocketConnectTimeout ? durationMs(chain.transportSocketConnectTimeout) : 0;
  const tls = compileTransportSocket(
    chain.transportSocket,
    ctx.secrets,
    timeout > 0 ? timeout : DEFAULT_TLS_HANDSHAKE_TIMEOUT_MS,
    ctx.tlsStats,
  );
  if (tls && 'error' in tls) return fail(`transport_socket.${tls.error}`);
  const name = chain.name !== '' ? chain.name : label;
  const filters = compileFilters(chain, name, ctx);
  if ('error' in filters) return fail(filters.error);
  return new FilterChainRuntime({ name, label, key, criteria, tls, ...filters });
}

function compileFilters(
  chain: FilterChain,
  chainName: string,
  ctx: ChainCompileContext,
): { readFilters: ReadNetworkFilter[]; terminal: TerminalNetworkFilter } | { error: string } {
  if (chain.filters.length === 0) return { error: 'filters: at least one network filter is required' };
  const readFilters: ReadNetworkFilter[] = [];
  for (const [i, filter] of chain.filters.entries()) {
    const where = `filters[${i}] (${filter.name})`;
    if (filter.configType.case !== 'typedConfig')
      return { error: `${where}: typed_config is required (config_discovery is not supported)` };
    const typeUrl = networkFilterTypeUrl(filter.configType.value);
    const factory = ctx.factories.get(typeUrl);
    if (!factory) return { error: `${where}: unsupported network filter ${typeUrl}` };
    const built = factory(filter.configType.value, { ...ctx.filterContext, chainName });
    if ('error' in built) return { error: `${where}: ${built.error}` };
    const last = i === chain.filters.length - 1;
    if (built.kind === 'terminal') ctx.created.push(built);
    if (built.kind === 'terminal' && last) return { readFilters, terminal: built };
    if (built.kind === 'terminal')
      return { error: `${where}: a terminal filter must be the last in the chain` };
    if (last)
      return { error: `${where}: the last filter must be terminal (tcp_proxy or http_connection_manager)` };
    readFilters.push(built);
  }
  return { error: 'filters: no terminal filter' };
}
