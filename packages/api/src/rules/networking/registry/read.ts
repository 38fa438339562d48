// Small readers for decoded YAML values, so rules can walk a spec without casting at every step.

export type Struct = Readonly<Record<string, unknown>>;

export function isStruct(value: unknown): value is Struct {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function structAt(value: unknown): Struct | undefined {
  return isStruct(value) ? value : undefined;
}

export function listAt(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

export function stringAt(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function numberAt(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** True when the field is present with a value (YAML `null` and empty strings count as absent, as in protobuf). */
export function isSet(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}
