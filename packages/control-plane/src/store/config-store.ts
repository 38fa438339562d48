// The ConfigStore contract every backend (sqlite, memory, etcd, kubernetes) implements and one test suite checks.
import type { ResourceKey } from './resource-key.ts';

/** Metadata as the store keeps it: the user's fields plus the three the store owns. */
export interface StoredMetadata {
  readonly name: string;
  /** '' for cluster-scoped kinds (Namespace). */
  readonly namespace: string;
  /** Store revision of the commit that last changed this resource, as a decimal string (Kubernetes style). */
  readonly resourceVersion: string;
  /** Bumps when anything outside metadata changes; label or annotation edits leave it alone. */
  readonly generation: number;
  /** RFC 3339, seconds precision, set on creation and kept across updates. */
  readonly creationTimestamp: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly [field: string]: unknown;
}

/** A resource as stored and returned: the full object, deeply frozen. */
export interface StoredResource {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: StoredMetadata;
  readonly spec?: unknown;
  readonly [field: string]: unknown;
}

/** What callers hand to `apply`: any object with apiVersion, kind and metadata.name. */
export interface ResourceInput {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly [field: string]: unknown;
  };
  readonly [field: string]: unknown;
}

export interface ListFilter {
  readonly kind?: string;
  readonly namespace?: string;
}

export interface ListResult {
  /** The store revision the listing reflects; watch events after it are newer than every item. */
  readonly revision: number;
  /** Sorted by kind, namespace, name. */
  readonly items: readonly StoredResource[];
}

export interface WriteOptions {
  /**
   * Optimistic concurrency, keyed by `formatKey(key)`: the resourceVersion each resource must have now.
   * `'0'` means "must not exist yet" (etcd's create-only). A mismatch rejects the whole batch.
   */
  readonly expectedVersions?: Readonly<Record<string, string>>;
}

export type ApplyOutcome = 'created' | 'configured' | 'unchanged';

export interface ApplyResult {
  /** Store revision after the call; equal to the previous one when every object was unchanged. */
  readonly revision: number;
  /** One entry per input object, in input order. */
  readonly results: readonly { readonly outcome: ApplyOutcome; readonly resource: StoredResource }[];
}

export interface DeleteResult {
  readonly revision: number;
  /** The resources as they were just before deletion; keys that did not exist are absent. */
  readonly deleted: readonly StoredResource[];
}

export interface ChangeEvent {
  readonly type: 'put' | 'delete';
  /** For `delete`, the resource as it was before deletion. */
  readonly resource: StoredResource;
  /** The commit's revision; every event of one batch carries the same revision, as in an etcd txn. */
  readonly revision: number;
}

/** Receives the events of one commit, in commit order, after the commit. */
export type WatchListener = (events: readonly ChangeEvent[]) => void;

export interface ConfigStore {
  list(filter?: ListFilter): Promise<ListResult>;
  get(kind: string, namespace: string, name: string): Promise<StoredResource | undefined>;
  /** Creates or updates every object, or none of them. Identical objects are left alone (no new revision). */
  apply(objects: readonly ResourceInput[], options?: WriteOptions): Promise<ApplyResult>;
  /** Deletes every existing key, or none of them; missing keys are ignored unless an expected version is given. */
  delete(keys: readonly ResourceKey[], options?: WriteOptions): Promise<DeleteResult>;
  /** Returns the function that stops the listener. */
  watch(listener: WatchListener): () => void;
  /** The revision of the last commit (0 for an empty store that was never written). */
  revision(): Promise<number>;
  close(): Promise<void>;
}
