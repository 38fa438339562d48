// Gateway server hosts (`[namespace/]host`) against VirtualService hosts: which VirtualServices a server
// admits, and the host each resulting virtual host is for.
import type { Server } from '@heddle/api';
import { hostMatches } from '../snapshot/host-names.ts';

export interface ServerHost {
  /** `*` for any namespace. */
  readonly namespace: string;
  readonly host: string;
}

/** No namespace, or namespace `*`, admits any namespace; `.` the gateway's own. */
export function parseServerHosts(server: Server, gatewayNamespace: string): ServerHost[] {
  return server.hosts.map((entry) => {
    const slash = entry.indexOf('/');
    if (slash < 0) return { namespace: '*', host: entry.toLowerCase() };
    const namespace = entry.slice(0, slash);
    return {
      namespace: namespace === '.' ? gatewayNamespace : namespace,
      host: entry.slice(slash + 1).toLowerCase(),
    };
  });
}

/** The server host names that a VirtualService of `namespace` may bind to. */
export function admittedHosts(hosts: readonly ServerHost[], namespace: string): string[] {
  return hosts.filter((h) => h.namespace === '*' || h.namespace === namespace).map((h) => h.host);
}

/**
 * Each overlap of a VirtualService host with a server host gives a virtual host for the more specific of
 * the two (VirtualService `*` on a `shop.example.com` server serves `shop.example.com` only).
 */
export function boundHosts(virtualServiceHosts: readonly string[], serverHosts: readonly string[]): string[] {
  const out = new Set<string>();
  for (const vsHost of virtualServiceHosts) {
    for (const serverHost of serverHosts) {
      if (hostMatches(serverHost, vsHost)) out.add(vsHost);
      else if (hostMatches(vsHost, serverHost)) out.add(serverHost);
    }
  }
  return [...out];
}
