// The request as sent upstream: the canonical downstream request with the route's path and host rewrites,
// header edits (weighted cluster, route, virtual host, configuration) and hop-by-hop headers removed.
import {
  appendValue,
  createHeaderMap,
  firstValue,
  stripHopByHop,
  type HeaderMap,
} from '../../../http/headers.ts';
import type {
  CompiledRoute,
  ForwardAction,
  WeightedClusterEntry,
} from '../../../http/routing/compiled-route.ts';

export interface UpstreamRequestBase {
  readonly method: string;
  readonly path: string;
  readonly authority: string;
  /** Without pseudo-headers. */
  readonly headers: HeaderMap;
  /** `auto_host_rewrite`: the authority becomes the chosen host's, per attempt. */
  readonly autoHost: boolean;
}

function rewritePath(path: string, route: CompiledRoute, action: ForwardAction): string {
  const rewrite = action.pathRewrite;
  if (!rewrite) return path;
  const q = path.indexOf('?');
  const pathOnly = q < 0 ? path : path.slice(0, q);
  const query = q < 0 ? '' : path.slice(q);
  if (rewrite.kind === 'prefix') {
    const prefix = route.matchedPrefix ?? '';
    return `${rewrite.replacement}${pathOnly.slice(prefix.length)}${query}`;
  }
  return `${pathOnly.replace(rewrite.regex, rewrite.substitution)}${query}`;
}

export function buildUpstreamRequest(
  downstream: HeaderMap,
  route: CompiledRoute,
  action: ForwardAction,
  weighted: WeightedClusterEntry | undefined,
  options: { readonly upgrade: boolean; readonly suppressEnvoyHeaders: boolean },
): UpstreamRequestBase {
  const headers = createHeaderMap();
  for (const name in downstream) {
    if (name.charCodeAt(0) !== 58 /* ':' */) headers[name] = downstream[name] as string | string[];
  }
  const method = firstValue(downstream, ':method') ?? 'GET';
  const originalPath = firstValue(downstream, ':path') ?? '/';
  const originalAuthority = firstValue(downstream, ':authority') ?? '';
  const path = rewritePath(originalPath, route, action);
  if (path !== originalPath && !options.suppressEnvoyHeaders) headers['x-envoy-original-path'] = originalPath;
  let authority = originalAuthority;
  const host =
    weighted?.hostRewrite !== undefined
      ? { kind: 'literal' as const, value: weighted.hostRewrite }
      : action.hostRewrite;
  if (host?.kind === 'literal') authority = host.value;
  else if (host?.kind === 'header') authority = firstValue(downstream, host.header) ?? authority;
  if (authority !== originalAuthority && action.appendXForwardedHost) {
    appendValue(headers, 'x-forwarded-host', originalAuthority);
  }
  // Upgrades keep `connection`/`upgrade`: the tunnel forwards the handshake as it came.
  const connection = headers['connection'];
  const upgrade = headers['upgrade'];
  stripHopByHop(headers, true);
  if (options.upgrade && upgrade !== undefined) {
    headers['connection'] = 'upgrade';
    headers['upgrade'] = upgrade;
  } else if (options.upgrade && connection !== undefined) {
    headers['connection'] = connection;
  }
  weighted?.requestMutation?.(headers);
  route.requestMutation?.(headers);
  return { method, path, authority, headers, autoHost: host?.kind === 'auto' };
}
