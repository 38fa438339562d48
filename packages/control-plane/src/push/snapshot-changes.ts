// What differs between two snapshots, resource by resource and service by service: the input of the rules that
// decide which proxies a push must translate (affected-proxies.ts). Pure; anything it cannot classify makes the
// push translate every proxy.
import type { MeshService, MeshSnapshot } from '@heddle/translate';

/** An Istio config resource as the rules read it (only metadata and spec). */
export interface ConfigResource {
  readonly metadata: { readonly name: string; readonly namespace?: string | undefined };
  readonly spec?: unknown;
}

export interface ConfigChange {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  /** Absent when the resource was created. */
  readonly before?: ConfigResource;
  /** Absent when the resource was deleted. */
  readonly after?: ConfigResource;
}

/** Every service of one host name, before and after (a host may be defined in several namespaces). */
export interface ServiceChange {
  readonly hostname: string;
  readonly before: readonly MeshService[];
  readonly after: readonly MeshService[];
}

export interface SnapshotChanges {
  /** Why every proxy must be translated (meshConfig, an unknown field…); absent when the lists say it all. */
  readonly everything?: string;
  readonly configs: readonly ConfigChange[];
  readonly services: readonly ServiceChange[];
}

/** The snapshot lists of Istio config, with the kind their items have. */
const CONFIG_LISTS: Readonly<Record<string, string>> = {
  virtualServices: 'VirtualService',
  destinationRules: 'DestinationRule',
  gateways: 'Gateway',
  sidecars: 'Sidecar',
  envoyFilters: 'EnvoyFilter',
  peerAuthentications: 'PeerAuthentication',
  authorizationPolicies: 'AuthorizationPolicy',
  requestAuthentications: 'RequestAuthentication',
  telemetries: 'Telemetry',
  wasmPlugins: 'WasmPlugin',
};

/** Fields that never reach a proxy's output. */
const IGNORED_FIELDS = new Set(['revision']);

export function snapshotChanges(before: MeshSnapshot, after: MeshSnapshot): SnapshotChanges {
  const configs: ConfigChange[] = [];
  const fields = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const field of fields) {
    if (IGNORED_FIELDS.has(field) || field === 'services') continue;
    const was = (before as unknown as Record<string, unknown>)[field];
    const is = (after as unknown as Record<string, unknown>)[field];
    const kind = CONFIG_LISTS[field];
    if (kind && Array.isArray(was) && Array.isArray(is)) {
      configs.push(...configListChanges(kind, was as ConfigResource[], is as ConfigResource[]));
      continue;
    }
    // meshConfig, credentials, and whatever the snapshot gains later: any difference reaches every proxy.
    if (was !== is && fingerprints.of(was) !== fingerprints.of(is))
      return { everything: field, configs, services: [] };
  }
  return { configs, services: serviceChanges(before.services, after.services) };
}

function configListChanges(
  kind: string,
  before: readonly ConfigResource[],
  after: readonly ConfigResource[],
): ConfigChange[] {
  const keyOf = (resource: ConfigResource) =>
    `${resource.metadata.namespace ?? 'default'}/${resource.metadata.name}`;
  const was = new Map(before.map((resource) => [keyOf(resource), resource]));
  const is = new Map(after.map((resource) => [keyOf(resource), resource]));
  const changes: ConfigChange[] = [];
  for (const key of new Set([...was.keys(), ...is.keys()])) {
    const old = was.get(key);
    const current = is.get(key);
    if (old === current || (old && current && fingerprints.of(old) === fingerprints.of(current))) continue;
    const any = (current ?? old) as ConfigResource;
    changes.push({
      kind,
      namespace: any.metadata.namespace ?? 'default',
      name: any.metadata.name,
      ...(old ? { before: old } : {}),
      ...(current ? { after: current } : {}),
    });
  }
  return changes;
}

function serviceChanges(before: readonly MeshService[], after: readonly MeshService[]): ServiceChange[] {
  const group = (services: readonly MeshService[]) => {
    const byHost = new Map<string, MeshService[]>();
    for (const service of services) {
      const list = byHost.get(service.hostname) ?? [];
      list.push(service);
      byHost.set(service.hostname, list);
    }
    return byHost;
  };
  const was = group(before);
  const is = group(after);
  const changes: ServiceChange[] = [];
  for (const hostname of new Set([...was.keys(), ...is.keys()])) {
    const old = was.get(hostname) ?? [];
    const current = is.get(hostname) ?? [];
    const same =
      old.length === current.length &&
      old.every(
        (service, i) => service === current[i] || fingerprints.of(service) === fingerprints.of(current[i]),
      );
    if (!same) changes.push({ hostname, before: old, after: current });
  }
  return changes;
}

/**
 * Content fingerprints: JSON with Sets and Maps as arrays, functions by identity (a source that is the same
 * function is the same source). Equal content from a different producer may still differ in key order, which
 * only makes a change look bigger than it is.
 */
class Fingerprints {
  // Snapshots are immutable (the store freezes what it returns), so a fingerprint holds for the object's life:
  // the previous snapshot's resources are not serialized again on the next push.
  readonly #cache = new WeakMap<object, string>();
  readonly #functionIds = new WeakMap<object, number>();
  #nextFunctionId = 0;

  of(value: unknown): string {
    if (value === null || typeof value !== 'object') return this.#json(value);
    let fingerprint = this.#cache.get(value);
    if (fingerprint === undefined) {
      fingerprint = this.#json(value);
      this.#cache.set(value, fingerprint);
    }
    return fingerprint;
  }

  #json(value: unknown): string {
    return (
      JSON.stringify(value, (_key, item: unknown) => {
        if (item instanceof Set) return { $set: [...item].sort() };
        if (item instanceof Map) return { $map: [...item.entries()] };
        if (typeof item === 'bigint') return `${item}n`;
        if (typeof item === 'function') {
          let id = this.#functionIds.get(item);
          if (id === undefined) {
            id = ++this.#nextFunctionId;
            this.#functionIds.set(item, id);
          }
          return { $function: id };
        }
        return item;
      }) ?? 'undefined'
    );
  }
}

const fingerprints = new Fingerprints();
