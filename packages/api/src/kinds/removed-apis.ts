// API groups and kinds Istio has removed, with what replaces them, so old configs get a specific answer.

export interface RemovedApi {
  /** API group, matched exactly. */
  readonly group: string;
  /** Kind, or '*' for every kind of the group. */
  readonly kind: string;
  readonly message: string;
}

export const REMOVED_APIS: readonly RemovedApi[] = [
  {
    group: 'config.istio.io',
    kind: '*',
    message:
      'Mixer (config.istio.io handlers, instances, rules, adapters) was removed in Istio 1.8. Use the Telemetry API for metrics, access logs and tracing, a WasmPlugin for custom in-proxy logic, or an AuthorizationPolicy with action CUSTOM for external authorization',
  },
  {
    group: 'authentication.istio.io',
    kind: '*',
    message:
      'authentication.istio.io Policy/MeshPolicy were removed in Istio 1.6. Use PeerAuthentication for mTLS and RequestAuthentication for JWT',
  },
  {
    group: 'rbac.istio.io',
    kind: '*',
    message:
      'rbac.istio.io ServiceRole/ServiceRoleBinding/RbacConfig were removed in Istio 1.6. Use AuthorizationPolicy (security.istio.io)',
  },
];

export function findRemovedApi(group: string, kind: string): RemovedApi | undefined {
  return REMOVED_APIS.find((api) => api.group === group && (api.kind === '*' || api.kind === kind));
}
