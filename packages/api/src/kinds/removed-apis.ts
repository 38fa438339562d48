// API groups and kinds Istio has removed, with what replaces them, so old configs get a specific answer.

export interface RemovedApi {
  /** API group, matched exactly. */
  readonly group: string;
  /** Kind, or '*' for every kind of the group. Specific kinds are listed before their group's '*'. */
  readonly kind: string;
  readonly message: string;
}

const MIXER = 'Mixer (config.istio.io) was removed in Istio 1.8';
const RATE_LIMIT = `${MIXER}. Rate limiting now runs in the proxy: use Envoy's local rate limit filter through an EnvoyFilter (envoy.filters.http.local_ratelimit), or a global rate limit service`;
const ALLOW_DENY = `${MIXER}. Allow and deny lists are AuthorizationPolicy rules now (security.istio.io), e.g. action DENY with from.source.ipBlocks or to.operation.paths`;
const TELEMETRY = `${MIXER}. Metrics, access logs and tracing are configured with the Telemetry API (telemetry.istio.io) and meshConfig extensionProviders`;
const ADAPTER = `${MIXER}, and with it out-of-process adapters. Use the Telemetry API for metrics, access logs and tracing (an envoyFileAccessLog, envoyHttpAls or envoyOtelAls extension provider ships logs to a collector), a WasmPlugin for custom in-proxy logic, or an AuthorizationPolicy with action CUSTOM for external authorization`;

const CONFIG_KINDS: readonly RemovedApi[] = [
  { kind: 'handler', message: ADAPTER },
  { kind: 'adapter', message: ADAPTER },
  { kind: 'template', message: ADAPTER },
  {
    kind: 'instance',
    message: `${MIXER}. Instances described what to send to adapters; the Telemetry API now selects metrics, logs and traces directly`,
  },
  {
    kind: 'rule',
    message: `${MIXER}. Rules bound instances to handlers; with the Telemetry API the binding is the providers list of a Telemetry resource`,
  },
  {
    kind: 'attributemanifest',
    message: `${MIXER}. Attribute manifests are no longer needed: proxies produce Istio's standard attributes themselves; remove this resource`,
  },
  { kind: 'QuotaSpec', message: RATE_LIMIT },
  { kind: 'QuotaSpecBinding', message: RATE_LIMIT },
  { kind: 'memquota', message: RATE_LIMIT },
  { kind: 'redisquota', message: RATE_LIMIT },
  { kind: 'quota', message: RATE_LIMIT },
  { kind: 'listchecker', message: ALLOW_DENY },
  { kind: 'listentry', message: ALLOW_DENY },
  { kind: 'denier', message: ALLOW_DENY },
  { kind: 'checknothing', message: ALLOW_DENY },
  { kind: 'metric', message: TELEMETRY },
  { kind: 'logentry', message: TELEMETRY },
  { kind: 'tracespan', message: TELEMETRY },
  { kind: 'prometheus', message: TELEMETRY },
  { kind: 'stdio', message: TELEMETRY },
  {
    kind: 'HTTPAPISpec',
    message: `${MIXER}. API specs only fed Mixer attributes and have no replacement; match on paths and methods in VirtualService or AuthorizationPolicy instead`,
  },
  {
    kind: 'HTTPAPISpecBinding',
    message: `${MIXER}. API spec bindings only fed Mixer attributes and have no replacement; remove this resource`,
  },
  // Istio 0.x routing, which lived in config.istio.io before networking.istio.io existed.
  {
    kind: 'RouteRule',
    message: 'RouteRule (Istio 0.x) was replaced by VirtualService (networking.istio.io) in Istio 0.8',
  },
  {
    kind: 'DestinationPolicy',
    message:
      'DestinationPolicy (Istio 0.x) was replaced by DestinationRule (networking.istio.io) in Istio 0.8',
  },
  {
    kind: 'EgressRule',
    message: 'EgressRule (Istio 0.x) was replaced by ServiceEntry (networking.istio.io) in Istio 0.8',
  },
].map((entry) => ({ group: 'config.istio.io', ...entry }));

export const REMOVED_APIS: readonly RemovedApi[] = [
  ...CONFIG_KINDS,
  {
    group: 'config.istio.io',
    kind: '*',
    message: `${MIXER} (handlers, instances, rules, adapters). Use the Telemetry API for metrics, access logs and tracing, a WasmPlugin for custom in-proxy logic, or an AuthorizationPolicy with action CUSTOM for external authorization`,
  },
  {
    group: 'authentication.istio.io',
    kind: 'MeshPolicy',
    message:
      'MeshPolicy was removed in Istio 1.6. For mesh-wide mTLS write a PeerAuthentication without a selector in the root namespace (istio-system); for JWT use RequestAuthentication',
  },
  {
    group: 'authentication.istio.io',
    kind: 'Policy',
    message:
      'authentication.istio.io Policy was removed in Istio 1.6. Its peers (mTLS) part became PeerAuthentication and its origins (JWT) part RequestAuthentication, both in security.istio.io',
  },
  {
    group: 'authentication.istio.io',
    kind: '*',
    message:
      'authentication.istio.io was removed in Istio 1.6. Use PeerAuthentication for mTLS and RequestAuthentication for JWT',
  },
  {
    group: 'rbac.istio.io',
    kind: 'ClusterRbacConfig',
    message:
      'ClusterRbacConfig was removed in Istio 1.6. Authorization is on wherever an AuthorizationPolicy applies; to deny by default mesh-wide, put an AuthorizationPolicy with an empty spec in the root namespace (istio-system)',
  },
  {
    group: 'rbac.istio.io',
    kind: 'RbacConfig',
    message:
      'RbacConfig was removed in Istio 1.6. Authorization is on wherever an AuthorizationPolicy applies; to deny by default, write an AuthorizationPolicy with an empty spec in the namespace',
  },
  {
    group: 'rbac.istio.io',
    kind: 'AuthorizationPolicy',
    message:
      'rbac.istio.io AuthorizationPolicy (Istio 1.3) moved to security.istio.io/v1 with a new shape: selector, action and rules with from/to/when',
  },
  {
    group: 'rbac.istio.io',
    kind: '*',
    message:
      'rbac.istio.io ServiceRole/ServiceRoleBinding were removed in Istio 1.6. Write each role and its bindings as one AuthorizationPolicy (security.istio.io): the binding subjects become rules[].from, the role permissions rules[].to',
  },
  {
    group: 'install.istio.io',
    kind: 'IstioControlPlane',
    message:
      'IstioControlPlane (install.istio.io/v1alpha2) was replaced by IstioOperator (install.istio.io/v1alpha1) in Istio 1.4; rename the kind and move its settings under the same spec fields',
  },
];

export function findRemovedApi(group: string, kind: string): RemovedApi | undefined {
  return REMOVED_APIS.find((api) => api.group === group && (api.kind === '*' || api.kind === kind));
}
