// Which kinds Heddle reads, in which API versions, and the semantic rules for each.
import type { KindValidator } from '../validate/rule-context.ts';
import { validateAuthorizationPolicy } from '../rules/security/authorization-policy.ts';
import { validateConfigMap } from '../rules/kubernetes/config-map.ts';
import { validateDeployment } from '../rules/kubernetes/deployment.ts';
import { validateDestinationRule } from '../rules/networking/destination-rule.ts';
import { validateEnvoyFilter } from '../rules/networking/envoy-filter.ts';
import { validateGateway } from '../rules/networking/gateway.ts';
import { validateIstioOperator } from '../rules/install/istio-operator.ts';
import { validateNamespace } from '../rules/kubernetes/namespace.ts';
import { validatePeerAuthentication } from '../rules/security/peer-authentication.ts';
import { validateProxyConfig } from '../rules/networking/proxy-config.ts';
import { validateRequestAuthentication } from '../rules/security/request-authentication.ts';
import { validateService } from '../rules/kubernetes/service.ts';
import { validateServiceAccount } from '../rules/kubernetes/service-account.ts';
import { validateServiceEntry } from '../rules/networking/service-entry.ts';
import { validateSidecar } from '../rules/networking/sidecar.ts';
import { validateTelemetry } from '../rules/telemetry/telemetry.ts';
import { validateVirtualService } from '../rules/networking/virtual-service.ts';
import { validateWasmPlugin } from '../rules/extensions/wasm-plugin.ts';
import { validateWorkloadEntry } from '../rules/networking/workload-entry.ts';
import { validateWorkloadGroup } from '../rules/networking/workload-group.ts';

export interface KindInfo {
  /** API group; '' for the Kubernetes core group. */
  readonly group: string;
  readonly kind: string;
  /** Versions accepted, newest first. */
  readonly versions: readonly string[];
  readonly validate: KindValidator;
  /** The object may have no metadata.name (IstioOperator files often have none). */
  readonly nameOptional?: boolean;
  /** Cluster-scoped kinds have no namespace. */
  readonly clusterScoped?: boolean;
  /** Where the content lives when it is not `spec` (ConfigMap: `data`). */
  readonly body?: string;
}

const NETWORKING = ['v1', 'v1beta1', 'v1alpha3'];
const SECURITY = ['v1', 'v1beta1'];
const TELEMETRY = ['v1', 'v1alpha1'];

export const KINDS: readonly KindInfo[] = [
  {
    group: 'networking.istio.io',
    kind: 'VirtualService',
    versions: NETWORKING,
    validate: validateVirtualService,
  },
  {
    group: 'networking.istio.io',
    kind: 'DestinationRule',
    versions: NETWORKING,
    validate: validateDestinationRule,
  },
  { group: 'networking.istio.io', kind: 'Gateway', versions: NETWORKING, validate: validateGateway },
  {
    group: 'networking.istio.io',
    kind: 'ServiceEntry',
    versions: NETWORKING,
    validate: validateServiceEntry,
  },
  {
    group: 'networking.istio.io',
    kind: 'WorkloadEntry',
    versions: NETWORKING,
    validate: validateWorkloadEntry,
  },
  {
    group: 'networking.istio.io',
    kind: 'WorkloadGroup',
    versions: NETWORKING,
    validate: validateWorkloadGroup,
  },
  { group: 'networking.istio.io', kind: 'Sidecar', versions: NETWORKING, validate: validateSidecar },
  {
    group: 'networking.istio.io',
    kind: 'EnvoyFilter',
    versions: ['v1alpha3'],
    validate: validateEnvoyFilter,
  },
  { group: 'networking.istio.io', kind: 'ProxyConfig', versions: ['v1beta1'], validate: validateProxyConfig },
  {
    group: 'security.istio.io',
    kind: 'PeerAuthentication',
    versions: SECURITY,
    validate: validatePeerAuthentication,
  },
  {
    group: 'security.istio.io',
    kind: 'AuthorizationPolicy',
    versions: SECURITY,
    validate: validateAuthorizationPolicy,
  },
  {
    group: 'security.istio.io',
    kind: 'RequestAuthentication',
    versions: SECURITY,
    validate: validateRequestAuthentication,
  },
  { group: 'telemetry.istio.io', kind: 'Telemetry', versions: TELEMETRY, validate: validateTelemetry },
  { group: 'extensions.istio.io', kind: 'WasmPlugin', versions: ['v1alpha1'], validate: validateWasmPlugin },
  {
    group: 'install.istio.io',
    kind: 'IstioOperator',
    versions: ['v1alpha1'],
    validate: validateIstioOperator,
    nameOptional: true,
  },
  { group: '', kind: 'Namespace', versions: ['v1'], validate: validateNamespace, clusterScoped: true },
  { group: '', kind: 'Service', versions: ['v1'], validate: validateService },
  { group: '', kind: 'ConfigMap', versions: ['v1'], validate: validateConfigMap, body: 'data' },
  { group: '', kind: 'ServiceAccount', versions: ['v1'], validate: validateServiceAccount, body: '' },
  { group: 'apps', kind: 'Deployment', versions: ['v1'], validate: validateDeployment },
];

export interface ApiVersion {
  readonly group: string;
  readonly version: string;
}

export function parseApiVersion(apiVersion: string): ApiVersion {
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

export function findKind(group: string, kind: string): KindInfo | undefined {
  return KINDS.find((info) => info.group === group && info.kind === kind);
}

export function isMeshGroup(group: string): boolean {
  return KINDS.some((info) => info.group === group && info.group.endsWith('istio.io'));
}
