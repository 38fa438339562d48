// The one shape every validation and analysis result takes, from YAML syntax errors to semantic rules.

export type Level = 'Error' | 'Warning' | 'Info';

export const LEVEL_RANK: Readonly<Record<Level, number>> = { Info: 0, Warning: 1, Error: 2 };

/** Identifies the resource a finding is about, as `Kind namespace/name`. */
export interface ResourceRef {
  readonly kind: string;
  readonly apiVersion?: string;
  readonly namespace?: string;
  readonly name?: string;
}

export interface Finding {
  /** Stable code that tests and scripts may rely on, e.g. `HEDDLE_DURATION_INVALID`. */
  readonly code: string;
  readonly level: Level;
  /** A sentence a user understands, without the location (that is carried separately). */
  readonly message: string;
  readonly file?: string;
  /** 1-based line of the offending field (or of the document when no field applies). */
  readonly line?: number;
  readonly column?: number;
  readonly resource?: ResourceRef;
  /** Field path inside the resource, e.g. `spec.http[0].route[1].weight`. */
  readonly field?: string;
}

export function atOrAbove(level: Level, threshold: Level): boolean {
  return LEVEL_RANK[level] >= LEVEL_RANK[threshold];
}

export function formatResourceRef(ref: ResourceRef): string {
  if (ref.name === undefined) return `${ref.kind} <unnamed>`;
  return ref.namespace ? `${ref.kind} ${ref.namespace}/${ref.name}` : `${ref.kind} ${ref.name}`;
}

/** Orders findings by file, line, column and code so output is stable. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    (a.file ?? '').localeCompare(b.file ?? '') ||
    (a.line ?? 0) - (b.line ?? 0) ||
    (a.column ?? 0) - (b.column ?? 0) ||
    a.code.localeCompare(b.code) ||
    a.message.localeCompare(b.message)
  );
}
