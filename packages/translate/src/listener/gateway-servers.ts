// What each Gateway server is (HTTP, terminated HTTPS/TLS, TLS passthrough, TCP) and the hosts it exposes.
import type { Gateway, Server, VirtualService } from '@heddle/api';
import { resolveHost } from '../snapshot/host-names.ts';
import { gatewayKey } from '../snapshot/mesh-index.ts';
import type { TranslationContext } from '../translate-proxy.ts';
import { namespaceOf } from './l4-match.ts';
import { protocolClass } from './protocol-class.ts';
import { hostsIntersect } from './tls-routes.ts';

export type ServerKind = 'http' | 'https' | 'tls-terminate' | 'tls-passthrough' | 'tcp' | 'unsupported';

/** Servers of one family can share a port; plaintext HTTP, plaintext TCP and TLS cannot be told apart. */
export type ServerFamily = 'http' | 'tcp' | 'tls';

export interface GatewayServer {
  readonly gateway: Gateway;
  readonly server: Server;
}

const TERMINATING = new Set(['SIMPLE', 'MUTUAL', 'OPTIONAL_MUTUAL', 'ISTIO_MUTUAL']);

/** The protocol decides: an HTTP server's `tls` only carries httpsRedirect; unset TLS mode is PASSTHROUGH. */
export function serverKind(server: Server): ServerKind {
  const kind = protocolClass(server.port.protocol);
  if (kind !== 'tls') return kind;
  const mode = server.tls?.mode ?? 'PASSTHROUGH';
  if (TERMINATING.has(mode))
    return server.port.protocol.toUpperCase() === 'HTTPS' ? 'https' : 'tls-terminate';
  return mode === 'PASSTHROUGH' ? 'tls-passthrough' : 'unsupported';
}

export function serverFamily(kind: Exclude<ServerKind, 'unsupported'>): ServerFamily {
  return kind === 'http' || kind === 'tcp' ? kind : 'tls';
}

interface ServerHost {
  /** `*` any namespace, else the one namespace whose VirtualServices may bind. */
  readonly namespace: string;
  readonly host: string;
}

/** `[namespace/]host`: `.` is the Gateway's own namespace; no namespace is any. */
export function serverHosts({ gateway, server }: GatewayServer): ServerHost[] {
  return server.hosts.map((entry) => {
    const slash = entry.indexOf('/');
    const namespace = slash < 0 ? '*' : entry.slice(0, slash);
    return {
      namespace: namespace === '.' ? namespaceOf(gateway) : namespace,
      host: (slash < 0 ? entry : entry.slice(slash + 1)).toLowerCase(),
    };
  });
}

/** SNI values a terminating server answers to; none (any SNI) when one of its hosts is `*`. */
export function serverSni(server: GatewayServer): string[] {
  const hosts = serverHosts(server).map((h) => h.host);
  return hosts.includes('*') ? [] : [...new Set(hosts)];
}

/** VirtualServices bound to the gateway, from a namespace the server admits, with a host it exposes. */
export function boundVirtualServices(ctx: TranslationContext, server: GatewayServer): VirtualService[] {
  const key = gatewayKey(server.gateway.metadata.name, namespaceOf(server.gateway));
  const hosts = serverHosts(server);
  return ctx.index.virtualServicesFor(key, ctx.node.namespace).filter((vs) => {
    const vsNamespace = namespaceOf(vs);
    const vsHosts = (vs.spec.hosts ?? []).map((h) => resolveHost(h, vsNamespace, ctx.index.domainSuffix));
    return hosts.some(
      (allowed) =>
        (allowed.namespace === '*' || allowed.namespace === vsNamespace) &&
        vsHosts.some((host) => hostsIntersect(allowed.host, host)),
    );
  });
}

/** Istio's RDS name for a terminating HTTPS server. */
export function httpsRouteName({ gateway, server }: GatewayServer): string {
  return `https.${server.port.number}.${server.port.name}.${gateway.metadata.name}.${namespaceOf(gateway)}`;
}
