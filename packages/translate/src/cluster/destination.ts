// An outbound destination — one port of one service, optionally one DestinationRule subset — with the rule
// and merged policy that apply to it. Shared by CDS and EDS so both see the same service, subset and policy.
import type { DestinationRule } from '@heddle/api';
import { outboundClusterName, parseClusterName } from '@heddle/xds';
import type { MeshService, ServiceEndpoint, ServicePort } from '../model/service.ts';
import { labelsMatch } from '../snapshot/host-names.ts';
import type { TranslationContext } from '../translate-proxy.ts';
import { effectivePolicy, type EffectivePolicy } from './traffic-policy.ts';

export interface OutboundDestination {
  readonly clusterName: string;
  readonly service: MeshService;
  readonly port: ServicePort;
  /** '' for the whole service. */
  readonly subsetName: string;
  /** The subset's labels; undefined selects every endpoint. */
  readonly subsetLabels?: Readonly<Record<string, string>>;
  readonly rule?: DestinationRule;
  readonly policy: EffectivePolicy;
}

export function ruleResource(rule: DestinationRule): string {
  return `DestinationRule ${rule.metadata.namespace ?? 'default'}/${rule.metadata.name}`;
}

/** The DestinationRule for the service as this proxy sees it; one whose workloadSelector skips the proxy does not apply. */
export function ruleFor(ctx: TranslationContext, service: MeshService): DestinationRule | undefined {
  const rule = ctx.index.destinationRuleFor(service.hostname, ctx.node.namespace);
  const selector = rule?.spec.workloadSelector?.matchLabels;
  return rule && selector && !labelsMatch(selector, ctx.node.labels) ? undefined : rule;
}

function destination(
  service: MeshService,
  port: ServicePort,
  rule: DestinationRule | undefined,
  subsetName: string,
): OutboundDestination {
  const subset = rule?.spec.subsets?.find((s) => s.name === subsetName);
  return {
    clusterName: outboundClusterName(port.number, subsetName, service.hostname),
    service,
    port,
    subsetName,
    ...(subset?.labels ? { subsetLabels: subset.labels } : {}),
    ...(rule ? { rule } : {}),
    policy: effectivePolicy(rule?.spec, port.number, subsetName),
  };
}

/** Every port of the service, each for the whole service and for every subset of its rule. */
export function destinationsFor(ctx: TranslationContext, service: MeshService): OutboundDestination[] {
  const rule = ruleFor(ctx, service);
  const subsets = [...new Set((rule?.spec.subsets ?? []).map((s) => s.name))];
  return service.ports.flatMap((port) =>
    ['', ...subsets].map((subsetName) => destination(service, port, rule, subsetName)),
  );
}

/** The destination behind an outbound cluster name; undefined for other names or what no longer exists. */
export function destinationForCluster(
  ctx: TranslationContext,
  clusterName: string,
): OutboundDestination | undefined {
  const parsed = parseClusterName(clusterName);
  if (parsed?.direction !== 'outbound') return undefined;
  const service = ctx.index.serviceFor(parsed.host, ctx.node.namespace);
  const port = service?.ports.find((p) => p.number === parsed.port);
  if (!service || !port) return undefined;
  const rule = ruleFor(ctx, service);
  if (parsed.subset !== '' && !rule?.spec.subsets?.some((s) => s.name === parsed.subset)) return undefined;
  return destination(service, port, rule, parsed.subset);
}

/** The service's endpoints that the subset selects and that serve the port (unix sockets serve every port). */
export function destinationEndpoints(dest: OutboundDestination): ServiceEndpoint[] {
  return dest.service.endpoints.filter(
    (endpoint) =>
      labelsMatch(dest.subsetLabels, endpoint.labels) &&
      (Object.keys(endpoint.ports).length === 0 || endpoint.ports[dest.port.name] !== undefined),
  );
}

/** Istio's order: the endpoint's port for the service port's name, the targetPort, the service port. */
export function endpointPort(endpoint: ServiceEndpoint, port: ServicePort): number {
  return endpoint.ports[port.name] ?? port.targetPort ?? port.number;
}
