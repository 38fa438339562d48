// Small checks for bootstrap fields: each returns a usable value and records a `path: problem` line when the
// input is wrong, so that one pass reports every problem.
import type { JsonValue } from '@bufbuild/protobuf';

export function object(
  input: unknown,
  path: string,
  problems: string[],
): Record<string, JsonValue> | undefined {
  if (input !== null && typeof input === 'object' && !Array.isArray(input))
    return input as Record<string, JsonValue>;
  problems.push(`${path}: must be an object, not ${describe(input)}`);
  return undefined;
}

export function unknownKeys(
  input: Record<string, unknown>,
  known: readonly string[],
  path: string,
  problems: string[],
): void {
  for (const key of Object.keys(input))
    if (!known.includes(key)) problems.push(`${path}.${key}: unknown field (known: ${known.join(', ')})`);
}

export function text(input: unknown, path: string, problems: string[]): string {
  if (typeof input === 'string') return input;
  problems.push(`${path}: must be a string, not ${describe(input)}`);
  return '';
}

export function optionalText(input: unknown, path: string, problems: string[]): string {
  return input === undefined ? '' : text(input, path, problems);
}

export function integer(input: unknown, path: string, min: number, max: number, problems: string[]): number {
  if (typeof input === 'number' && Number.isInteger(input) && input >= min && input <= max) return input;
  problems.push(`${path}: must be an integer from ${min} to ${max}, not ${describe(input)}`);
  return min;
}

export function describe(input: unknown): string {
  if (input === undefined) return 'missing';
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'a list';
  return typeof input === 'object' ? 'an object' : JSON.stringify(input);
}
