// One proxy's translation output, serialized once: per type URL, resources by name with bytes, Any and version.
// Identical resources of different proxies are one shared object (see resource-interner.ts).
import { toBinary, type Message } from '@bufbuild/protobuf';
import type { Any } from '@bufbuild/protobuf/wkt';
import type { TranslationOutput } from '@heddle/translate';
import { defaultResourceInterner, type ResourceInterner } from './resource-interner.ts';
import { XDS_TYPES, type XdsType } from './xds-types.ts';

export interface XdsResource {
  readonly name: string;
  readonly type: XdsType;
  /** Decoded from `bytes` on each read: only config_dump needs it, so it is not kept per proxy. */
  readonly message: Message;
  readonly bytes: Uint8Array;
  readonly any: Any;
  /** Content hash of this resource alone (Delta xDS resource version). */
  readonly version: string;
}

export type ResourceSet = ReadonlyMap<string, XdsResource>;

/** Keyed by type URL; every served type is present, possibly empty. */
export type ProxyResources = ReadonlyMap<string, ResourceSet>;

export function proxyResourcesFrom(
  output: TranslationOutput,
  interner: ResourceInterner = defaultResourceInterner,
): ProxyResources {
  const lists: Record<string, readonly { name: string; message: Message }[]> = {
    cds: output.clusters.map((message) => ({ name: message.name, message })),
    eds: output.endpoints.map((message) => ({ name: message.clusterName, message })),
    lds: output.listeners.map((message) => ({ name: message.name, message })),
    rds: output.routes.map((message) => ({ name: message.name, message })),
    sds: output.secrets.map((message) => ({ name: message.name, message })),
  };
  const resources = new Map<string, ResourceSet>();
  for (const type of XDS_TYPES) {
    const set = new Map<string, XdsResource>();
    for (const { name, message } of lists[type.short] ?? [])
      set.set(name, interner.intern(type, name, toBinary(type.schema, message)));
    resources.set(type.typeUrl, set);
  }
  return resources;
}
