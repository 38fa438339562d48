// What a semantic rule sees: the resource it judges and a way to report findings at a field path.
import type { Finding, Level, ResourceRef } from '../findings/finding.ts';
import type { FieldPath } from '../source/field-path.ts';
import { formatFieldPath } from '../source/field-path.ts';
import type { SourceDocument } from '../source/source-document.ts';

export interface RuleContext {
  readonly resource: ResourceRef;
  /** The whole object (apiVersion, kind, metadata, spec …) as decoded. */
  readonly object: Readonly<Record<string, unknown>>;
  /** Namespace the resource lives in (`default` when metadata has none). */
  readonly namespace: string;
  report(level: Level, code: string, path: FieldPath, message: string): void;
  error(code: string, path: FieldPath, message: string): void;
  warn(code: string, path: FieldPath, message: string): void;
  info(code: string, path: FieldPath, message: string): void;
}

export function createRuleContext(
  document: SourceDocument,
  resource: ResourceRef,
  object: Readonly<Record<string, unknown>>,
  sink: Finding[],
): RuleContext {
  const report = (level: Level, code: string, path: FieldPath, message: string): void => {
    const { line, column } = document.locate(path);
    sink.push({
      code,
      level,
      message,
      file: document.file,
      line,
      column,
      resource,
      ...(path.length > 0 ? { field: formatFieldPath(path) } : {}),
    });
  };
  return {
    resource,
    object,
    namespace: resource.namespace ?? 'default',
    report,
    error: (code, path, message) => report('Error', code, path, message),
    warn: (code, path, message) => report('Warning', code, path, message),
    info: (code, path, message) => report('Info', code, path, message),
  };
}

/** A semantic rule set for one kind: receives the spec (already schema-checked) and its path. */
export type KindValidator = (ctx: RuleContext, spec: Readonly<Record<string, unknown>>) => void;
