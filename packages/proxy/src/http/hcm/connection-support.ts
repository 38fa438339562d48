// Connection bookkeeping of the connection manager (tracking, drain, close) and the checks and response
// touches that do not depend on a codec.
import type { Server } from 'node:http';
import { constants, type ServerHttp2Session } from 'node:http2';
import type { Duplex } from 'node:stream';
import type { LocalReply } from '../../filters/http/http-filter.ts';
import type { HeaderMap } from '../headers.ts';
import type { DownstreamConnectionInfo } from '../http-connection-handler.ts';
import type { StreamInfo } from '../stream-info.ts';
import type { CodecHeaders } from './codec-headers.ts';
import type { HcmOptions } from './hcm-options.ts';
import type { HcmStats } from './hcm-stats.ts';

const UNKNOWN: DownstreamConnectionInfo = {
  remoteAddress: '',
  remotePort: 0,
  localAddress: '',
  localPort: 0,
  tls: false,
};

export class ConnectionTracker {
  readonly #stats: HcmStats;
  readonly #sockets = new Set<Duplex>();
  readonly #info = new WeakMap<Duplex, DownstreamConnectionInfo>();
  readonly #sessions = new Set<ServerHttp2Session>();
  #draining = false;

  constructor(stats: HcmStats) {
    this.#stats = stats;
  }

  get draining(): boolean {
    return this.#draining;
  }

  add(socket: Duplex, info: DownstreamConnectionInfo, codec: 'http1' | 'http2'): void {
    const stats = this.#stats;
    this.#sockets.add(socket);
    this.#info.set(socket, info);
    stats.cxTotal.inc();
    (codec === 'http1' ? stats.cxHttp1Total : stats.cxHttp2Total).inc();
    stats.cxActive.add(1);
    socket.once('close', () => {
      this.#sockets.delete(socket);
      stats.cxActive.add(-1);
    });
  }

  addSession(session: ServerHttp2Session): void {
    this.#sessions.add(session);
    session.once('close', () => this.#sessions.delete(session));
    if (this.#draining) goAway(session);
  }

  info(socket: Duplex): DownstreamConnectionInfo {
    return this.#info.get(socket) ?? UNKNOWN;
  }

  unknownInfo(): DownstreamConnectionInfo {
    return UNKNOWN;
  }

  /** Idle HTTP/1.1 connections close now, busy ones after their response (`Connection: close`); HTTP/2 gets GOAWAY. */
  drain(http1: Server): void {
    this.#draining = true;
    http1.closeIdleConnections();
    for (const session of this.#sessions) goAway(session);
  }

  closeAll(http1: Server): void {
    this.#draining = true;
    http1.closeAllConnections();
    for (const session of this.#sessions) session.destroy();
    for (const socket of this.#sockets) socket.destroy();
  }
}

function goAway(session: ServerHttp2Session): void {
  if (session.closed || session.destroyed) return;
  session.goaway(constants.NGHTTP2_NO_ERROR);
  session.close();
}

/** The header count and codec-level checks; a reply when the request must be refused. */
export function codecHeadersOrReply(
  codec: CodecHeaders,
  options: HcmOptions,
  stats: HcmStats,
): LocalReply | undefined {
  if (codec.count > options.maxHeadersCount) {
    stats.rqTooManyHeaders.inc();
    return { status: 431, details: 'too_many_headers', flag: 'DPE' };
  }
  if (codec.error === 'unsupported_transfer_encoding')
    return { status: 501, details: codec.error, flag: 'DPE' };
  if (codec.error !== undefined) return { status: 400, details: codec.error, flag: 'DPE' };
  return undefined;
}

/** Touches every response gets last: the server header and, when configured, the request id. */
export function finalizeResponse(headers: HeaderMap, info: StreamInfo, options: HcmOptions): void {
  if (
    options.serverHeader === 'overwrite' ||
    (options.serverHeader === 'append-if-absent' && headers['server'] === undefined)
  ) {
    headers['server'] = options.serverName;
  }
  if (options.alwaysSetRequestIdInResponse && info.requestId !== undefined)
    headers['x-request-id'] = info.requestId;
}
