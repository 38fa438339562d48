// Which HTTP codec a connection speaks: forced by codec_type, negotiated by ALPN on TLS, or (AUTO on plaintext)
// recognised by the HTTP/2 prior-knowledge preface, as Envoy's AUTO codec does.
import { HttpConnectionManager_CodecType as CodecType } from '@heddle/xds/gen/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager_pb.ts';
import type { Duplex } from 'node:stream';
import { HTTP2_PREFACE } from '../../../listener/http-inspect.ts';
import { peekSocket } from '../../../listener/socket-peek.ts';
import type { DownstreamConnection } from '../network-filter.ts';

export type HttpProtocol = 'http1' | 'http2';

/** How long a plaintext AUTO connection may take to show whether it starts with the HTTP/2 preface. */
export const DEFAULT_CODEC_DETECT_TIMEOUT_MS = 15_000;

/** Undefined: the bytes must be looked at. */
export function codecWithoutPeeking(
  codecType: number,
  connection: DownstreamConnection,
): HttpProtocol | undefined {
  if (codecType === CodecType.HTTP1) return 'http1';
  if (codecType === CodecType.HTTP2) return 'http2';
  if (connection.info.tls) return connection.negotiatedProtocol === 'h2' ? 'http2' : 'http1';
  if (connection.detectedProtocol === 'h2c') return 'http2';
  if (connection.detectedProtocol?.startsWith('http/1') === true) return 'http1';
  return undefined;
}

/** Calls back with undefined when the client closed or stayed silent past the deadline. */
export function detectCodecByPreface(
  socket: Duplex,
  timeoutMs: number,
  done: (protocol: HttpProtocol | undefined) => void,
): void {
  peekSocket(
    socket,
    { maxBytes: HTTP2_PREFACE.length, timeoutMs },
    (buffered) => {
      const n = Math.min(buffered.length, HTTP2_PREFACE.length);
      if (!buffered.subarray(0, n).equals(HTTP2_PREFACE.subarray(0, n))) return 0;
      return n === HTTP2_PREFACE.length ? 0 : HTTP2_PREFACE.length;
    },
    (outcome, buffered) => {
      if (outcome === 'closed' || outcome === 'timeout') return done(undefined);
      const isPreface = buffered.subarray(0, HTTP2_PREFACE.length).equals(HTTP2_PREFACE);
      done(isPreface ? 'http2' : 'http1');
    },
  );
}
