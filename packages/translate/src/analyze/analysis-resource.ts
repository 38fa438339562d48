// One resource as the cross-resource analyzers read it, whether it came from a file or from the control
// plane's store: kind, name, namespace, spec, and where it was written when that is known.
import type { ValidatedResource } from '@heddle/api';

export interface AnalysisResource {
  readonly kind: string;
  readonly apiVersion: string;
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly spec: Readonly<Record<string, unknown>>;
  readonly file?: string;
  readonly line?: number;
}

/** A resource as a config store keeps it (the control plane's StoredResource has this shape). */
export interface StoredResourceFields {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: unknown;
  readonly spec?: unknown;
}

export function fromValidatedResource(resource: ValidatedResource): AnalysisResource {
  const metadata = record(resource.object.metadata);
  return {
    kind: resource.kind,
    apiVersion: resource.apiVersion,
    name: typeof metadata.name === 'string' ? metadata.name : '',
    namespace: typeof metadata.namespace === 'string' ? metadata.namespace : 'default',
    labels: stringRecord(metadata.labels),
    spec: record(resource.object.spec),
    file: resource.file,
    line: resource.line,
  };
}

export function fromStoredResource(resource: StoredResourceFields): AnalysisResource {
  const metadata = record(resource.metadata);
  return {
    kind: resource.kind,
    apiVersion: resource.apiVersion,
    name: typeof metadata.name === 'string' ? metadata.name : '',
    namespace: typeof metadata.namespace === 'string' ? metadata.namespace : 'default',
    labels: stringRecord(metadata.labels),
    spec: record(resource.spec),
  };
}

export function record(value: unknown): Readonly<Record<string, unknown>> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

export function stringRecord(value: unknown): Readonly<Record<string, string>> {
  return Object.fromEntries(
    Object.entries(record(value)).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}

export function list(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

export function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
