// An upgrade request (WebSocket) forwarded as a tunnel to one host: the downstream socket is taken over, and
// a connect failure answers 503 `UF` on the raw socket since no HTTP response can follow any more.
import type { StreamInfo } from '../../../http/stream-info.ts';
import type { ClusterView, UpstreamHost } from '../../../upstream/cluster-view.ts';
import type { UpgradeTunnel } from '../http-filter.ts';
import { openTunnel } from './tunnel.ts';
import type { UpstreamRequestBase } from './upstream-request.ts';
import { classifyUpstreamError } from './upstream-error.ts';

export function forwardUpgrade(
  cluster: ClusterView,
  host: UpstreamHost,
  request: UpstreamRequestBase,
  upgrade: UpgradeTunnel,
  info: StreamInfo,
  /** The tunnel is over (or never opened): release the request's circuit-breaker slot. */
  onDone: () => void,
): { cancel(): void } {
  info.upstreamHost = host.id;
  info.attemptCount = 1;
  const taken = upgrade.take();
  return openTunnel(cluster, host, request, request.headers, taken, info, {
    onConnectFailure: (error) => {
      cluster.recordOutcome(host, { kind: classifyUpstreamError(error) });
      info.responseFlags.add('UF');
      info.responseCode = 503;
      info.responseCodeDetails = 'upstream_reset_before_response_started{connection_failure}';
      taken.socket.end('HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
      onDone();
    },
    onClosed: () => {
      cluster.recordOutcome(host, { kind: 'response', status: info.responseCode ?? 101 });
      onDone();
    },
  });
}
