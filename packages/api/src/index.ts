// Public surface of @heddle/api: reading Istio YAML, validating it, and the finding model.
export * from './findings/finding.ts';
export * from './findings/codes.ts';
export type { FieldPath, PathSegment } from './source/field-path.ts';
export { formatFieldPath } from './source/field-path.ts';
export type { Position, SourceDocument } from './source/source-document.ts';
export {
  parseDocuments,
  MAX_FILE_BYTES,
  MAX_NESTING_DEPTH,
  type ParsedFile,
} from './source/parse-documents.ts';
export {
  validateDocuments,
  type ValidatedResource,
  type ValidationResult,
} from './validate/validate-documents.ts';
export { KINDS, findKind, parseApiVersion, type KindInfo } from './kinds/kind-table.ts';
export { validateText, type TextSource } from './validate/validate-text.ts';
export { parseDurationMs } from './rules/common/duration.ts';
