// The config store as a revision's control plane sees it. Two things differ from the store itself:
// - other processes write it too (heddle up's control plane takes every apply), and SQLite tells only the
//   writing process, so the view polls the store revision and turns what changed into watch events;
// - the revision reads its own meshConfig: ConfigMap istio-system/istio-<rev> appears as `istio` (what the
//   control plane reads) and the default revision's `istio` is hidden, as istiod --revision reads its own.
import type {
  ChangeEvent,
  ConfigStore,
  ListFilter,
  ListResult,
  StoredResource,
  WatchListener,
} from '@heddle/control-plane';
import { CONTROL_PLANE_NAMESPACE, meshConfigMapName } from './mesh-config-map.ts';

export interface RevisionViewOptions {
  readonly revision: string;
  /** How often the store revision is checked. */
  readonly pollMs?: number;
}

export interface RevisionStoreView extends ConfigStore {
  /** Checks the store now (also after each write through the view). */
  poll(): Promise<void>;
}

const MESH_CONFIG_MAP = 'istio';

export function revisionStoreView(inner: ConfigStore, options: RevisionViewOptions): RevisionStoreView {
  const ownMap = meshConfigMapName(options.revision);
  const listeners = new Set<WatchListener>();
  let known = new Map<string, StoredResource>();
  let seen = -1;
  let polling: Promise<void> | undefined;

  /** The resource as this revision sees it, or undefined when hidden from it. */
  const lens = (resource: StoredResource): StoredResource | undefined => {
    const { kind, metadata } = resource;
    if (kind === 'ConfigMap' && metadata.namespace === CONTROL_PLANE_NAMESPACE) {
      if (metadata.name === MESH_CONFIG_MAP && ownMap !== MESH_CONFIG_MAP) return undefined;
      if (metadata.name === ownMap) return { ...resource, metadata: { ...metadata, name: MESH_CONFIG_MAP } };
    }
    if (kind === 'IstioOperator') {
      const spec = resource.spec as { revision?: unknown } | undefined;
      const revision = typeof spec?.revision === 'string' ? spec.revision : '';
      if (revision !== options.revision) return undefined;
    }
    return resource;
  };
  const keyOf = (resource: StoredResource): string =>
    `${resource.kind}/${resource.metadata.namespace}/${resource.metadata.name}`;

  const check = async (): Promise<void> => {
    const revision = await inner.revision();
    if (revision === seen) return;
    const listing = await inner.list();
    const next = new Map<string, StoredResource>();
    for (const item of listing.items) {
      const seenAs = lens(item);
      if (seenAs) next.set(keyOf(seenAs), seenAs);
    }
    const events: ChangeEvent[] = [];
    for (const [key, resource] of next) {
      const before = known.get(key);
      if (!before || before.metadata.resourceVersion !== resource.metadata.resourceVersion)
        events.push({ type: 'put', resource, revision: listing.revision });
    }
    for (const [key, resource] of known)
      if (!next.has(key)) events.push({ type: 'delete', resource, revision: listing.revision });
    const first = seen < 0;
    known = next;
    seen = listing.revision;
    if (!first && events.length > 0) for (const listener of listeners) listener(events);
  };
  const poll = (): Promise<void> => {
    polling ??= check().finally(() => (polling = undefined));
    return polling;
  };
  const timer = setInterval(() => void poll().catch(() => undefined), options.pollMs ?? 200);
  timer.unref();

  const list = async (filter?: ListFilter): Promise<ListResult> => {
    const listing = await inner.list();
    const items = listing.items
      .map(lens)
      .filter((item): item is StoredResource => item !== undefined)
      .filter(
        (item) =>
          (filter?.kind === undefined || item.kind === filter.kind) &&
          (filter?.namespace === undefined || item.metadata.namespace === filter.namespace),
      );
    return { revision: listing.revision, items };
  };

  return {
    list,
    async get(kind, namespace, name) {
      const { items } = await list({ kind, namespace });
      return items.find((item) => item.metadata.name === name);
    },
    async apply(objects, writeOptions) {
      const result = await inner.apply(objects, writeOptions);
      await poll();
      return result;
    },
    async delete(keys, writeOptions) {
      const result = await inner.delete(keys, writeOptions);
      await poll();
      return result;
    },
    watch(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    revision: () => inner.revision(),
    poll,
    async close() {
      clearInterval(timer);
      listeners.clear();
      await polling?.catch(() => undefined);
      await inner.close();
    },
  };
}
