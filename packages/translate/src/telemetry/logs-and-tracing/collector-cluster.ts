// Where a tracer sends spans: the outbound cluster of the collector's service, `outbound|<port>||<host>`,
// as Istio resolves an extension provider's `service` (`[namespace/]hostname`) and `port`.
import { outboundClusterName } from '@heddle/xds';
import type { MeshService } from '../../model/service.ts';
import type { TranslationContext } from '../../translate-proxy.ts';

export interface CollectorCluster {
  readonly cluster: string;
  readonly hostname: string;
  readonly port: number;
}

/** Candidate hostnames for `host`: as written, then completed as a Kubernetes-style service name. */
function candidates(host: string, namespace: string, domainSuffix: string): string[] {
  const lower = host.toLowerCase();
  const parts = lower.split('.');
  if (parts.length === 1) return [`${lower}.${namespace}.svc.${domainSuffix}`];
  // `zipkin.istio-system` (the mesh default) is `<service>.<namespace>`.
  if (parts.length === 2) return [lower, `${lower}.svc.${domainSuffix}`];
  return [lower];
}

export function collectorCluster(
  ctx: TranslationContext,
  service: string,
  port: number,
): CollectorCluster | undefined {
  const slash = service.indexOf('/');
  const namespace = slash >= 0 ? service.slice(0, slash) : ctx.node.namespace;
  const host = slash >= 0 ? service.slice(slash + 1) : service;
  for (const hostname of candidates(host, namespace, ctx.index.domainSuffix)) {
    const found: MeshService | undefined = ctx.index.serviceFor(hostname, ctx.node.namespace);
    if (found && found.ports.some((p) => p.number === port))
      return { cluster: outboundClusterName(port, '', found.hostname), hostname: found.hostname, port };
  }
  return undefined;
}

/** Splits meshConfig's `host:port` address (the port defaults to Zipkin's 9411). */
export function splitAddress(address: string): { host: string; port: number } {
  const colon = address.lastIndexOf(':');
  if (colon < 0) return { host: address, port: 9411 };
  const port = Number(address.slice(colon + 1));
  return { host: address.slice(0, colon), port: Number.isInteger(port) && port > 0 ? port : 9411 };
}
