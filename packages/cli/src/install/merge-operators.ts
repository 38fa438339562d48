// Several IstioOperator files (`-f base.yaml -f prod.yaml`) overlay one another in order, as istioctl merges
// them: maps merge key by key, lists are replaced, and the gateway lists merge entry by entry on `name`.
type Tree = Record<string, unknown>;

/** Lists whose entries are matched by name rather than replaced whole. */
const NAMED_LISTS = new Set(['components.ingressGateways', 'components.egressGateways']);

export function mergeOperatorSpecs(specs: readonly Readonly<Tree>[]): Tree {
  let merged: Tree = {};
  for (const spec of specs) merged = mergeTrees(merged, spec, '');
  return merged;
}

function mergeTrees(base: Readonly<Tree>, overlay: Readonly<Tree>, at: string): Tree {
  const result: Tree = { ...base };
  for (const [key, value] of Object.entries(overlay)) {
    const path = at === '' ? key : `${at}.${key}`;
    const current = result[key];
    if (NAMED_LISTS.has(path) && Array.isArray(current) && Array.isArray(value))
      result[key] = mergeNamed(current, value, path);
    else if (isTree(current) && isTree(value)) result[key] = mergeTrees(current, value, path);
    else result[key] = structuredClone(value);
  }
  return result;
}

function mergeNamed(base: readonly unknown[], overlay: readonly unknown[], path: string): unknown[] {
  const result = [...base];
  for (const entry of overlay) {
    const name = isTree(entry) ? entry.name : undefined;
    const index = name === undefined ? -1 : result.findIndex((other) => isTree(other) && other.name === name);
    const existing = result[index];
    if (index >= 0 && isTree(existing) && isTree(entry)) result[index] = mergeTrees(existing, entry, path);
    else result.push(structuredClone(entry));
  }
  return result;
}

function isTree(value: unknown): value is Tree {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
