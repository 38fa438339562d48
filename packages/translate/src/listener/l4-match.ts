// Whether a VirtualService TCP or TLS match applies to a listener: port, gateway binding, and (sidecars) source.
import type { L4MatchAttributes, TLSMatchAttributes, VirtualService } from '@heddle/api';
import { gatewayKey, MESH_GATEWAY } from '../snapshot/mesh-index.ts';
import { labelsMatch } from '../snapshot/host-names.ts';
import type { TranslationContext } from '../translate-proxy.ts';

export interface L4Scope {
  /** `mesh` for sidecars, `namespace/name` of the Gateway otherwise. */
  readonly gateway: string;
  readonly listenPort: number;
}

export function namespaceOf(resource: { metadata: { namespace?: string } }): string {
  return resource.metadata.namespace ?? 'default';
}

export function resourceRef(resource: {
  kind: string;
  metadata: { name: string; namespace?: string };
}): string {
  return `${resource.kind} ${namespaceOf(resource)}/${resource.metadata.name}`;
}

/** A match's own `gateways` override the VirtualService's; source conditions only bind sidecars. */
export function l4MatchApplies(
  ctx: TranslationContext,
  scope: L4Scope,
  virtualService: VirtualService,
  match: L4MatchAttributes | TLSMatchAttributes | undefined,
): boolean {
  if (match?.port !== undefined && match.port !== scope.listenPort) return false;
  const vsNamespace = namespaceOf(virtualService);
  const gateways = match?.gateways?.length
    ? match.gateways
    : virtualService.spec.gateways?.length
      ? virtualService.spec.gateways
      : [MESH_GATEWAY];
  if (!gateways.some((g) => gatewayKey(g, vsNamespace) === scope.gateway)) return false;
  if (scope.gateway !== MESH_GATEWAY) return true;
  if (match?.sourceLabels && !labelsMatch(match.sourceLabels, ctx.node.labels)) return false;
  return match?.sourceNamespace === undefined || match.sourceNamespace === ctx.node.namespace;
}
