// The resource types `get` and `delete` accept, under kubectl's names: plural, singular, short names.
import { KINDS } from '@heddle/api';

export interface ResourceType {
  readonly kind: string;
  /** API group; '' for the Kubernetes core group. */
  readonly group: string;
  /** Lower-case plural, e.g. `virtualservices`. */
  readonly plural: string;
  readonly shortNames: readonly string[];
  readonly clusterScoped: boolean;
}

/** The short names Istio's CRDs and Kubernetes declare (plus `ap`, which istioctl users type). */
const SHORT_NAMES: Readonly<Record<string, readonly string[]>> = {
  VirtualService: ['vs'],
  DestinationRule: ['dr'],
  Gateway: ['gw'],
  ServiceEntry: ['se'],
  WorkloadEntry: ['we'],
  WorkloadGroup: ['wg'],
  PeerAuthentication: ['pa'],
  AuthorizationPolicy: ['ap'],
  RequestAuthentication: ['ra'],
  IstioOperator: ['iop', 'io'],
  Namespace: ['ns'],
  Service: ['svc'],
  ConfigMap: ['cm'],
  ServiceAccount: ['sa'],
  Deployment: ['deploy'],
};

export const RESOURCE_TYPES: readonly ResourceType[] = KINDS.map((info) => ({
  kind: info.kind,
  group: info.group,
  plural: pluralOf(info.kind),
  shortNames: SHORT_NAMES[info.kind] ?? [],
  clusterScoped: info.clusterScoped === true,
}));

/** Finds a type by plural, singular, short name, Kind, `plural.group` or `singular.group`, in any case. */
export function findResourceType(word: string): ResourceType | undefined {
  const wanted = word.toLowerCase();
  return RESOURCE_TYPES.find((type) => namesOf(type).includes(wanted));
}

/** kubectl's name for the type in output lines: `virtualservice.networking.istio.io`, `service`. */
export function qualifiedTypeName(kind: string): string {
  const type = RESOURCE_TYPES.find((candidate) => candidate.kind === kind);
  const singular = kind.toLowerCase();
  return type && type.group !== '' ? `${singular}.${type.group}` : singular;
}

/** With the plural, as kubectl's "not found" messages say it: `virtualservices.networking.istio.io`. */
export function qualifiedPluralName(type: ResourceType): string {
  return type.group === '' ? type.plural : `${type.plural}.${type.group}`;
}

function namesOf(type: ResourceType): string[] {
  const singular = type.kind.toLowerCase();
  const names = [singular, type.plural, ...type.shortNames];
  if (type.group !== '') names.push(`${singular}.${type.group}`, `${type.plural}.${type.group}`);
  return names;
}

/** English plural of a Kind, as Kubernetes derives CRD plurals: policy → policies, gateway → gateways. */
function pluralOf(kind: string): string {
  const lower = kind.toLowerCase();
  if (/[^aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  if (/(s|x|ch|sh)$/.test(lower)) return `${lower}es`;
  return `${lower}s`;
}
