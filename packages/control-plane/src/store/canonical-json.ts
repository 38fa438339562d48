// JSON with sorted keys, so two objects that differ only in key order compare equal.

export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const child = (value as Record<string, unknown>)[key];
    // Undefined members vanish in JSON anyway; dropping them here keeps `{a: undefined}` equal to `{}`.
    if (child !== undefined) out[key] = sortKeys(child);
  }
  return out;
}
