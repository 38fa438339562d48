// The SDS secret names accepted clusters and listeners refer to in their TLS transport sockets: what the
// proxy subscribes to as Secret resources on the ADS stream.
import {
  DOWNSTREAM_TLS_CONTEXT_TYPE_URL,
  DownstreamTlsContextSchema,
  UPSTREAM_TLS_CONTEXT_TYPE_URL,
  UpstreamTlsContextSchema,
  unpackAnyAs,
  type Cluster,
  type Listener,
} from '@heddle/xds';
import type { TransportSocket } from '@heddle/xds/gen/envoy/config/core/v3/base_pb.ts';
import type { CommonTlsContext } from '@heddle/xds/gen/envoy/extensions/transport_sockets/tls/v3/tls_pb.ts';

export function sdsSecretNames(clusters: Iterable<Cluster>, listeners: Iterable<Listener>): string[] {
  const names = new Set<string>();
  for (const cluster of clusters) {
    collect(cluster.transportSocket, names);
    for (const match of cluster.transportSocketMatches) collect(match.transportSocket, names);
  }
  for (const listener of listeners) {
    for (const chain of listener.filterChains) collect(chain.transportSocket, names);
    collect(listener.defaultFilterChain?.transportSocket, names);
  }
  return [...names].sort();
}

function collect(socket: TransportSocket | undefined, names: Set<string>): void {
  const typed = socket?.configType.case === 'typedConfig' ? socket.configType.value : undefined;
  if (!typed) return;
  let common: CommonTlsContext | undefined;
  if (typed.typeUrl === UPSTREAM_TLS_CONTEXT_TYPE_URL)
    common = unpackAnyAs(typed, UpstreamTlsContextSchema)?.commonTlsContext;
  else if (typed.typeUrl === DOWNSTREAM_TLS_CONTEXT_TYPE_URL)
    common = unpackAnyAs(typed, DownstreamTlsContextSchema)?.commonTlsContext;
  if (!common) return;
  for (const sds of common.tlsCertificateSdsSecretConfigs) names.add(sds.name);
  const validation = common.validationContextType;
  if (validation.case === 'validationContextSdsSecretConfig') names.add(validation.value.name);
  if (validation.case === 'combinedValidationContext') {
    const name = validation.value.validationContextSdsSecretConfig?.name;
    if (name) names.add(name);
  }
}
