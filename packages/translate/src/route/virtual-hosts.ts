// Envoy virtual hosts named `<host>:<port>` as Istio names them, and the domain de-duplication Envoy requires
// (a domain may appear in only one virtual host of a route configuration).
import { create } from '@bufbuild/protobuf';
import {
  VirtualHost_TlsRequirementType,
  VirtualHostSchema,
  type Route,
  type VirtualHost,
} from '@heddle/xds/gen/envoy/config/route/v3/route_components_pb.ts';
import type { TranslationContext } from '../translate-proxy.ts';
import { withPort } from './domains.ts';
import { ROUTE_WARNINGS } from './warning-codes.ts';

export function virtualHostName(host: string, port: number): string {
  return withPort(host, port);
}

export function virtualHost(
  name: string,
  domains: readonly string[],
  routes: readonly Route[],
  options: { readonly requireTls?: boolean } = {},
): VirtualHost {
  return create(VirtualHostSchema, {
    name,
    domains: [...domains],
    routes: [...routes],
    // x-envoy-attempt-count lets upstreams and logs tell retries from first tries.
    includeRequestAttemptCount: true,
    requireTls: options.requireTls ? VirtualHost_TlsRequirementType.ALL : VirtualHost_TlsRequirementType.NONE,
  });
}

/**
 * Earlier virtual hosts keep a contested domain (callers order them by precedence); a virtual host left
 * without domains is dropped. Envoy compares domains case-insensitively.
 */
export function dedupeDomains(
  ctx: TranslationContext,
  routeConfig: string,
  vhosts: readonly VirtualHost[],
): VirtualHost[] {
  const owner = new Map<string, string>();
  const out: VirtualHost[] = [];
  for (const vhost of vhosts) {
    const domains = vhost.domains.filter((domain) => {
      const key = domain.toLowerCase();
      const taken = owner.get(key);
      if (taken === undefined) {
        owner.set(key, vhost.name);
        return true;
      }
      if (taken !== vhost.name) {
        ctx.warn({
          code: ROUTE_WARNINGS.DUPLICATE_DOMAIN,
          message: `route configuration ${routeConfig}: domain ${domain} of ${vhost.name} is already served by ${taken}`,
        });
      }
      return false;
    });
    if (domains.length > 0) out.push({ ...vhost, domains });
  }
  return out;
}
