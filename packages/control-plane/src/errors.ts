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
  /** A file of the plugged-in `cacerts` directory is missing, unreadable or not PEM of the expected kind. */
  CA_CACERTS_UNREADABLE: 'HEDDLE_CA_CACERTS_UNREADABLE',
  /** `ca-key.pem` is not the private key of `ca-cert.pem`. */
  CA_KEY_MISMATCH: 'HEDDLE_CA_KEY_MISMATCH',
  /** A certificate that must sign others (ca-cert, an intermediate, a root) is not a CA certificate. */
  CA_NOT_A_CA: 'HEDDLE_CA_NOT_A_CA',
  /** A CA certificate is expired or not yet valid. */
  CA_CERT_EXPIRED: 'HEDDLE_CA_CERT_EXPIRED',
  /** `cert-chain.pem` does not lead from `ca-cert.pem` to a root of `root-cert.pem`. */
  CA_CHAIN_INVALID: 'HEDDLE_CA_CHAIN_INVALID',
  /** The CA's own files in `<dataDir>/ca/` are damaged or were written by a newer Heddle. */
  CA_STATE_INVALID: 'HEDDLE_CA_STATE_INVALID',
  /** A root-rotation phase was asked out of order (activate before prepare, finish before activate …). */
  CA_ROTATION_OUT_OF_ORDER: 'HEDDLE_CA_ROTATION_OUT_OF_ORDER',
  /** Roots of a plugged-in CA are rotated by replacing its `cacerts` files, not through Heddle. */
  CA_ROTATION_UNSUPPORTED: 'HEDDLE_CA_ROTATION_UNSUPPORTED',
  /** The control plane runs without a certificate authority (`ca: false`). */
  CA_DISABLED: 'HEDDLE_CA_DISABLED',
  /** A token request names an invalid identity or lifetime. */
  CA_TOKEN_REQUEST_INVALID: 'HEDDLE_CA_TOKEN_REQUEST_INVALID',
  /** A caller of CreateCertificate could not be authenticated (no, expired, forged or foreign token). */
  CA_UNAUTHENTICATED: 'HEDDLE_CA_UNAUTHENTICATED',
  /** A certificate signing request is not a valid, correctly self-signed PKCS#10 request with an allowed key. */
  CA_CSR_INVALID: 'HEDDLE_CA_CSR_INVALID',
  /** A TLS secret request is malformed: a bad name or namespace, a certificate without its key, nothing to store. */
  SECRET_INVALID: 'HEDDLE_SECRET_INVALID',
  /** A certificate, key or CA bundle of a TLS secret is not PEM that parses. */
  SECRET_PEM_INVALID: 'HEDDLE_SECRET_PEM_INVALID',
  /** The private key of a TLS secret is not the key of its (first) certificate. */
  SECRET_KEY_MISMATCH: 'HEDDLE_SECRET_KEY_MISMATCH',
  /** A certificate of a TLS secret is expired or not valid yet. */
  SECRET_CERT_EXPIRED: 'HEDDLE_SECRET_CERT_EXPIRED',
  /** The `ca.crt` of a TLS secret holds a certificate that is not a CA certificate. */
  SECRET_NOT_A_CA: 'HEDDLE_SECRET_NOT_A_CA',
  /** A secret of that namespace and name exists and the request did not ask to overwrite it. */
  SECRET_EXISTS: 'HEDDLE_SECRET_EXISTS',
  SECRET_NOT_FOUND: 'HEDDLE_SECRET_NOT_FOUND',
  /** A file of the secret store (`<dataDir>/secrets/`) is damaged; that secret is not served. */
  SECRET_STORE_INVALID: 'HEDDLE_SECRET_STORE_INVALID',
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
