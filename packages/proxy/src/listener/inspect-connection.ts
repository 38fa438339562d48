// Runs a listener's inspectors on a new connection (tls_inspector, then http_inspector on plaintext) by peeking
// at its first bytes, and reports what filter-chain matching needs: transport, SNI, ALPN or detected protocol.
import type { Socket } from 'node:net';
import { inspectHttp, MAX_HTTP_INSPECT_BYTES } from './http-inspect.ts';
import type { ListenerFilterPlan } from './listener-filters.ts';
import type { ListenerStats } from './listener-stats.ts';
import { peekSocket } from './socket-peek.ts';
import { DEFAULT_MAX_CLIENT_HELLO_BYTES, parseClientHello } from './tls-client-hello.ts';

export interface Inspection {
  readonly transportProtocol: 'tls' | 'raw_buffer';
  /** '' when none (or not inspected). */
  readonly serverName: string;
  /** ALPN offered in the ClientHello, or the http_inspector's protocol. */
  readonly applicationProtocols: readonly string[];
  /** `http/1.0`, `http/1.1` or `h2c`, when the http_inspector recognised plaintext HTTP. */
  readonly detectedProtocol: string | undefined;
}

const NOT_INSPECTED: Inspection = {
  transportProtocol: 'raw_buffer',
  serverName: '',
  applicationProtocols: [],
  detectedProtocol: undefined,
};

/** Calls back with undefined after closing the socket (peer gone, timeout, oversized ClientHello). */
export function inspectConnection(
  socket: Socket,
  plan: ListenerFilterPlan,
  destinationPort: number,
  stats: ListenerStats,
  done: (inspection: Inspection | undefined) => void,
): void {
  const tlsOn = plan.tlsInspector?.(destinationPort) ?? false;
  const httpOn = plan.httpInspector?.(destinationPort) ?? false;
  if (!tlsOn && !httpOn) return done(NOT_INSPECTED);
  let result: Inspection = NOT_INSPECTED;
  let tlsPending = tlsOn;
  let tooLarge = false;
  let scanned = 0;
  const decide = (buffered: Buffer): number => {
    if (tlsPending) {
      const hello = parseClientHello(buffered);
      if (hello.kind === 'need-more') return hello.needBytes;
      tlsPending = false;
      if (hello.kind === 'too-large') {
        tooLarge = true;
        return 0;
      }
      if (hello.kind === 'client-hello') {
        stats.tlsFound.inc();
        if (hello.serverName !== undefined) stats.sniFound.inc();
        if (hello.alpn.length > 0) stats.alpnFound.inc();
        result = {
          ...result,
          transportProtocol: 'tls',
          serverName: hello.serverName ?? '',
          applicationProtocols: hello.alpn,
        };
        return 0;
      }
      stats.tlsNotFound.inc();
    }
    if (!httpOn) return 0;
    const http = inspectHttp(buffered, scanned);
    if (http.kind === 'need-more') {
      scanned = buffered.length;
      return http.needBytes;
    }
    if (http.kind === 'not-http') stats.httpNotFound.inc();
    else {
      (http.kind === 'h2c'
        ? stats.http2Found
        : http.kind === 'http/1.1'
          ? stats.http11Found
          : stats.http10Found
      ).inc();
      result = { ...result, applicationProtocols: [http.kind], detectedProtocol: http.kind };
    }
    return 0;
  };
  const maxBytes = tlsOn ? DEFAULT_MAX_CLIENT_HELLO_BYTES : MAX_HTTP_INSPECT_BYTES;
  peekSocket(socket, { maxBytes, timeoutMs: plan.timeoutMs }, decide, (outcome) => {
    if (outcome === 'closed') {
      stats.listenerFilterRemoteClose.inc();
      socket.destroy();
      return done(undefined);
    }
    if (outcome === 'timeout') {
      stats.preCxTimeout.inc();
      if (plan.continueOnTimeout) return done(result);
      socket.destroy();
      return done(undefined);
    }
    if (tooLarge) {
      stats.clientHelloTooLarge.inc();
      socket.destroy();
      return done(undefined);
    }
    done(result);
  });
}
