// Combines a delegating rule's match with a delegate rule's match, as Istio does: the delegate may only narrow
// the root's conditions; a delegate match outside every root match is a conflict.
import type { HTTPMatchRequest, StringMatch } from '@heddle/api';
import { gatewayKey } from '../snapshot/mesh-index.ts';

/** True when no request can satisfy both `root` and `leaf` narrowing it (Istio's subset rule). */
function stringMatchConflict(root: StringMatch | undefined, leaf: StringMatch | undefined): boolean {
  if (!root || !leaf) return false;
  const set = (m: StringMatch): boolean => Boolean(m.exact || m.prefix || m.regex);
  if (root.regex) return set(leaf);
  if (leaf.regex) return set(root);
  if (root.exact) return Boolean(leaf.prefix) || leaf.exact !== root.exact;
  if (root.prefix) {
    if (leaf.prefix) return !leaf.prefix.startsWith(root.prefix);
    if (leaf.exact) return !leaf.exact.startsWith(root.prefix);
  }
  return true;
}

function recordConflict(
  root: Readonly<Record<string, StringMatch>> | undefined,
  leaf: Readonly<Record<string, StringMatch>> | undefined,
): boolean {
  return Object.entries(leaf ?? {}).some(([key, value]) => stringMatchConflict(root?.[key], value));
}

function hasConflict(root: HTTPMatchRequest, leaf: HTTPMatchRequest): boolean {
  const fields = ['uri', 'scheme', 'method', 'authority'] as const;
  if (fields.some((field) => stringMatchConflict(root[field], leaf[field]))) return true;
  if (recordConflict(root.headers, leaf.headers)) return true;
  if (recordConflict(root.withoutHeaders, leaf.withoutHeaders)) return true;
  if (recordConflict(root.queryParams, leaf.queryParams)) return true;
  if (Boolean(root.ignoreUriCase) !== Boolean(leaf.ignoreUriCase)) return true;
  if (root.port && leaf.port && root.port !== leaf.port) return true;
  if (root.sourceNamespace && leaf.sourceNamespace !== root.sourceNamespace) return true;
  const rootLabels = root.sourceLabels ?? {};
  if (Object.entries(leaf.sourceLabels ?? {}).some(([k, v]) => k in rootLabels && rootLabels[k] !== v))
    return true;
  if (root.gateways?.length && leaf.gateways?.length) {
    return leaf.gateways.some((g) => !root.gateways?.includes(g));
  }
  return false;
}

function mergeRecords<T>(
  root: Readonly<Record<string, T>> | undefined,
  leaf: Readonly<Record<string, T>> | undefined,
): Readonly<Record<string, T>> | undefined {
  return root || leaf ? { ...root, ...leaf } : undefined;
}

function mergeMatch(root: HTTPMatchRequest, leaf: HTTPMatchRequest): HTTPMatchRequest {
  const name = root.name && leaf.name ? `${root.name}-${leaf.name}` : (leaf.name ?? root.name);
  return {
    ...root,
    ...leaf,
    ...(name !== undefined ? { name } : {}),
    uri: leaf.uri ?? root.uri,
    scheme: leaf.scheme ?? root.scheme,
    method: leaf.method ?? root.method,
    authority: leaf.authority ?? root.authority,
    headers: mergeRecords(root.headers, leaf.headers),
    withoutHeaders: mergeRecords(root.withoutHeaders, leaf.withoutHeaders),
    queryParams: mergeRecords(root.queryParams, leaf.queryParams),
    sourceLabels: mergeRecords(root.sourceLabels, leaf.sourceLabels),
    port: leaf.port || root.port,
    sourceNamespace: leaf.sourceNamespace || root.sourceNamespace,
    gateways: leaf.gateways?.length ? leaf.gateways : root.gateways,
    statPrefix: leaf.statPrefix || root.statPrefix,
  };
}

/** Match `gateways` as `ns/name` keys, so they keep their meaning wherever the merged rule ends up. */
export function qualifyGateways(
  matches: readonly HTTPMatchRequest[] | undefined,
  namespace: string,
): HTTPMatchRequest[] {
  return (matches ?? []).map((m) =>
    m.gateways ? { ...m, gateways: m.gateways.map((g) => gatewayKey(g, namespace)) } : m,
  );
}

/** Undefined on conflict: some delegate match lies outside every root match. */
export function mergeMatches(
  root: readonly HTTPMatchRequest[],
  leaf: readonly HTTPMatchRequest[],
): HTTPMatchRequest[] | undefined {
  if (root.length === 0) return [...leaf];
  if (leaf.length === 0) return [...root];
  const out: HTTPMatchRequest[] = [];
  for (const leafMatch of leaf) {
    const merged = root.filter((r) => !hasConflict(r, leafMatch)).map((r) => mergeMatch(r, leafMatch));
    if (merged.length === 0) return undefined;
    out.push(...merged);
  }
  return out;
}
