// The upstream HTTP settings of a cluster (envoy.extensions.upstreams.http.v3.HttpProtocolOptions): which
// HTTP version to speak, idle timeout and requests per connection from connectionPool.http, and auto SNI.
import type { ConnectionPoolSettings, MeshConfig } from '@heddle/api';
import type { Any } from '@bufbuild/protobuf/wkt';
import { packAny } from '@heddle/xds';
import { HttpProtocolOptionsSchema } from '@heddle/xds/gen/envoy/extensions/upstreams/http/v3/http_protocol_options_pb.ts';
import type { PortProtocol } from '../model/service.ts';
import { protoDuration } from './proto-duration.ts';

/** The key of typed_extension_protocol_options under which Envoy looks for these options. */
export const HTTP_PROTOCOL_OPTIONS_KEY = 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions';

const HTTP_PROTOCOLS: ReadonlySet<PortProtocol> = new Set(['HTTP', 'HTTP2', 'GRPC', 'GRPC-WEB']);
/** Istio's IsHTTP2: these ports always speak HTTP/2 upstream. */
const HTTP2_PROTOCOLS: ReadonlySet<PortProtocol> = new Set(['HTTP2', 'GRPC', 'GRPC-WEB']);

export function isHttpProtocol(protocol: PortProtocol): boolean {
  return HTTP_PROTOCOLS.has(protocol);
}

export type UpstreamHttpVersion = 'http1' | 'http2' | 'downstream';

/**
 * The client's version with useClientProtocol (Istio lets it win over everything); HTTP/2 for HTTP2 and gRPC
 * ports, and for HTTP ports the rule (or, by DEFAULT, meshConfig.h2UpgradePolicy) upgrades; else HTTP/1.1.
 */
export function upstreamHttpVersion(
  protocol: PortProtocol,
  pool: ConnectionPoolSettings | undefined,
  mesh: MeshConfig,
): UpstreamHttpVersion {
  if (pool?.http?.useClientProtocol === true) return 'downstream';
  if (HTTP2_PROTOCOLS.has(protocol)) return 'http2';
  const policy = pool?.http?.h2UpgradePolicy ?? 'DEFAULT';
  const upgrade = policy === 'UPGRADE' || (policy === 'DEFAULT' && mesh.h2UpgradePolicy === 'UPGRADE');
  return protocol === 'HTTP' && upgrade ? 'http2' : 'http1';
}

export interface HttpOptionsInput {
  readonly protocol: PortProtocol;
  readonly pool: ConnectionPoolSettings | undefined;
  readonly mesh: MeshConfig;
  /** TLS origination without an SNI in the rule: take it from the request's Host (and check the SAN). */
  readonly autoSni?: { readonly autoSanValidation: boolean };
}

/** Undefined for non-HTTP ports and for plain HTTP/1.1 with nothing to set (Envoy's defaults then apply). */
export function httpProtocolOptionsFor(input: HttpOptionsInput): Record<string, Any> | undefined {
  if (!isHttpProtocol(input.protocol)) return undefined;
  const { pool } = input;
  const version = upstreamHttpVersion(input.protocol, pool, input.mesh);
  // Istio lets tcp.idleTimeout stand in for http.idleTimeout.
  const idleTimeout = protoDuration(pool?.http?.idleTimeout ?? pool?.tcp?.idleTimeout);
  const maxConnectionDuration = protoDuration(pool?.tcp?.maxConnectionDuration);
  const maxRequestsPerConnection = pool?.http?.maxRequestsPerConnection || undefined;
  const maxConcurrentStreams = pool?.http?.maxConcurrentStreams || undefined;
  const common = idleTimeout || maxConnectionDuration || maxRequestsPerConnection;
  if (version === 'http1' && !common && !input.autoSni) return undefined;
  const http2 = { maxConcurrentStreams };
  return {
    [HTTP_PROTOCOL_OPTIONS_KEY]: packAny(HttpProtocolOptionsSchema, {
      commonHttpProtocolOptions: common
        ? { idleTimeout, maxConnectionDuration, maxRequestsPerConnection }
        : undefined,
      upstreamHttpProtocolOptions: input.autoSni
        ? { autoSni: true, autoSanValidation: input.autoSni.autoSanValidation }
        : undefined,
      upstreamProtocolOptions:
        version === 'downstream'
          ? {
              case: 'useDownstreamProtocolConfig',
              value: { httpProtocolOptions: {}, http2ProtocolOptions: http2 },
            }
          : {
              case: 'explicitHttpConfig',
              value: {
                protocolConfig:
                  version === 'http2'
                    ? { case: 'http2ProtocolOptions', value: http2 }
                    : { case: 'httpProtocolOptions', value: {} },
              },
            },
    }),
  };
}
