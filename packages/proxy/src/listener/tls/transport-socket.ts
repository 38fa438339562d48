// A filter chain's transport_socket: raw_buffer (plaintext) or envoy.transport_sockets.tls (DownstreamTlsContext).
import { DOWNSTREAM_TLS_CONTEXT_TYPE_URL, TRANSPORT_SOCKETS, unpackAnyAs } from '@heddle/xds';
import type { TransportSocket } from '@heddle/xds/gen/envoy/config/core/v3/base_pb.ts';
import { DownstreamTlsContextSchema } from '@heddle/xds/gen/envoy/extensions/transport_sockets/tls/v3/tls_pb.ts';
import type { SecretProvider } from '../../upstream/secret-provider.ts';
import { DownstreamTls } from './downstream-tls.ts';
import { compileTlsContextSpec } from './tls-context-spec.ts';
import type { TlsStats } from './tls-stats.ts';

const RAW_BUFFER_TYPE_URL = 'type.googleapis.com/envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer';

/** Undefined for plaintext. Errors are relative to the transport_socket field. */
export function compileTransportSocket(
  socket: TransportSocket | undefined,
  secrets: SecretProvider,
  handshakeTimeoutMs: number,
  stats: TlsStats,
): DownstreamTls | undefined | { error: string } {
  if (!socket) return undefined;
  const typed = socket.configType.case === 'typedConfig' ? socket.configType.value : undefined;
  const typeUrl = typed?.typeUrl;
  if (typeUrl === RAW_BUFFER_TYPE_URL || (!typed && socket.name === TRANSPORT_SOCKETS.RAW_BUFFER))
    return undefined;
  if (typeUrl !== DOWNSTREAM_TLS_CONTEXT_TYPE_URL || !typed)
    return { error: `${socket.name}: unsupported transport socket ${typeUrl ?? '(no typed_config)'}` };
  const context = unpackAnyAs(typed, DownstreamTlsContextSchema);
  if (!context) return { error: `${socket.name}: typed_config does not decode as DownstreamTlsContext` };
  const spec = compileTlsContextSpec(context);
  if ('error' in spec) return { error: `${socket.name}: ${spec.error}` };
  const parameterError = DownstreamTls.checkParameters(spec);
  if (parameterError) return { error: `${socket.name}: common_tls_context.tls_params: ${parameterError}` };
  const tls = new DownstreamTls(spec, handshakeTimeoutMs, stats);
  const error = tls.refresh(secrets);
  // Inline material must be good now; SDS material may still be on its way (connections fail closed meanwhile).
  if (error && !tls.usesSecrets) return { error: `${socket.name}: ${error}` };
  return tls;
}
