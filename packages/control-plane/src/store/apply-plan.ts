// Decides what a batch does before anything is written, so every backend commits all of it or none of it
// and assigns versions, generations and timestamps the same way.
import { CONTROL_PLANE_CODES, ControlPlaneError } from '../errors.ts';
import { canonicalJson } from './canonical-json.ts';
import type { WriteOptions, ApplyResult, ResourceInput, StoredResource } from './config-store.ts';
import { deepFreeze } from './deep-freeze.ts';
import { formatKey, keyOf, type ResourceKey } from './resource-key.ts';

/** Reads the current state inside the backend's transaction. */
export type CurrentLookup = (key: ResourceKey) => StoredResource | undefined;

export interface ApplyPlan {
  /** The revision to commit: the current one plus one, or the current one when nothing changes. */
  readonly revision: number;
  readonly writes: readonly StoredResource[];
  readonly results: ApplyResult['results'];
}

export interface DeletePlan {
  readonly revision: number;
  readonly deletes: readonly StoredResource[];
}

/** Metadata fields only the store sets; whatever callers send for them is replaced. */
const OWNED_METADATA = ['resourceVersion', 'generation', 'creationTimestamp'] as const;

export function planApply(
  objects: readonly ResourceInput[],
  options: WriteOptions,
  current: CurrentLookup,
  currentRevision: number,
  timestamp: string,
): ApplyPlan {
  const keys = objects.map(keyOf);
  const seen = new Set<string>();
  for (const key of keys) {
    const id = formatKey(key);
    if (seen.has(id))
      throw new ControlPlaneError(
        CONTROL_PLANE_CODES.STORE_DUPLICATE_KEY,
        `${id} appears more than once in one batch`,
        { key },
      );
    seen.add(id);
  }
  checkExpectedVersions(keys, options, current);

  const revision = currentRevision + 1;
  const writes: StoredResource[] = [];
  const results: { outcome: 'created' | 'configured' | 'unchanged'; resource: StoredResource }[] = [];
  objects.forEach((object, index) => {
    const key = keys[index] as ResourceKey;
    const existing = current(key);
    const { content, metadata } = split(object, key);
    if (existing) {
      const before = split(existing, key);
      const sameContent = canonicalJson(before.content) === canonicalJson(content);
      if (sameContent && canonicalJson(before.metadata) === canonicalJson(metadata)) {
        results.push({ outcome: 'unchanged', resource: existing });
        return;
      }
      const generation = existing.metadata.generation + (sameContent ? 0 : 1);
      const resource = build(
        object,
        content,
        metadata,
        revision,
        generation,
        existing.metadata.creationTimestamp,
      );
      writes.push(resource);
      results.push({ outcome: 'configured', resource });
      return;
    }
    const resource = build(object, content, metadata, revision, 1, timestamp);
    writes.push(resource);
    results.push({ outcome: 'created', resource });
  });
  return { revision: writes.length > 0 ? revision : currentRevision, writes, results };
}

export function planDelete(
  keys: readonly ResourceKey[],
  options: WriteOptions,
  current: CurrentLookup,
  currentRevision: number,
): DeletePlan {
  checkExpectedVersions(keys, options, current);
  const deletes = new Map<string, StoredResource>();
  for (const key of keys) {
    const existing = current(key);
    if (existing) deletes.set(formatKey(key), existing);
  }
  return {
    revision: deletes.size > 0 ? currentRevision + 1 : currentRevision,
    deletes: [...deletes.values()],
  };
}

function checkExpectedVersions(
  keys: readonly ResourceKey[],
  options: WriteOptions,
  current: CurrentLookup,
): void {
  const expectedVersions = options.expectedVersions;
  if (!expectedVersions) return;
  for (const key of keys) {
    const id = formatKey(key);
    const expected = expectedVersions[id];
    if (expected === undefined) continue;
    const actual = current(key)?.metadata.resourceVersion ?? '0';
    if (actual === expected) continue;
    const found = actual === '0' ? 'it does not exist' : `it is at ${actual}`;
    const wanted = expected === '0' ? 'expected it not to exist' : `expected resourceVersion ${expected}`;
    throw new ControlPlaneError(
      CONTROL_PLANE_CODES.STORE_CONFLICT,
      `${id} was changed by someone else: ${wanted} but ${found}; nothing in this batch was written`,
      { key, expected, actual },
    );
  }
}

interface Parts {
  readonly content: Record<string, unknown>;
  readonly metadata: Record<string, unknown>;
}

/** Splits an object into what drives `generation` (everything but metadata) and the caller's metadata. */
function split(object: ResourceInput | StoredResource, key: ResourceKey): Parts {
  const { metadata, ...content } = object;
  const userMetadata: Record<string, unknown> = { ...metadata, name: key.name, namespace: key.namespace };
  for (const field of OWNED_METADATA) delete userMetadata[field];
  return { content, metadata: userMetadata };
}

function build(
  object: ResourceInput,
  content: Record<string, unknown>,
  metadata: Record<string, unknown>,
  revision: number,
  generation: number,
  creationTimestamp: string,
): StoredResource {
  // A JSON copy: later changes to the caller's object never reach the store, and the memory store keeps
  // exactly what the sqlite store would read back (no undefined members, no Dates).
  const { apiVersion: _apiVersion, kind: _kind, ...rest } = jsonCopy(content);
  return deepFreeze({
    apiVersion: object.apiVersion,
    kind: object.kind,
    metadata: {
      ...jsonCopy(metadata),
      name: metadata.name as string,
      namespace: metadata.namespace as string,
      resourceVersion: String(revision),
      generation,
      creationTimestamp,
    },
    ...rest,
  });
}

function jsonCopy(value: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}
