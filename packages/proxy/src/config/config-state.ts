// The resources the proxy accepted per xDS type, with versions, update times, warming sets and the last
// rejection: what `/config_dump` shows.
import type { DecodedResource } from '../xds/decoded-resource.ts';

export interface AcceptedResource extends DecodedResource {
  /** The version of the response that last changed this resource. */
  readonly version: string;
  readonly lastUpdated: Date;
}

export interface UpdateFailure {
  /** The version that was rejected. */
  readonly version: string;
  readonly details: string;
  readonly at: Date;
  /** The rejected resources, when they decoded (config_dump shows the one the details name). */
  readonly resources?: ReadonlyMap<string, DecodedResource>;
}

export interface TypeConfig {
  readonly typeUrl: string;
  /** The last accepted version of the type ('' before the first). */
  readonly versionInfo: string;
  readonly lastUpdated?: Date;
  readonly resources: ReadonlyMap<string, AcceptedResource>;
  /** Accepted but not yet in force: waiting for their dependencies (clusters for EDS, listeners for RDS). */
  readonly warming: ReadonlyMap<string, AcceptedResource>;
  readonly lastError?: UpdateFailure;
}

const EMPTY: ReadonlyMap<string, AcceptedResource> = new Map();

export class ConfigState {
  readonly #types = new Map<string, TypeConfig>();

  get(typeUrl: string): TypeConfig {
    return this.#types.get(typeUrl) ?? { typeUrl, versionInfo: '', resources: EMPTY, warming: EMPTY };
  }

  /** Puts a set in force; resources whose bytes did not change keep their version and update time. */
  accept(typeUrl: string, version: string, resources: Iterable<DecodedResource>, at: Date): void {
    const current = this.get(typeUrl);
    this.#types.set(typeUrl, {
      typeUrl,
      versionInfo: version,
      lastUpdated: at,
      resources: carryOver(current.resources, version, resources, at),
      // Like Envoy's error_state, a rejection is forgotten once an update succeeds.
      warming: EMPTY,
    });
  }

  /** Records a set that is accepted but waits for its dependencies before it is put in force. */
  warm(typeUrl: string, version: string, resources: Iterable<DecodedResource>, at: Date): void {
    const current = this.get(typeUrl);
    this.#types.set(typeUrl, { ...current, warming: carryOver(current.resources, version, resources, at) });
  }

  reject(typeUrl: string, failure: UpdateFailure): void {
    this.#types.set(typeUrl, { ...this.get(typeUrl), lastError: failure });
  }

  typeUrls(): string[] {
    return [...this.#types.keys()];
  }
}

function carryOver(
  previous: ReadonlyMap<string, AcceptedResource>,
  version: string,
  resources: Iterable<DecodedResource>,
  at: Date,
): Map<string, AcceptedResource> {
  const next = new Map<string, AcceptedResource>();
  for (const resource of resources) {
    const before = previous.get(resource.name);
    next.set(
      resource.name,
      before && sameBytes(before.any.value, resource.any.value)
        ? before
        : { ...resource, version, lastUpdated: at },
    );
  }
  return next;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && Buffer.compare(a, b) === 0;
}
