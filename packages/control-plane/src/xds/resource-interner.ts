// Shares serialized resources between proxies: a resource whose type, name and bytes equal one already held by
// some proxy is the same object, so 1,000 proxies with the same cluster keep one copy of its bytes and Any.
// Entries are weak: a resource lives as long as a proxy's translation or sync state refers to it.
import { createHash } from 'node:crypto';
import { create, fromBinary, type Message } from '@bufbuild/protobuf';
import { AnySchema, type Any } from '@bufbuild/protobuf/wkt';
import { VERSION_LENGTH } from './content-version.ts';
import type { XdsResource } from './proxy-resources.ts';
import type { XdsType } from './xds-types.ts';

class EncodedResource implements XdsResource {
  readonly name: string;
  readonly type: XdsType;
  readonly bytes: Uint8Array;
  readonly any: Any;
  readonly version: string;

  constructor(type: XdsType, name: string, bytes: Uint8Array, version: string) {
    this.name = name;
    this.type = type;
    this.bytes = bytes;
    this.any = create(AnySchema, { typeUrl: type.typeUrl, value: bytes });
    this.version = version;
  }

  get message(): Message {
    return fromBinary(this.type.schema, this.bytes);
  }
}

export interface InternerStats {
  /** Distinct resources alive (entries whose resource has not been collected yet). */
  readonly entries: number;
  /** Lookups that found a resource already held. */
  readonly hits: number;
  readonly misses: number;
}

export class ResourceInterner {
  readonly #entries = new Map<string, WeakRef<EncodedResource>>();
  readonly #finalizer = new FinalizationRegistry<string>((key) => {
    // The key may have been taken by a newer resource since; drop it only when that one is gone too.
    if (this.#entries.get(key)?.deref() === undefined) this.#entries.delete(key);
  });
  #hits = 0;
  #misses = 0;

  intern(type: XdsType, name: string, bytes: Uint8Array): XdsResource {
    // The whole digest in the key (the version keeps 64 bits), so a collision cannot hand a proxy another
    // resource's bytes.
    const digest = createHash('sha256').update(bytes).digest('hex');
    const key = `${type.short}\u0000${name}\u0000${digest}`;
    const held = this.#entries.get(key)?.deref();
    if (held) {
      this.#hits++;
      return held;
    }
    this.#misses++;
    const resource = new EncodedResource(type, name, bytes, digest.slice(0, VERSION_LENGTH));
    this.#entries.set(key, new WeakRef(resource));
    this.#finalizer.register(resource, key);
    return resource;
  }

  stats(): InternerStats {
    return { entries: this.#entries.size, hits: this.#hits, misses: this.#misses };
  }
}

/** One table per process: identical resources are shared whichever control plane instance produced them. */
export const defaultResourceInterner = new ResourceInterner();
