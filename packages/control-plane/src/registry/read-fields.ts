// Tolerant readers for stored objects: a field of the wrong type reads as absent instead of throwing, so one
// odd resource cannot stop the registry from building every other service.

export function readRecord(value: unknown): Readonly<Record<string, unknown>> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

export function readString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Ports and weights: positive integers only. */
export function readCount(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

export function readList(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

export function readStringList(value: unknown): string[] {
  return readList(value).filter((item): item is string => typeof item === 'string' && item !== '');
}

export function readStringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(readRecord(value))) if (typeof item === 'string') out[key] = item;
  return out;
}

export function readCountMap(value: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, item] of Object.entries(readRecord(value))) {
    const count = readCount(item);
    if (count !== undefined) out[key] = count;
  }
  return out;
}
