// Builders for the Listener resources the tests push, and a one-call apply (prepare + commit + bind).
import { create, type DescMessage, type Message, type MessageInitShape } from '@bufbuild/protobuf';
import { LISTENER_FILTERS, NETWORK_FILTERS, packAny, TRANSPORT_SOCKETS } from '@heddle/xds';
import type { TransportSocket } from '@heddle/xds/gen/envoy/config/core/v3/base_pb.ts';
import {
  FilterChainSchema,
  FilterSchema,
  type Filter,
  type FilterChain,
  type ListenerFilter,
} from '@heddle/xds/gen/envoy/config/listener/v3/listener_components_pb.ts';
import { ListenerSchema, type Listener } from '@heddle/xds/gen/envoy/config/listener/v3/listener_pb.ts';
import {
  HttpConnectionManagerSchema,
  type HttpConnectionManager_CodecType,
} from '@heddle/xds/gen/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager_pb.ts';
import { TcpProxySchema } from '@heddle/xds/gen/envoy/extensions/filters/network/tcp_proxy/v3/tcp_proxy_pb.ts';
import { DownstreamTlsContextSchema } from '@heddle/xds/gen/envoy/extensions/transport_sockets/tls/v3/tls_pb.ts';
import { HttpInspectorSchema } from '@heddle/xds/gen/envoy/extensions/filters/listener/http_inspector/v3/http_inspector_pb.ts';
import { OriginalDstSchema } from '@heddle/xds/gen/envoy/extensions/filters/listener/original_dst/v3/original_dst_pb.ts';
import { TlsInspectorSchema } from '@heddle/xds/gen/envoy/extensions/filters/listener/tls_inspector/v3/tls_inspector_pb.ts';
import assert from 'node:assert/strict';
import { isPrepareError } from '../../../src/config/resource-handler.ts';
import type { ListenerManager } from '../../../src/listener/listener-manager.ts';
import type { KeyPair } from './certs.ts';

/** The plain-object form of a message init (not a built message), so it can be spread. */
type Init<Desc extends DescMessage> = Exclude<MessageInitShape<Desc>, Message>;
type TcpProxyInit = Init<typeof TcpProxySchema>;
type ChainInit = Init<typeof FilterChainSchema>;
type ListenerInit = Init<typeof ListenerSchema>;
type TlsInit = Init<typeof DownstreamTlsContextSchema>;

export const ms = (value: number): { seconds: bigint; nanos: number } => ({
  seconds: BigInt(Math.floor(value / 1000)),
  nanos: (value % 1000) * 1e6,
});

export function tcpProxy(
  target: string | { name: string; weight: number }[],
  extra: TcpProxyInit = {},
): Filter {
  const clusterSpecifier =
    typeof target === 'string'
      ? { case: 'cluster' as const, value: target }
      : { case: 'weightedClusters' as const, value: { clusters: target } };
  return create(FilterSchema, {
    name: NETWORK_FILTERS.TCP_PROXY,
    configType: {
      case: 'typedConfig',
      value: packAny(TcpProxySchema, { statPrefix: 'tcp_test', clusterSpecifier, ...extra }),
    },
  });
}

export function hcm(codecType: HttpConnectionManager_CodecType = 0): Filter {
  return create(FilterSchema, {
    name: NETWORK_FILTERS.HTTP_CONNECTION_MANAGER,
    configType: {
      case: 'typedConfig',
      value: packAny(HttpConnectionManagerSchema, {
        statPrefix: 'http_test',
        codecType,
        routeSpecifier: { case: 'rds', value: { routeConfigName: 'routes_8080' } },
      }),
    },
  });
}

export function chain(
  name: string,
  filters: Filter[],
  init: Omit<ChainInit, 'name' | 'filters'> = {},
): FilterChain {
  return create(FilterChainSchema, { name, filters, ...init });
}

export function tlsTransport(context: TlsInit): TransportSocket {
  return {
    $typeName: 'envoy.config.core.v3.TransportSocket',
    name: TRANSPORT_SOCKETS.TLS,
    configType: { case: 'typedConfig', value: packAny(DownstreamTlsContextSchema, context) },
  };
}

/** A DownstreamTlsContext with the certificate inline. */
export function serverTls(pair: KeyPair, extra: TlsInit = {}): TransportSocket {
  return tlsTransport({
    ...extra,
    commonTlsContext: {
      tlsCertificates: [
        {
          certificateChain: { specifier: { case: 'inlineString', value: pair.cert } },
          privateKey: { specifier: { case: 'inlineString', value: pair.key } },
        },
      ],
      ...extra.commonTlsContext,
    },
  });
}

type Inspector = 'tls' | 'http' | 'original_dst';

function listenerFilter(kind: Inspector): ListenerFilter {
  const [name, value] =
    kind === 'tls'
      ? [LISTENER_FILTERS.TLS_INSPECTOR, packAny(TlsInspectorSchema, {})]
      : kind === 'http'
        ? [LISTENER_FILTERS.HTTP_INSPECTOR, packAny(HttpInspectorSchema, {})]
        : [LISTENER_FILTERS.ORIGINAL_DST, packAny(OriginalDstSchema, {})];
  return {
    $typeName: 'envoy.config.listener.v3.ListenerFilter',
    name,
    configType: { case: 'typedConfig', value },
  };
}

export interface ListenerSpec {
  readonly name: string;
  readonly host?: string;
  readonly port?: number;
  readonly chains?: FilterChain[];
  readonly defaultChain?: FilterChain;
  readonly inspectors?: Inspector[];
  readonly filtersTimeoutMs?: number;
  readonly continueOnTimeout?: boolean;
  readonly maxConnections?: number;
  readonly extra?: ListenerInit;
}

export function listener(spec: ListenerSpec): Listener {
  return create(ListenerSchema, {
    name: spec.name,
    statPrefix: spec.name,
    address: {
      address: {
        case: 'socketAddress',
        value: {
          address: spec.host ?? '127.0.0.1',
          portSpecifier: { case: 'portValue', value: spec.port ?? 0 },
        },
      },
    },
    filterChains: spec.chains ?? [],
    ...(spec.defaultChain ? { defaultFilterChain: spec.defaultChain } : {}),
    listenerFilters: (spec.inspectors ?? []).map(listenerFilter),
    ...(spec.filtersTimeoutMs !== undefined ? { listenerFiltersTimeout: ms(spec.filtersTimeoutMs) } : {}),
    continueOnListenerFiltersTimeout: spec.continueOnTimeout ?? false,
    ...(spec.maxConnections !== undefined
      ? { metadata: { filterMetadata: { heddle: { max_connections: spec.maxConnections } } } }
      : {}),
    ...spec.extra,
  });
}

/** Prepares and commits the whole set, then waits for binds. */
export async function apply(manager: ListenerManager, listeners: Listener[]): Promise<void> {
  const result = manager.handler.prepare(new Map(listeners.map((l) => [l.name, l])));
  if (isPrepareError(result)) assert.fail(result.error);
  result.commit();
  await manager.ready();
}

export function prepareError(manager: ListenerManager, listeners: Listener[]): string {
  const result = manager.handler.prepare(new Map(listeners.map((l) => [l.name, l])));
  if (!isPrepareError(result)) assert.fail('expected the update to be refused');
  return result.error;
}

export function portOf(manager: ListenerManager, name: string): number {
  const port = manager.boundPorts().get(name);
  assert.ok(port !== undefined, `listener ${name} is not bound`);
  return port;
}
