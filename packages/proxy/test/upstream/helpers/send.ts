// Sends one request through a cluster view to a host and reads the whole response, as the router would.
import type { ClusterView, UpstreamHost, UpstreamHttpRequest } from '../../../src/upstream/cluster-view.ts';

export interface ReadResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
  readonly body: string;
  readonly trailers: Readonly<Record<string, string>>;
}

export function request(init: Partial<UpstreamHttpRequest> = {}): UpstreamHttpRequest {
  return { method: 'GET', path: '/', authority: 'upstream.test', headers: {}, protocol: 'http1', ...init };
}

export async function send(
  cluster: ClusterView,
  host: UpstreamHost,
  init: Partial<UpstreamHttpRequest> = {},
): Promise<ReadResponse> {
  const attempt = cluster.sendHttp(host, request(init));
  const response = await attempt.response;
  const chunks: Buffer[] = [];
  for await (const chunk of response.body) chunks.push(Buffer.from(chunk));
  return {
    status: response.status,
    headers: response.headers,
    body: Buffer.concat(chunks).toString(),
    trailers: (await response.trailers) ?? {},
  };
}

/** Picks a host with the cluster's LB and sends to it; reports the outcome as the router would. */
export async function sendVia(
  cluster: ClusterView,
  init: Partial<UpstreamHttpRequest> = {},
): Promise<ReadResponse> {
  const host = cluster.selectHost({});
  if (!host) throw new Error('no host');
  const response = await send(cluster, host, init);
  cluster.recordOutcome(host, { kind: 'response', status: response.status });
  return response;
}
