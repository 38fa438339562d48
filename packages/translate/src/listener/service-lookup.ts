// Per-service facts the outbound listeners need: the addresses to match on and the VirtualService for a host.
import type { VirtualService } from '@heddle/api';
import type { MeshService } from '../model/service.ts';
import { hostMatches, resolveHost } from '../snapshot/host-names.ts';
import type { TranslationContext } from '../translate-proxy.ts';
import { isIpAddress } from './cidr-range.ts';
import { namespaceOf } from './l4-match.ts';

/**
 * A service's VIPs; for a headless service (resolution NONE, no VIP) the endpoint IPs, since clients
 * connect to what DNS gave them. Empty: the service can only be told apart by port (or SNI).
 */
export function destinationAddresses(service: MeshService): string[] {
  const vips = service.addresses.filter((address) => address !== '0.0.0.0' && address !== '::');
  if (vips.length > 0 || service.resolution !== 'NONE') return vips;
  return service.endpoints.map((endpoint) => endpoint.address).filter(isIpAddress);
}

/** The oldest VirtualService naming `hostname` exactly, else the oldest whose wildcard host covers it. */
export function virtualServiceFor(
  ctx: TranslationContext,
  virtualServices: readonly VirtualService[],
  hostname: string,
): VirtualService | undefined {
  const hostsOf = (vs: VirtualService): string[] =>
    (vs.spec.hosts ?? []).map((host) => resolveHost(host, namespaceOf(vs), ctx.index.domainSuffix));
  return (
    virtualServices.find((vs) => hostsOf(vs).includes(hostname)) ??
    virtualServices.find((vs) => hostsOf(vs).some((host) => hostMatches(host, hostname)))
  );
}
