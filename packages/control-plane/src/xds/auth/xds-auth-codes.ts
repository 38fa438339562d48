// Stable codes of ADS stream authentication, at the start of every refusal's message and in log lines.

export const XDS_AUTH_CODES = {
  /** No join token while one is required, or a token that does not verify (expired, forged, another CA's). */
  UNAUTHENTICATED: 'HEDDLE_XDS_UNAUTHENTICATED',
  /** The node's NAMESPACE or SERVICE_ACCOUNT is not the identity its token proves. */
  IDENTITY_MISMATCH: 'HEDDLE_XDS_IDENTITY_MISMATCH',
  /** A credential secret (`kubernetes://…`) was left out of a response: the stream may not read that namespace. */
  CREDENTIAL_WITHHELD: 'HEDDLE_XDS_CREDENTIAL_WITHHELD',
  /** The `xdsAuth` option names no known mode. */
  INVALID_MODE: 'HEDDLE_XDS_AUTH_INVALID',
} as const;

export type XdsAuthCode = (typeof XDS_AUTH_CODES)[keyof typeof XDS_AUTH_CODES];
