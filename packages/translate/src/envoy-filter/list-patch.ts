// The ordered-list operations EnvoyFilter shares between network filters, HTTP filters and routes: add,
// insert first / before / after the first matching item, replace it; then merge into or remove matching items.
import type { PatchOperation } from './patch-model.ts';

export interface ListPatch<T> {
  readonly operation: PatchOperation;
  /** A fresh copy of the patch value for each insertion. */
  value(): T;
  /**
   * Whether the item is the one the patch is anchored on; undefined when the patch names no item (then
   * INSERT_BEFORE means first, INSERT_AFTER means last, and REPLACE does nothing).
   */
  readonly anchor: ((item: T) => boolean) | undefined;
  /** Where ADD puts the item; the end by default. */
  addPosition?(items: readonly T[]): number;
}

/** Applies one ADD / INSERT_* / REPLACE patch; other operations are left to `mergeOrRemove`. */
export function insertIntoList<T>(items: T[], patch: ListPatch<T>): void {
  const at = patch.anchor ? items.findIndex(patch.anchor) : -1;
  switch (patch.operation) {
    case 'ADD':
      items.splice(patch.addPosition?.(items) ?? items.length, 0, patch.value());
      return;
    case 'INSERT_FIRST':
      items.unshift(patch.value());
      return;
    case 'INSERT_BEFORE':
      if (!patch.anchor) items.unshift(patch.value());
      else if (at >= 0) items.splice(at, 0, patch.value());
      return;
    case 'INSERT_AFTER':
      if (!patch.anchor) items.push(patch.value());
      else if (at >= 0) items.splice(at + 1, 0, patch.value());
      return;
    case 'REPLACE':
      if (at >= 0) items[at] = patch.value();
      return;
    case 'MERGE':
    case 'REMOVE':
      return;
  }
}

/** The items left after REMOVE; `merge` changes matching items in place. */
export function mergeOrRemove<T>(
  items: readonly T[],
  patches: readonly { readonly operation: PatchOperation; matches(item: T): boolean; merge(item: T): void }[],
): T[] {
  const kept: T[] = [];
  for (const item of items) {
    let removed = false;
    for (const patch of patches) {
      if (!patch.matches(item)) continue;
      if (patch.operation === 'REMOVE') {
        removed = true;
        break;
      }
      if (patch.operation === 'MERGE') patch.merge(item);
    }
    if (!removed) kept.push(item);
  }
  return kept;
}
