// What VirtualService rules are translated for: the proxy, the listener port, and the gateways it stands for.
import type { HTTPRoute, VirtualService } from '@heddle/api';
import type { TranslationContext } from '../translate-proxy.ts';

export interface RouteScope {
  readonly ctx: TranslationContext;
  /** The port the routes serve: the service port on sidecars, the server port on gateways. */
  readonly port: number;
  /** `mesh` on sidecars; the `namespace/name` keys of the gateways being served on gateway proxies. */
  readonly gateways: ReadonlySet<string>;
  readonly isGateway: boolean;
}

/** One HTTP rule and where it was written, after delegation has been resolved. */
export interface SourcedRule {
  readonly rule: HTTPRoute;
  /** Short destination hosts and match `gateways` resolve in this namespace (the rule's own VirtualService). */
  readonly namespace: string;
  /** The VirtualService that holds the rule (the delegate, for delegated rules). */
  readonly virtualService: VirtualService;
}

export function namespaceOf(resource: { readonly metadata: { readonly namespace?: string } }): string {
  return resource.metadata.namespace ?? 'default';
}

/** `VirtualService ns/name`, the resource field of warnings. */
export function resourceLabel(vs: VirtualService): string {
  return `VirtualService ${namespaceOf(vs)}/${vs.metadata.name}`;
}
