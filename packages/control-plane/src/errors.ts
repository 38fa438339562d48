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
  /** An xDS request could not be decoded, or is malformed (no node, unknown type URL); its stream is closed. */
  XDS_INVALID_REQUEST: 'HEDDLE_XDS_INVALID_REQUEST',
  /** The xDS Node carries metadata of the wrong shape (e.g. an unknown HEDDLE_CAPTURE). */
  XDS_INVALID_NODE: 'HEDDLE_XDS_INVALID_NODE',
  /** Translating config for one proxy failed; it keeps its last config. */
  XDS_TRANSLATE_FAILED: 'HEDDLE_XDS_TRANSLATE_FAILED',
  /** A response was not flushed to a proxy in time; its stream is closed so that it reconnects. */
  XDS_WRITE_TIMEOUT: 'HEDDLE_XDS_WRITE_TIMEOUT',
  HTTP_NOT_FOUND: 'HEDDLE_HTTP_NOT_FOUND',
  HTTP_METHOD_NOT_ALLOWED: 'HEDDLE_HTTP_METHOD_NOT_ALLOWED',
  HTTP_BAD_REQUEST: 'HEDDLE_HTTP_BAD_REQUEST',
  HTTP_BODY_TOO_LARGE: 'HEDDLE_HTTP_BODY_TOO_LARGE',
  HTTP_UNSUPPORTED_MEDIA_TYPE: 'HEDDLE_HTTP_UNSUPPORTED_MEDIA_TYPE',
  /** A browser page (any request with an Origin header) tried to change config through the API. */
  HTTP_FORBIDDEN_ORIGIN: 'HEDDLE_HTTP_FORBIDDEN_ORIGIN',
  HTTP_INTERNAL: 'HEDDLE_HTTP_INTERNAL',
  HTTP_NOT_READY: 'HEDDLE_HTTP_NOT_READY',
  PROXY_NOT_FOUND: 'HEDDLE_PROXY_NOT_FOUND',
  RESOURCE_NOT_FOUND: 'HEDDLE_RESOURCE_NOT_FOUND',
  WORKLOAD_INVALID: 'HEDDLE_WORKLOAD_INVALID',
  WORKLOAD_NOT_FOUND: 'HEDDLE_WORKLOAD_NOT_FOUND',
  /** A listen address option is not `host:port`. */
  INVALID_LISTEN_ADDRESS: 'HEDDLE_INVALID_LISTEN_ADDRESS',
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
