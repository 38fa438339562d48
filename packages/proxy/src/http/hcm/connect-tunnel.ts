// CONNECT on an HTTP proxy listener (Heddle's explicit capture; the connection manager's upgrade_configs
// must list CONNECT). Clients such as Node's fetch behind HTTP_PROXY send `CONNECT host:port` even for
// http:// URLs, so the tunnel is not blind: the target is looked up in the route table as a request to
// that authority would be, and then
//   - a route to a mesh service answers 200 and reads the tunnel's first bytes: HTTP (HTTP/1.x or h2c)
//     goes back to this connection manager as a new downstream connection, so every request in the tunnel
//     is routed, retried, secured and counted like an absolute-form proxy request; anything else (TLS from
//     an https:// URL) is relayed to a host of the route's cluster, as a TLS passthrough route would;
//   - a route to an ORIGINAL_DST cluster (Istio's PassthroughCluster, outboundTrafficPolicy ALLOW_ANY)
//     relays to the target itself;
//   - a direct response (REGISTRY_ONLY's 502), a redirect or no route refuses the CONNECT with that status.
import type { IncomingMessage } from 'node:http';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import { chooseWeighted, targetClusterName } from '../../filters/http/router/cluster-choice.ts';
import { relay } from '../../filters/network/tcp-proxy/pipe.ts';
import type { ClusterManagerView, ClusterView } from '../../upstream/cluster-view.ts';
import type { RandomSource } from '../clock.ts';
import { createHeaderMap, type HeaderMap } from '../headers.ts';
import type { DownstreamConnectionInfo } from '../http-connection-handler.ts';
import { HTTP2_PREFACE, inspectHttp } from '../../listener/http-inspect.ts';
import type { CompiledRouteTable } from '../route-tables.ts';
import { selectRoute, type CompiledRoute } from '../routing/compiled-route.ts';
import type { HcmStats } from './hcm-stats.ts';

/** `host:port` with a name, IPv4 or bracketed IPv6 host and a port. */
const TARGET = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?):(\d{1,5})$/;
/** How long the tunnel may stay silent before its first bytes tell HTTP from anything else. */
const FIRST_BYTES_TIMEOUT_MS = 10_000;

export interface ConnectDeps {
  readonly table: CompiledRouteTable | undefined;
  readonly clusters: ClusterManagerView;
  readonly random: RandomSource;
  readonly stats: HcmStats;
  /** Serves a tunnel that carries HTTP as a new downstream connection of this connection manager. */
  serveHttp(socket: Duplex, protocol: 'http1' | 'http2', info: DownstreamConnectionInfo): void;
}

export type ConnectPlan =
  | { readonly kind: 'refuse'; readonly status: number; readonly reason: string }
  | { readonly kind: 'mesh'; readonly cluster: ClusterView }
  | { readonly kind: 'passthrough'; readonly cluster: ClusterView };

/** What a CONNECT to `target` gets, from the route a request to that authority would take. */
export function planConnect(
  target: string,
  headers: HeaderMap,
  info: DownstreamConnectionInfo,
  deps: Pick<ConnectDeps, 'table' | 'clusters' | 'random'>,
): ConnectPlan {
  if (!TARGET.test(target) || Number(TARGET.exec(target)?.[3]) > 65_535)
    return { kind: 'refuse', status: 400, reason: 'Bad Request' };
  const route = routeFor(target, headers, info, deps);
  if (!route) return { kind: 'refuse', status: 404, reason: 'Not Found' };
  const action = route.action;
  if (action.kind === 'direct-response') return { kind: 'refuse', status: action.status, reason: 'Refused' };
  if (action.kind !== 'forward') return { kind: 'refuse', status: 403, reason: 'Forbidden' };
  const name = targetClusterName(action, headers, chooseWeighted(action, deps.random));
  const cluster = name === '' ? undefined : deps.clusters.cluster(name);
  if (!cluster) return { kind: 'refuse', status: 503, reason: 'Service Unavailable' };
  return cluster.forwardsToOriginalDestination ? { kind: 'passthrough', cluster } : { kind: 'mesh', cluster };
}

function routeFor(
  target: string,
  headers: HeaderMap,
  info: DownstreamConnectionInfo,
  deps: Pick<ConnectDeps, 'table' | 'random'>,
): CompiledRoute | undefined {
  const vhost = deps.table?.virtualHost(target.toLowerCase());
  if (!vhost) return undefined;
  return selectRoute(vhost, {
    headers,
    path: '/',
    query: () => new Map(),
    random: deps.random,
    tls: info.tls,
    peerCertificatePresented: info.peerPrincipal !== undefined,
    dynamicMetadata: new Map(),
  });
}

