// Places graph nodes in columns by call depth, callers left and callees right (the way Kiali draws a mesh):
// deterministic, so a refresh with the same nodes lands on the same picture, and readable at any graph size.

export interface Point {
  readonly x: number;
  readonly y: number;
}

export const COLUMN_GAP = 220;
export const ROW_GAP = 110;

/**
 * A node's column is the length of the longest call chain that reaches it; cycles are cut off at the node
 * count, so every input ends. Inside a column nodes are ordered by where their callers sit, then by id.
 */
export function layeredPositions(
  nodeIds: readonly string[],
  edges: readonly { readonly source: string; readonly target: string }[],
): Map<string, Point> {
  const ids = [...new Set(nodeIds)].sort();
  const known = new Set(ids);
  const links = edges.filter(
    (edge) => edge.source !== edge.target && known.has(edge.source) && known.has(edge.target),
  );
  const column = new Map(ids.map((id) => [id, 0]));
  const limit = Math.max(0, ids.length - 1);
  for (let pass = 0; pass < ids.length; pass++) {
    let changed = false;
    for (const { source, target } of links) {
      const next = Math.min(limit, (column.get(source) ?? 0) + 1);
      if ((column.get(target) ?? 0) < next) {
        column.set(target, next);
        changed = true;
      }
    }
    if (!changed) break;
  }
  const columns = new Map<number, string[]>();
  for (const id of ids) {
    const index = column.get(id) ?? 0;
    columns.set(index, [...(columns.get(index) ?? []), id]);
  }
  const row = new Map<string, number>();
  const positions = new Map<string, Point>();
  for (const index of [...columns.keys()].sort((a, b) => a - b)) {
    const members = columns.get(index) ?? [];
    const callerRow = (id: string): number => {
      const rows = links.filter((edge) => edge.target === id).flatMap((edge) => row.get(edge.source) ?? []);
      return rows.length === 0 ? 0 : rows.reduce((sum, value) => sum + value, 0) / rows.length;
    };
    const ordered = members
      .map((id) => ({ id, key: callerRow(id) }))
      .sort((a, b) => a.key - b.key || a.id.localeCompare(b.id));
    ordered.forEach(({ id }, position) => {
      const centred = position - (ordered.length - 1) / 2;
      row.set(id, centred);
      positions.set(id, { x: index * COLUMN_GAP, y: centred * ROW_GAP });
    });
  }
  return positions;
}
