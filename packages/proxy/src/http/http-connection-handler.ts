// The seam between listeners and HTTP: a listener that matched an HCM filter chain hands each accepted
// (and, for TLS, terminated) connection to the HTTP connection manager built for that chain.
import type { Duplex } from 'node:stream';

export interface DownstreamConnectionInfo {
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly localAddress: string;
  readonly localPort: number;
  /** Original destination (transparent capture) when known. */
  readonly originalDestination?: { readonly address: string; readonly port: number };
  /** SNI the client sent, when the connection is TLS. */
  readonly serverName?: string;
  /** Peer identity from a verified client certificate (`spiffe://…` URI SAN), mTLS only. */
  readonly peerPrincipal?: string;
  readonly tls: boolean;
}

export interface HttpConnectionHandler {
  /** Takes over the socket; `protocol` was decided by ALPN or by peeking at the HTTP/2 preface. */
  handleConnection(socket: Duplex, protocol: 'http1' | 'http2', info: DownstreamConnectionInfo): void;
  /**
   * Graceful drain: HTTP/1.1 `Connection: close` on the next responses, HTTP/2 GOAWAY. Idle HTTP/1.1
   * connections close now only with `closeIdle` (shutdown): a pooled client may be sending on one right now.
   */
  drain(options?: { readonly closeIdle?: boolean }): void;
  /** Closes every connection now. */
  close(): void;
}
