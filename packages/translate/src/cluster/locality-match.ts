// Localities as Istio writes and matches them: `region/zone/subzone` keys and patterns, and the proxy's
// own locality from its workload labels.
import type { ProxyNode } from '../model/proxy-node.ts';
import type { Locality } from '../model/service.ts';

/** Istio's workload label for `region/zone/subzone` (label values cannot hold `/`, so it uses `.`). */
export const LOCALITY_LABEL = 'istio-locality';
export const REGION_LABEL = 'topology.kubernetes.io/region';
export const ZONE_LABEL = 'topology.kubernetes.io/zone';
export const SUBZONE_LABEL = 'topology.istio.io/subzone';

export function localityKey(locality: Locality | undefined): string {
  return `${locality?.region ?? ''}/${locality?.zone ?? ''}/${locality?.subzone ?? ''}`;
}

/** `region/zone/subzone` with `*` wildcards; missing trailing parts match anything (Istio's LocalityMatch). */
export function localityMatches(locality: Locality | undefined, pattern: string): boolean {
  const [region = '', zone = '', subzone = ''] = pattern.split('/');
  const part = (rule: string, value: string | undefined, optional: boolean): boolean =>
    rule === '*' || (optional && rule === '') || rule === (value ?? '');
  return (
    part(region, locality?.region, false) &&
    part(zone, locality?.zone, true) &&
    part(subzone, locality?.subzone, true)
  );
}

/** The proxy's own locality, from Istio's workload labels; empty when it has none (as an Envoy node would be). */
export function proxyLocality(node: ProxyNode): Locality {
  const label = node.labels[LOCALITY_LABEL];
  const [region, zone, subzone] = label
    ? label.split('.')
    : [node.labels[REGION_LABEL], node.labels[ZONE_LABEL], node.labels[SUBZONE_LABEL]];
  return {
    ...(region ? { region } : {}),
    ...(zone ? { zone } : {}),
    ...(subzone ? { subzone } : {}),
  };
}

/** The value of one of the topology labels, taken from a locality. */
export function localityLabelValue(key: string, locality: Locality | undefined): string | undefined {
  if (key === REGION_LABEL) return locality?.region;
  if (key === ZONE_LABEL) return locality?.zone;
  if (key === SUBZONE_LABEL) return locality?.subzone;
  return undefined;
}
