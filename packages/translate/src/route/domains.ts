// The Host values a virtual host answers to: a service's FQDN and the short names clients resolve through
// their DNS search path, each with and without the port, as Istio generates them.
import type { MeshService } from '../model/service.ts';

/**
 * `transparent`: captured traffic on one port, where the Host may or may not carry the port. `proxy`: the
 * explicit HTTP proxy serving every port, where the Host carries the port unless it is 80.
 */
export type DomainStyle = 'transparent' | 'proxy';

export function withPort(host: string, port: number): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Both forms per name for transparent capture; for the proxy, the port form, plus the bare one on port 80. */
export function domainForms(names: readonly string[], port: number, style: DomainStyle): string[] {
  const bare = style === 'transparent' || port === 80;
  return names.flatMap((name) =>
    name === '*' ? ['*'] : bare ? [name, withPort(name, port)] : [withPort(name, port)],
  );
}

/**
 * `reviews`, `reviews.ns`, `reviews.ns.svc` for `reviews.ns.svc.<suffix>`; the bare name only from the
 * service's own namespace, where the search path resolves it. Other host names have no short forms.
 */
export function shortNames(hostname: string, proxyNamespace: string, domainSuffix: string): string[] {
  const suffix = `.svc.${domainSuffix}`;
  if (!hostname.endsWith(suffix)) return [];
  const parts = hostname.slice(0, -suffix.length).split('.');
  if (parts.length !== 2) return [];
  const [name = '', namespace = ''] = parts;
  const qualified = [`${name}.${namespace}`, `${name}.${namespace}.svc`];
  return namespace === proxyNamespace ? [name, ...qualified] : qualified;
}

/** FQDN, short names, and the service's virtual IPs (clients may call those directly). */
export function serviceDomains(
  service: MeshService,
  port: number,
  style: DomainStyle,
  proxyNamespace: string,
  domainSuffix: string,
): string[] {
  const addresses = service.addresses.filter(
    (a) => a !== '' && a !== '0.0.0.0' && a !== '::' && !a.includes('/'),
  );
  return domainForms(
    [service.hostname, ...shortNames(service.hostname, proxyNamespace, domainSuffix), ...addresses],
    port,
    style,
  );
}

/** A gateway host, with any port: clients reach gateways through load balancers that renumber ports. */
export function gatewayDomains(host: string): string[] {
  // `*.x.com:*` would be a double wildcard, which gRPC clients reject; the suffix form already covers it.
  return host.includes('*') ? [host] : [host, `${host}:*`];
}
