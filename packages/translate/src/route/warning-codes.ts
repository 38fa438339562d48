// Stable codes of the warnings the route builders emit for VirtualService config that cannot apply as written.
export const ROUTE_WARNINGS = {
  /** A route destination whose host is not in the registry; the route names its cluster anyway (503 NC). */
  DESTINATION_NOT_FOUND: 'HEDDLE_TRANSLATE_DESTINATION_NOT_FOUND',
  /** A route destination naming a subset that no DestinationRule defines for the host. */
  SUBSET_NOT_FOUND: 'HEDDLE_TRANSLATE_SUBSET_NOT_FOUND',
  /** A destination port that the service does not expose. */
  DESTINATION_PORT_NOT_FOUND: 'HEDDLE_TRANSLATE_DESTINATION_PORT_NOT_FOUND',
  /** A `delegate` naming a VirtualService that does not exist, is not visible, or is itself a root. */
  DELEGATE_NOT_FOUND: 'HEDDLE_TRANSLATE_DELEGATE_NOT_FOUND',
  /** A delegate rule whose match cannot be combined with the delegating rule's match; the rule is dropped. */
  DELEGATE_MATCH_CONFLICT: 'HEDDLE_TRANSLATE_DELEGATE_MATCH_CONFLICT',
  /** A `@request.auth.claims` match on a sidecar, where no JWT is verified on the outbound path. */
  CLAIM_MATCH_UNSUPPORTED: 'HEDDLE_TRANSLATE_CLAIM_MATCH_UNSUPPORTED',
  /** A fault, redirect or rule field Heddle (like Istio) does not translate. */
  UNSUPPORTED_FIELD: 'HEDDLE_TRANSLATE_UNSUPPORTED_FIELD',
  /** Two VirtualServices claim the same host for sidecars; the older one wins, the other is ignored. */
  DUPLICATE_HOST: 'HEDDLE_TRANSLATE_DUPLICATE_HOST',
  /** Two virtual hosts of one route configuration list the same domain; the later one loses it. */
  DUPLICATE_DOMAIN: 'HEDDLE_TRANSLATE_DUPLICATE_DOMAIN',
} as const;
