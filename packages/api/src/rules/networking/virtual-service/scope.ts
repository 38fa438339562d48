// What the rules of one VirtualService need to know about the whole resource.

export interface VirtualServiceScope {
  /** The host names in `spec.hosts` (strings only). */
  readonly hosts: readonly string[];
  /** No hosts: a delegate VirtualService, reachable only through a root's `delegate`. */
  readonly delegate: boolean;
  /** Bound to sidecars (no `gateways`, or `mesh` among them). */
  readonly appliesToMesh: boolean;
  /** Bound to at least one Gateway. */
  readonly appliesToGateway: boolean;
}
