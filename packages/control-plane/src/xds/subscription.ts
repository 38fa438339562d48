// Which resources of one type a proxy asked for: all of them (Envoy's LDS/CDS wildcard) or the names it lists.
import type { ResourceSet, XdsResource } from './proxy-resources.ts';
import type { XdsType } from './xds-types.ts';

export const WILDCARD_NAME = '*';

export interface Subscription {
  wildcard: boolean;
  readonly names: Set<string>;
}

/**
 * A SotW request without names is a wildcard for LDS and CDS only; `*` among the names is an explicit wildcard.
 * gRPC clients always name their resources, so they get exactly those.
 */
export function subscriptionFromNames(type: XdsType, names: readonly string[]): Subscription {
  const explicit = names.filter((name) => name !== WILDCARD_NAME);
  return {
    wildcard: names.includes(WILDCARD_NAME) || (type.wildcard && names.length === 0),
    names: new Set(explicit),
  };
}

export function sameSubscription(a: Subscription, b: Subscription): boolean {
  return (
    a.wildcard === b.wildcard && a.names.size === b.names.size && [...a.names].every((n) => b.names.has(n))
  );
}

/** The resources the subscriber sees, in name order. */
export function selectResources(set: ResourceSet | undefined, subscription: Subscription): XdsResource[] {
  if (!set) return [];
  const selected = subscription.wildcard
    ? [...set.values()]
    : [...subscription.names].flatMap((name) => {
        const resource = set.get(name);
        return resource ? [resource] : [];
      });
  return selected.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
