// Stable error codes of the control plane, in one place; tests and callers assert on these strings.

export const CONTROL_PLANE_CODES = {
  /** An expected resourceVersion did not match the stored one; the whole batch was rejected. */
  STORE_CONFLICT: 'HEDDLE_STORE_CONFLICT',
  /** The same (kind, namespace, name) appears twice in one batch. */
  STORE_DUPLICATE_KEY: 'HEDDLE_STORE_DUPLICATE_KEY',
  /** An object without apiVersion, kind or metadata.name cannot be stored. */
  STORE_INVALID_OBJECT: 'HEDDLE_STORE_INVALID_OBJECT',
  STORE_CLOSED: 'HEDDLE_STORE_CLOSED',
  /** The database was written by a newer Heddle whose schema this one does not know. */
  STORE_SCHEMA_UNSUPPORTED: 'HEDDLE_STORE_SCHEMA_UNSUPPORTED',
  /** Validation found errors (or unparseable sources); nothing was written. */
  APPLY_REFUSED: 'HEDDLE_APPLY_REFUSED',
  /** Two documents of one apply name the same resource. */
  APPLY_DUPLICATE_RESOURCE: 'HEDDLE_APPLY_DUPLICATE_RESOURCE',
  REGISTRY_GROUP_NOT_FOUND: 'HEDDLE_REGISTRY_GROUP_NOT_FOUND',
  REGISTRY_NOT_STARTED: 'HEDDLE_REGISTRY_NOT_STARTED',
} as const;

export type ControlPlaneCode = (typeof CONTROL_PLANE_CODES)[keyof typeof CONTROL_PLANE_CODES];

export class ControlPlaneError extends Error {
  readonly code: ControlPlaneCode;
  /** Machine-readable context (the resource key, expected and actual versions …). */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ControlPlaneCode, message: string, details: Readonly<Record<string, unknown>> = {}) {
    super(message);
    this.name = 'ControlPlaneError';
    this.code = code;
    this.details = details;
  }
}

export function isControlPlaneError(error: unknown, code?: ControlPlaneCode): error is ControlPlaneError {
  return error instanceof ControlPlaneError && (code === undefined || error.code === code);
}
