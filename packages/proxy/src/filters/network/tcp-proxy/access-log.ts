// tcp_proxy's `access_log`: the same file loggers as HTTP connection managers (formats, CEL filter), written
// once per session when it ends, from what a TCP session knows. HTTP-only operators (%REQ(…)%, %PROTOCOL%)
// render as unavailable and %RESPONSE_CODE% as 0, as Envoy writes them for TCP.
import type { StreamInfo } from '../../../http/stream-info.ts';
import type { AccessLogger } from '../../../telemetry/access-log/access-log-config.ts';
import type { TcpSessionHooks, TcpSessionInfo } from './session-info.ts';

/** The session as the access-log operators and the CEL filter read it. */
export function tcpStreamInfo(session: TcpSessionInfo): StreamInfo {
  return {
    startTime: session.startTime,
    startMonotonic: 0,
    ...(session.durationMs !== undefined ? { durationMs: session.durationMs } : {}),
    protocol: 'tcp',
    responseFlags: new Set(session.responseFlags),
    ...(session.upstreamHost ? { upstreamHost: session.upstreamHost.id } : {}),
    ...(session.cluster !== undefined ? { upstreamCluster: session.cluster } : {}),
    bytesReceived: session.bytesReceived,
    bytesSent: session.bytesSent,
    attemptCount: session.connectAttempts,
    downstream: session.downstream,
    downstreamRemoteAddress: session.downstream.remoteAddress,
    dynamicMetadata: new Map(),
  };
}

/** `hooks` plus one access-log line per logger when a session completes. */
export function withTcpAccessLogs(hooks: TcpSessionHooks, loggers: readonly AccessLogger[]): TcpSessionHooks {
  if (loggers.length === 0) return hooks;
  return {
    ...(hooks.onSessionStart ? { onSessionStart: (info) => hooks.onSessionStart?.(info) } : {}),
    onSessionComplete: (info) => {
      hooks.onSessionComplete?.(info);
      const stream = tcpStreamInfo(info);
      for (const logger of loggers) logger.log(stream);
    },
  };
}
