// kubectl's result lines: `virtualservice.networking.istio.io/reviews created`, `… "reviews" deleted`.
import type { ApplyOutcome, ResourceKey } from '@heddle/control-plane';
import { qualifiedTypeName } from '../resources/resource-types.ts';

export interface OutcomeEntry {
  readonly key: ResourceKey;
  readonly line: number;
  readonly outcome: ApplyOutcome;
}

/** One line per resource, in the order the source defines them. */
export function appliedLines(entries: readonly OutcomeEntry[]): string {
  return [...entries]
    .sort((a, b) => a.line - b.line)
    .map((entry) => `${resourceName(entry.key)} ${entry.outcome}\n`)
    .join('');
}

/** `virtualservice.networking.istio.io/reviews`, kubectl's `-o name` form. */
export function resourceName(key: ResourceKey): string {
  return `${qualifiedTypeName(key.kind)}/${key.name}`;
}

/** `virtualservice.networking.istio.io "reviews"`, as kubectl names a resource in delete and error lines. */
export function quotedResourceName(key: ResourceKey): string {
  return `${qualifiedTypeName(key.kind)} "${key.name}"`;
}
