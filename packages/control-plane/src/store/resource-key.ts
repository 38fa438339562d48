// How the store names a resource: (kind, namespace, name), its string form and its order.
import { CONTROL_PLANE_CODES, ControlPlaneError } from '../errors.ts';
import type { ResourceInput, StoredResource } from './config-store.ts';

export interface ResourceKey {
  readonly kind: string;
  /** '' for cluster-scoped kinds. */
  readonly namespace: string;
  readonly name: string;
}

/** `Kind namespace/name`, or `Kind name` for cluster-scoped kinds: the form errors and findings use. */
export function formatKey(key: ResourceKey): string {
  return key.namespace === '' ? `${key.kind} ${key.name}` : `${key.kind} ${key.namespace}/${key.name}`;
}

export function compareKeys(a: ResourceKey, b: ResourceKey): number {
  return (
    compareStrings(a.kind, b.kind) ||
    compareStrings(a.namespace, b.namespace) ||
    compareStrings(a.name, b.name)
  );
}

/** Code-unit order, so every backend (and SQLite's BINARY collation) sorts the same way. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Reads the key of an object handed to the store, refusing objects the store cannot name. */
export function keyOf(object: ResourceInput): ResourceKey {
  const metadata: unknown = (object as { metadata?: unknown }).metadata;
  const kind: unknown = (object as { kind?: unknown }).kind;
  const apiVersion: unknown = (object as { apiVersion?: unknown }).apiVersion;
  const name = isRecord(metadata) ? metadata.name : undefined;
  const namespace = isRecord(metadata) ? (metadata.namespace ?? '') : '';
  if (typeof kind !== 'string' || kind === '' || typeof apiVersion !== 'string' || apiVersion === '') {
    throw new ControlPlaneError(
      CONTROL_PLANE_CODES.STORE_INVALID_OBJECT,
      'cannot store an object without apiVersion and kind',
      { name },
    );
  }
  if (typeof name !== 'string' || name === '' || typeof namespace !== 'string') {
    throw new ControlPlaneError(
      CONTROL_PLANE_CODES.STORE_INVALID_OBJECT,
      `cannot store a ${kind} without metadata.name (and a string metadata.namespace)`,
      { kind },
    );
  }
  return { kind, namespace, name };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function keyOfStored(resource: StoredResource): ResourceKey {
  return { kind: resource.kind, namespace: resource.metadata.namespace, name: resource.metadata.name };
}