/** Answers the CONNECT on `socket` (the HTTP/1.1 codec has let go of it) and runs the tunnel. */
export function handleConnect(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  info: DownstreamConnectionInfo,
  deps: ConnectDeps,
): void {
  socket.on('error', () => {});
  const target = req.url ?? '';
  const headers = createHeaderMap();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2)
    headers[(req.rawHeaders[i] as string).toLowerCase()] = req.rawHeaders[i + 1] as string;
  headers[':method'] = 'CONNECT';
  headers[':authority'] = target;
  headers[':path'] = '/';
  deps.stats.rqTotal.inc();
  deps.stats.rqHttp1Total.inc();
  const plan = planConnect(target, headers, info, deps);
  if (plan.kind === 'refuse') {
    if (plan.status === 404) deps.stats.noRoute.inc();
    socket.end(`HTTP/1.1 ${plan.status} ${plan.reason}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n`);
    return;
  }
  deps.stats.cxUpgradesTotal.inc();
  if (plan.kind === 'passthrough') {
    void tunnelToTarget(socket, head, target, plan.cluster);
    return;
  }
  socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
  firstBytes(socket, head, (data) => {
    if (data === undefined) {
      socket.destroy();
      return;
    }
    socket.unshift(data);
    const inspected = inspectHttp(data);
    if (inspected.kind === 'h2c') deps.serveHttp(socket, 'http2', info);
    else if (inspected.kind === 'http/1.1' || inspected.kind === 'http/1.0')
      deps.serveHttp(socket, 'http1', info);
    else void tunnelToCluster(socket, plan.cluster);
  });
}

/** Collects the tunnel's first bytes until HTTP can be told from anything else (or the client is silent). */
function firstBytes(socket: Duplex, head: Buffer, done: (data: Buffer | undefined) => void): void {
  let data = head;
  let finished = false;
  const finish = (result: Buffer | undefined): void => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    socket.off('data', onData);
    socket.off('close', onClose);
    socket.pause();
    done(result);
  };
  const decided = (): boolean => {
    if (data.length === 0) return false;
    if (data[0] === 0x16) return true; // a TLS handshake record
    const inspected = inspectHttp(data);
    return inspected.kind !== 'need-more' || data.length >= HTTP2_PREFACE.length * 4;
  };
  const onData = (chunk: Buffer): void => {
    data = data.length === 0 ? chunk : Buffer.concat([data, chunk]);
    if (decided()) finish(data);
  };
  const onClose = (): void => finish(undefined);
  const timer = setTimeout(() => finish(data.length > 0 ? data : undefined), FIRST_BYTES_TIMEOUT_MS);
  if (decided()) {
    finish(data);
    return;
  }
  socket.on('data', onData);
  socket.on('close', onClose);
  socket.resume();
}

/** Relays the tunnel to one host of the route's cluster (over its transport socket, e.g. mesh mTLS). */
async function tunnelToCluster(socket: Duplex, cluster: ClusterView): Promise<void> {
  const host = cluster.selectHost({});
  if (!host) {
    socket.destroy();
    return;
  }
  await pipeTo(socket, cluster, host);
}

/** ALLOW_ANY: relays to the CONNECT target itself, its name resolved here. */
async function tunnelToTarget(
  socket: Duplex,
  head: Buffer,
  target: string,
  cluster: ClusterView,
): Promise<void> {
  const colon = target.lastIndexOf(':');
  const name = target.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
  const port = target.slice(colon + 1);
  let address = name;
  if (isIP(name) === 0) {
    try {
      address = (await lookup(name)).address;
    } catch {
      socket.end('HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
      return;
    }
  }
  const destination = isIP(address) === 6 ? `[${address}]:${port}` : `${address}:${port}`;
  const host = cluster.selectHost({
    originalDestination: destination,
    downstreamOriginalDestination: destination,
  });
  if (!host) {
    socket.end('HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
    return;
  }
  socket.pause();
  const upstream = await connectOrNull(cluster, host);
  if (!upstream) {
    socket.end('HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
    return;
  }
  socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
  if (head.length > 0) upstream.write(head);
  join(socket, upstream);
}

async function pipeTo(
  socket: Duplex,
  cluster: ClusterView,
  host: Parameters<ClusterView['connect']>[0],
): Promise<void> {
  const upstream = await connectOrNull(cluster, host);
  if (!upstream) {
    socket.destroy();
    return;
  }
  join(socket, upstream);
}

async function connectOrNull(
  cluster: ClusterView,
  host: Parameters<ClusterView['connect']>[0],
): Promise<Duplex | undefined> {
  try {
    return await cluster.connect(host);
  } catch {
    cluster.recordOutcome(host, { kind: 'connect-failure' });
    return undefined;
  }
}

function join(downstream: Duplex, upstream: Duplex): void {
  const quiet = { onBytes: () => {}, onPause: () => {}, onResume: () => {} };
  upstream.on('error', () => downstream.destroy());
  downstream.on('error', () => upstream.destroy());
  upstream.on('close', () => downstream.destroy());
  downstream.on('close', () => upstream.destroy());
  relay(downstream, upstream, quiet);
  relay(upstream, downstream, quiet);
}
