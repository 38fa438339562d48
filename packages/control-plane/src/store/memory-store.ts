// In-memory ConfigStore for tests and translate-only tools: same contract as sqlite, nothing persisted.
import { CONTROL_PLANE_CODES, ControlPlaneError } from '../errors.ts';
import { planApply, planDelete } from './apply-plan.ts';
import { asPromise } from './as-promise.ts';
import type {
  WriteOptions,
  ApplyResult,
  ChangeEvent,
  ConfigStore,
  DeleteResult,
  ListFilter,
  ListResult,
  ResourceInput,
  StoredResource,
  WatchListener,
} from './config-store.ts';
import { compareKeys, formatKey, keyOfStored, type ResourceKey } from './resource-key.ts';
import { toTimestamp } from './timestamp.ts';
import { WatchHub } from './watch-hub.ts';

export interface MemoryStoreOptions {
  /** Clock for creationTimestamp; tests pass a fixed one. */
  readonly now?: () => Date;
}

export class MemoryConfigStore implements ConfigStore {
  readonly #resources = new Map<string, StoredResource>();
  readonly #hub = new WatchHub();
  readonly #now: () => Date;
  #revision = 0;
  #closed = false;

  constructor(options: MemoryStoreOptions = {}) {
    this.#now = options.now ?? (() => new Date());
  }

  list(filter: ListFilter = {}): Promise<ListResult> {
    return asPromise(() => {
      this.#checkOpen();
      const items = [...this.#resources.values()]
        .filter(
          (r) =>
            (filter.kind === undefined || r.kind === filter.kind) &&
            (filter.namespace === undefined || r.metadata.namespace === filter.namespace),
        )
        .sort((a, b) => compareKeys(keyOfStored(a), keyOfStored(b)));
      return { revision: this.#revision, items };
    });
  }

  get(kind: string, namespace: string, name: string): Promise<StoredResource | undefined> {
    return asPromise(() => {
      this.#checkOpen();
      return this.#lookup({ kind, namespace, name });
    });
  }

  apply(objects: readonly ResourceInput[], options: WriteOptions = {}): Promise<ApplyResult> {
    return asPromise(() => {
      this.#checkOpen();
      const plan = planApply(objects, options, this.#lookup, this.#revision, toTimestamp(this.#now()));
      for (const resource of plan.writes) this.#resources.set(formatKey(keyOfStored(resource)), resource);
      this.#commit(
        plan.revision,
        plan.writes.map((resource) => ({ type: 'put', resource, revision: plan.revision })),
      );
      return { revision: this.#revision, results: plan.results };
    });
  }

  delete(keys: readonly ResourceKey[], options: WriteOptions = {}): Promise<DeleteResult> {
    return asPromise(() => {
      this.#checkOpen();
      const plan = planDelete(keys, options, this.#lookup, this.#revision);
      for (const resource of plan.deletes) this.#resources.delete(formatKey(keyOfStored(resource)));
      this.#commit(
        plan.revision,
        plan.deletes.map((resource) => ({ type: 'delete', resource, revision: plan.revision })),
      );
      return { revision: this.#revision, deleted: plan.deletes };
    });
  }

  watch(listener: WatchListener): () => void {
    this.#checkOpen();
    return this.#hub.add(listener);
  }

  revision(): Promise<number> {
    return asPromise(() => {
      this.#checkOpen();
      return this.#revision;
    });
  }

  close(): Promise<void> {
    this.#closed = true;
    this.#hub.clear();
    return Promise.resolve();
  }

  readonly #lookup = (key: ResourceKey): StoredResource | undefined => this.#resources.get(formatKey(key));

  #commit(revision: number, events: readonly ChangeEvent[]): void {
    this.#revision = revision;
    this.#hub.publish(events);
  }

  #checkOpen(): void {
    if (this.#closed)
      throw new ControlPlaneError(CONTROL_PLANE_CODES.STORE_CLOSED, 'the config store is closed');
  }
}
