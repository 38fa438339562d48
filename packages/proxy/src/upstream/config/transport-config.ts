// A cluster's transport sockets: the default one and transport_socket_matches, which pick a socket per
// endpoint from its `envoy.transport_socket_match` metadata (Istio's auto mTLS: tlsMode=istio → mTLS).
import type { JsonObject } from '@bufbuild/protobuf';
import {
  TRANSPORT_SOCKETS,
  UPSTREAM_TLS_CONTEXT_TYPE_URL,
  UpstreamTlsContextSchema,
  unpackAnyAs,
} from '@heddle/xds';
import type { Cluster } from '@heddle/xds/gen/envoy/config/cluster/v3/cluster_pb.ts';
import type { TransportSocket } from '@heddle/xds/gen/envoy/config/core/v3/base_pb.ts';
import { ClusterConfigError } from './config-error.ts';
import { stringFields } from './load-assignment.ts';
import { compileUpstreamTls, type UpstreamTlsConfig } from './tls-config.ts';

const RAW_BUFFER_TYPE_URL = 'type.googleapis.com/envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer';

export type TransportSocketConfig =
  | { readonly kind: 'plaintext'; readonly name: string }
  | { readonly kind: 'tls'; readonly name: string; readonly tls: UpstreamTlsConfig };

export interface TransportSocketMatch {
  readonly name: string;
  readonly match: Readonly<Record<string, string>>;
  readonly socket: TransportSocketConfig;
}

export interface TransportConfig {
  readonly defaultSocket: TransportSocketConfig;
  readonly matches: readonly TransportSocketMatch[];
}

export const PLAINTEXT: TransportSocketConfig = { kind: 'plaintext', name: 'default' };

export function compileTransport(cluster: Cluster, where: string): TransportConfig {
  const defaultSocket = cluster.transportSocket
    ? compileSocket(cluster.transportSocket, 'default', `${where}: transport_socket`)
    : PLAINTEXT;
  const matches = cluster.transportSocketMatches.map((m, i) => {
    const at = `${where}: transport_socket_matches[${i}]`;
    if (!m.transportSocket) throw new ClusterConfigError(`${at}.transport_socket: required`);
    return {
      name: m.name,
      match: matchFields(m.match, `${at}.match`),
      socket: compileSocket(m.transportSocket, m.name, `${at}.transport_socket`),
    };
  });
  return { defaultSocket, matches };
}

/** The first match whose fields are all in the endpoint's metadata; else the cluster's transport socket. */
export function socketFor(
  config: TransportConfig,
  socketMatch: Readonly<Record<string, string>>,
): TransportSocketConfig {
  for (const candidate of config.matches) {
    let all = true;
    for (const key in candidate.match) {
      if (socketMatch[key] !== candidate.match[key]) {
        all = false;
        break;
      }
    }
    if (all) return candidate.socket;
  }
  return config.defaultSocket;
}

/** The SDS secret names the transport sockets refer to. */
export function transportSecretNames(config: TransportConfig): string[] {
  const names: string[] = [];
  for (const socket of [config.defaultSocket, ...config.matches.map((m) => m.socket)]) {
    if (socket.kind !== 'tls') continue;
    const { certificate, trustedCa } = socket.tls;
    if (certificate && 'sds' in certificate) names.push(certificate.sds);
    if (trustedCa && 'sds' in trustedCa) names.push(trustedCa.sds);
  }
  return names;
}

function matchFields(match: JsonObject | undefined, at: string): Record<string, string> {
  const fields = stringFields(match);
  if (match && Object.keys(fields).length !== Object.keys(match).length) {
    throw new ClusterConfigError(`${at}: only string, number and boolean values are supported`);
  }
  return fields;
}

function compileSocket(socket: TransportSocket, name: string, at: string): TransportSocketConfig {
  const typed = socket.configType.case === 'typedConfig' ? socket.configType.value : undefined;
  const typeUrl = typed?.typeUrl;
  if (
    typeUrl === UPSTREAM_TLS_CONTEXT_TYPE_URL ||
    (typed === undefined && socket.name === TRANSPORT_SOCKETS.TLS)
  ) {
    const context = typed ? unpackAnyAs(typed, UpstreamTlsContextSchema) : undefined;
    if (!context)
      throw new ClusterConfigError(`${at}.typed_config: an UpstreamTlsContext is required for TLS`);
    return { kind: 'tls', name, tls: compileUpstreamTls(context, `${at}.typed_config`) };
  }
  if (
    typeUrl === RAW_BUFFER_TYPE_URL ||
    (typed === undefined && socket.name === TRANSPORT_SOCKETS.RAW_BUFFER)
  ) {
    return { kind: 'plaintext', name };
  }
  throw new ClusterConfigError(
    `${at}: transport socket ${JSON.stringify(typeUrl ?? socket.name)} is not supported (only ${TRANSPORT_SOCKETS.TLS} and ${TRANSPORT_SOCKETS.RAW_BUFFER})`,
  );
}
