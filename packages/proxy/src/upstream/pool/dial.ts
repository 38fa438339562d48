// Opens one upstream connection (TCP, unix socket, or TLS over either) within connect_timeout; TLS peers are
// checked against the cluster's SAN rules before the connection is handed over.
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { AttemptError } from '../attempt-error.ts';
import type { TcpKeepaliveConfig } from '../config/compiled-cluster.ts';
import { verifyPeerIdentity } from './peer-identity.ts';
import type { ResolvedTransport } from './transport-resolver.ts';

export interface DialRequest {
  readonly address: string;
  readonly port: number;
  readonly pipe: boolean;
  readonly transport: ResolvedTransport;
  /** SNI to send (never an IP); undefined sends none. */
  readonly servername: string | undefined;
  /** auto_san_validation: the name the certificate must be valid for. */
  readonly verifyHost: string | undefined;
  readonly alpn: readonly string[];
  readonly connectTimeoutMs: number;
  readonly keepalive: TcpKeepaliveConfig | undefined;
}

export type DialCallback = (err: AttemptError | undefined, socket: Socket) => void;

const noop = (): void => {};

/** Returns the socket at once (node:http2 needs it synchronously); `done` runs exactly once. */
export function dial(request: DialRequest, done: DialCallback): Socket {
  const target = request.pipe ? { path: request.address } : { host: request.address, port: request.port };
  const transport = request.transport;
  let socket: Socket;
  if (transport.kind === 'tls') {
    const servername = request.servername && isIP(request.servername) === 0 ? request.servername : undefined;
    socket = tlsConnect({
      ...target,
      ...(servername ? { servername } : {}),
      ...(request.alpn.length > 0 ? { ALPNProtocols: [...request.alpn] } : {}),
      secureContext: transport.secureContext,
      rejectUnauthorized: transport.rejectUnauthorized,
      // Identity is checked below for every handshake, whether or not the chain is verified.
      checkServerIdentity: () => undefined,
    });
  } else {
    socket = netConnect(target);
  }
  // From the start (TLS proxies it to the TCP socket): a request may leave as several writes or TLS records,
  // and the later ones must not wait for the peer's delayed ACK.
  socket.setNoDelay(true);
  let settled = false;
  const where = request.pipe ? request.address : `${request.address}:${request.port}`;
  const finish = (err: AttemptError | undefined): void => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    socket.off('error', onError);
    if (err) {
      socket.on('error', noop);
      socket.destroy();
    }
    done(err, socket);
  };
  const onError = (err: Error): void =>
    finish(
      new AttemptError(
        'connect-failure',
        'HEDDLE_UPSTREAM_CONNECT_FAILURE',
        `connect to ${where} failed: ${err.message}`,
        { cause: err },
      ),
    );
  const timer = setTimeout(
    () =>
      finish(
        new AttemptError(
          'connect-failure',
          'HEDDLE_UPSTREAM_CONNECT_TIMEOUT',
          `connect to ${where} timed out after ${request.connectTimeoutMs}ms`,
        ),
      ),
    request.connectTimeoutMs,
  );
  socket.once('error', onError);
  socket.once(transport.kind === 'tls' ? 'secureConnect' : 'connect', () => {
    if (transport.kind === 'tls') {
      const tlsSocket = socket as TLSSocket;
      const identityError = verifyPeerIdentity(
        tlsSocket.getPeerCertificate(),
        transport.config.sanMatchers,
        request.verifyHost,
      );
      if (identityError) {
        finish(
          new AttemptError(
            'connect-failure',
            'HEDDLE_UPSTREAM_TLS_IDENTITY',
            `TLS peer ${where}: ${identityError.message}`,
            {
              cause: identityError,
            },
          ),
        );
        return;
      }
    }
    socket.setNoDelay(true);
    if (request.keepalive) socket.setKeepAlive(true, request.keepalive.timeMs ?? 0);
    finish(undefined);
  });
  return socket;
}
