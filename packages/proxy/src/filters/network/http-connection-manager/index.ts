// envoy.filters.network.http_connection_manager glue: builds the HTTP handler for a filter chain (through the
// createHttp seam) and hands each connection over with its codec decided.
import { unpackAnyAs } from '@heddle/xds';
import {
  HttpConnectionManager_CodecType as CodecType,
  HttpConnectionManagerSchema,
} from '@heddle/xds/gen/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager_pb.ts';
import { durationMs } from '../../../listener/duration.ts';
import type { NetworkFilterFactory, TerminalNetworkFilter } from '../network-filter.ts';
import {
  codecWithoutPeeking,
  DEFAULT_CODEC_DETECT_TIMEOUT_MS,
  detectCodecByPreface,
} from './codec-detect.ts';

export const httpConnectionManagerFactory: NetworkFilterFactory = (typedConfig, context) => {
  const hcm = unpackAnyAs(typedConfig, HttpConnectionManagerSchema);
  if (!hcm) return { error: `typed_config: expected HttpConnectionManager, got ${typedConfig.typeUrl}` };
  const codecType = hcm.codecType;
  if (codecType !== CodecType.AUTO && codecType !== CodecType.HTTP1 && codecType !== CodecType.HTTP2)
    return { error: `codec_type: ${codecType} is not supported (AUTO, HTTP1, HTTP2 are)` };
  const created = context.createHttp(hcm, context.chainName);
  // Discriminate on the handler's method: a handler class may well have an `error` member of its own.
  if (!('handleConnection' in created)) return { error: created.error };
  const handler = created;
  const timeout = hcm.requestHeadersTimeout ? durationMs(hcm.requestHeadersTimeout) : 0;
  const detectTimeoutMs = timeout > 0 ? timeout : DEFAULT_CODEC_DETECT_TIMEOUT_MS;
  const route = hcm.routeSpecifier;
  const filter: TerminalNetworkFilter = {
    kind: 'terminal',
    onConnection(socket, connection) {
      const known = codecWithoutPeeking(codecType, connection);
      if (known) return handler.handleConnection(socket, known, connection.info);
      detectCodecByPreface(socket, detectTimeoutMs, (protocol) => {
        if (protocol) handler.handleConnection(socket, protocol, connection.info);
        else socket.destroy();
      });
    },
    drain: (options) => handler.drain(options),
    close: () => handler.close(),
    routeConfigNames: route.case === 'rds' ? [route.value.routeConfigName] : [],
  };
  return filter;
};
