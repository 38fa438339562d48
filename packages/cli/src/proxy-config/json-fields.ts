// Reading fields of proto3 JSON (a config dump) without trusting its shape: wrong types read as absent.

export type JsonRecord = Readonly<Record<string, unknown>>;

export function record(value: unknown): JsonRecord | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as JsonRecord)
    : undefined;
}

/** The value at a path of object keys, or undefined. */
export function at(value: unknown, ...path: readonly string[]): unknown {
  let current = value;
  for (const key of path) current = record(current)?.[key];
  return current;
}

export function text(value: unknown, ...path: readonly string[]): string | undefined {
  const found = at(value, ...path);
  return typeof found === 'string' ? found : undefined;
}

/** proto3 JSON writes 32-bit integers as numbers and 64-bit ones as strings; both are read. */
export function integer(value: unknown, ...path: readonly string[]): number | undefined {
  const found = at(value, ...path);
  const number = typeof found === 'string' ? Number(found) : found;
  return typeof number === 'number' && Number.isInteger(number) ? number : undefined;
}

export function list(value: unknown, ...path: readonly string[]): readonly unknown[] {
  const found = at(value, ...path);
  return Array.isArray(found) ? found : [];
}

export function texts(value: unknown, ...path: readonly string[]): string[] {
  return list(value, ...path).filter((item): item is string => typeof item === 'string');
}
