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
import { sendShutdownNotice } from './shutdown-notice.ts';
import type { HcmOptions } from './hcm-options.ts';
import type { HcmStats } from './hcm-stats.ts';

/** Envoy's default HCM drain_timeout: from the GOAWAY that announces a drain to the final one. */
const FINAL_GOAWAY_AFTER_MS = 5000;
/**
 * On shutdown, how long an idle HTTP/1.1 keep-alive connection is left before it is closed. Closing at once
 * races a pooled client that is writing its next request on it right then (it sees a reset); a connection that
 * is used within this time is told `Connection: close` on its answer instead.
 */
const IDLE_CLOSE_GRACE_MS = 1000;

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
  /** HTTP/2 sessions and the connection each writes to (for the shutdown notice). */
  readonly #sessions = new Map<ServerHttp2Session, Duplex | undefined>();
  /** Sessions whose SETTINGS the peer acknowledged: frames may follow them. */
  readonly #settled = new WeakSet<ServerHttp2Session>();
  #draining = false;
  #finalGoAway: NodeJS.Timeout | undefined;
  #idleClose: NodeJS.Timeout | undefined;
  #finalGoAwaySent = false;

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
      if (this.#draining) stats.cxDrainClose.inc();
    });
  }

  addSession(session: ServerHttp2Session, socket?: Duplex): void {
    this.#sessions.set(session, socket);
    session.once('close', () => this.#sessions.delete(session));
    session.once('localSettings', () => this.#settled.add(session));
    if (!this.#draining) return;
    if (this.#finalGoAwaySent) goAway(session);
    else this.#announceGoAway(session, socket);
  }

  /** The shutdown notice; the final GOAWAY follows (a session without a known socket gets only that). */
  #announceGoAway(session: ServerHttp2Session, socket: Duplex | undefined): void {
    if (socket) sendShutdownNotice(session, socket, this.#settled.has(session));
  }

  info(socket: Duplex): DownstreamConnectionInfo {
    return this.#info.get(socket) ?? UNKNOWN;
  }

  unknownInfo(): DownstreamConnectionInfo {
    return UNKNOWN;
  }

  /**
   * HTTP/1.1 connections close after their next response (`Connection: close`); idle ones stay open until
   * then or the drain deadline, since a pooled client may be writing a request on one right now — unless
   * `closeIdle` (shutdown), which closes those still idle after a short grace. HTTP/2 gets a GOAWAY that refuses nothing, then the final one a while later, so
   * the client has moved new streams elsewhere before any could be refused.
   */
  drain(http1: Server, closeIdle = false): void {
    this.#draining = true;
    if (closeIdle) {
      this.#idleClose ??= setTimeout(() => http1.closeIdleConnections(), IDLE_CLOSE_GRACE_MS);
      this.#idleClose.unref();
      this.#sendFinalGoAway();
      return;
    }
    if (this.#finalGoAway || this.#finalGoAwaySent) return;
    for (const [session, socket] of this.#sessions) this.#announceGoAway(session, socket);
    this.#finalGoAway = setTimeout(() => this.#sendFinalGoAway(), FINAL_GOAWAY_AFTER_MS);
    this.#finalGoAway.unref();
  }

  #sendFinalGoAway(): void {
    clearTimeout(this.#finalGoAway);
    this.#finalGoAwaySent = true;
    for (const session of this.#sessions.keys()) goAway(session);
  }

  closeAll(http1: Server): void {
    clearTimeout(this.#finalGoAway);
    clearTimeout(this.#idleClose);
    this.#draining = true;
    http1.closeAllConnections();
    for (const session of this.#sessions.keys()) session.destroy();
    for (const socket of this.#sockets) socket.destroy();
  }
}

/** The final GOAWAY (the last stream the session took); the session closes once its streams finish. */
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
