// What the load balancer sees of a request: its hash key, the hosts retries should avoid, and the original
// destination (from `x-envoy-original-dst-host` or the downstream connection) for ORIGINAL_DST clusters.
import { firstValue, type HeaderMap } from '../../../http/headers.ts';
import type { StreamInfo } from '../../../http/stream-info.ts';
import type { LoadBalancerContext } from '../../../upstream/cluster-view.ts';

export const ORIGINAL_DST_HOST_HEADER = 'x-envoy-original-dst-host';

export interface RequestDestination {
  readonly originalDestination?: string;
  readonly downstreamOriginalDestination?: string;
}

export function requestDestination(headers: HeaderMap, info: StreamInfo): RequestDestination {
  const original = info.downstream.originalDestination;
  // One object shape for every request: absent fields are undefined.
  return {
    originalDestination: firstValue(headers, ORIGINAL_DST_HOST_HEADER),
    downstreamOriginalDestination: original ? `${original.address}:${original.port}` : undefined,
  };
}

export function lbContext(
  destination: RequestDestination,
  hashKey: string | undefined,
  exclude: ReadonlySet<string> | undefined,
): LoadBalancerContext {
  return {
    hashKey,
    exclude,
    originalDestination: destination.originalDestination,
    downstreamOriginalDestination: destination.downstreamOriginalDestination,
  };
}
