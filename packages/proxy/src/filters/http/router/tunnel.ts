// WebSocket (HTTP/1.1 Upgrade) pass-through: the handshake is written to a raw upstream connection and the
// two sockets are then joined; the upstream's status line is read for the stream info.
import type { Duplex } from 'node:stream';
import type { HeaderMap } from '../../../http/headers.ts';
import type { StreamInfo } from '../../../http/stream-info.ts';
import type { ClusterView, UpstreamHost } from '../../../upstream/cluster-view.ts';
import type { UpstreamRequestBase } from './upstream-request.ts';

function requestHead(request: UpstreamRequestBase, headers: HeaderMap): string {
  const lines = [`${request.method} ${request.path} HTTP/1.1`, `host: ${request.authority}`];
  for (const name in headers) {
    const value = headers[name] as string | string[];
    for (const v of typeof value === 'string' ? [value] : value) lines.push(`${name}: ${v}`);
  }
  return `${lines.join('\r\n')}\r\n\r\n`;
}

export interface TunnelCallbacks {
  /** The upstream connection failed before the handshake was written. */
  onConnectFailure(error: unknown): void;
  /** Both sides are closed. */
  onClosed(): void;
}

export function openTunnel(
  cluster: ClusterView,
  host: UpstreamHost,
  request: UpstreamRequestBase,
  headers: HeaderMap,
  downstream: { readonly socket: Duplex; readonly head: Uint8Array },
  info: StreamInfo,
  callbacks: TunnelCallbacks,
): { cancel(): void } {
  let upstream: Duplex | undefined;
  let cancelled = false;
  const { socket } = downstream;
  cluster.connect(host).then(
    (connection) => {
      if (cancelled || socket.destroyed) {
        connection.destroy();
        return;
      }
      upstream = connection;
      connection.write(requestHead(request, headers));
      if (downstream.head.length > 0) connection.write(downstream.head);
      connection.once('data', (first: Buffer) => {
        const status = /^HTTP\/1\.[01] (\d{3})/.exec(first.subarray(0, 16).toString('latin1'));
        if (status) info.responseCode = Number(status[1]);
      });
      let closed = 0;
      const closeBoth = (): void => {
        if (++closed > 1) return;
        socket.destroy();
        connection.destroy();
        callbacks.onClosed();
      };
      connection.on('data', (chunk: Buffer) => {
        info.bytesSent += chunk.length;
      });
      socket.on('data', (chunk: Buffer) => {
        info.bytesReceived += chunk.length;
      });
      socket.pipe(connection);
      connection.pipe(socket);
      connection.on('close', closeBoth);
      socket.on('close', closeBoth);
      connection.on('error', closeBoth);
      socket.on('error', closeBoth);
    },
    (error: unknown) => {
      if (!cancelled) callbacks.onConnectFailure(error);
    },
  );
  return {
    cancel() {
      cancelled = true;
      upstream?.destroy();
    },
  };
}
