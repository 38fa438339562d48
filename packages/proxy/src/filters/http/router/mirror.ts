// Request mirroring (shadowing): a fire-and-forget copy of the request to another cluster, with `-shadow`
// appended to the host; its response is read and dropped, its failures are only recorded.
import type { ClusterManagerView, UpstreamHttpRequest } from '../../../upstream/cluster-view.ts';
import type { HttpClock } from '../../../http/clock.ts';
import type { MirrorPolicy } from '../../../http/routing/compiled-route.ts';
import { sampled } from '../../../http/routing/fractional-percent.ts';
import type { UpstreamRequestBase } from './upstream-request.ts';
import { classifyUpstreamError } from './upstream-error.ts';

export function shadowAuthority(authority: string): string {
  const colon = authority.lastIndexOf(':');
  if (colon > 0 && /^\d+$/.test(authority.slice(colon + 1)) && !authority.endsWith(']')) {
    return `${authority.slice(0, colon)}-shadow${authority.slice(colon)}`;
  }
  return `${authority}-shadow`;
}

async function drain(body: AsyncIterable<Uint8Array>): Promise<void> {
  for await (const _chunk of body) {
    // The shadow's response is never used.
  }
}

export interface MirrorContext {
  readonly clusters: ClusterManagerView;
  readonly clock: HttpClock;
  readonly random: () => number;
  readonly timeoutMs: number;
  readonly protocol: 'http1' | 'http2';
}

export function startMirrors(
  policies: readonly MirrorPolicy[],
  request: UpstreamRequestBase,
  body: AsyncIterable<Uint8Array> | (() => AsyncIterable<Uint8Array>) | undefined,
  context: MirrorContext,
): void {
  for (const policy of policies) {
    if (!sampled(policy.share, context.random)) continue;
    const cluster = context.clusters.cluster(policy.cluster);
    const guard = cluster?.admitRequest();
    if (!cluster || !guard) continue;
    const host = cluster.selectHost({});
    if (!host) {
      guard.release();
      continue;
    }
    const shadow: UpstreamHttpRequest = {
      method: request.method,
      path: request.path,
      authority: policy.appendShadowSuffix ? shadowAuthority(request.authority) : request.authority,
      headers: request.headers,
      ...(body !== undefined ? { body: typeof body === 'function' ? body() : body } : {}),
      protocol: context.protocol,
    };
    const attempt = cluster.sendHttp(host, shadow);
    const timer =
      context.timeoutMs > 0
        ? context.clock.setTimer(context.timeoutMs, () => attempt.cancel('timeout'))
        : undefined;
    void attempt.response
      .then(
        (response) => {
          cluster.recordOutcome(host, { kind: 'response', status: response.status });
          return drain(response.body);
        },
        (error: unknown) => cluster.recordOutcome(host, { kind: classifyUpstreamError(error) }),
      )
      .catch(() => {})
      .finally(() => {
        timer?.cancel();
        guard.release();
      });
  }
}
