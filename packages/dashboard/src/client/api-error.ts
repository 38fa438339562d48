// The error every client call throws when the control plane cannot be reached or answers with a non-2xx status.

/** Codes of failures that happen before the control plane could answer with its own `HEDDLE_*` code. */
export const CLIENT_ERROR_CODES = {
  /** The request never got an answer (connection refused, the control plane stopped, a timeout). */
  UNREACHABLE: 'HEDDLE_DASHBOARD_UNREACHABLE',
  /** A non-2xx answer without the control plane's `{code, message}` body (a proxy or a static server in front). */
  HTTP_STATUS: 'HEDDLE_DASHBOARD_HTTP_STATUS',
  /** A 2xx answer whose body is not JSON. */
  BAD_RESPONSE: 'HEDDLE_DASHBOARD_BAD_RESPONSE',
} as const;

export class ApiError extends Error {
  /** 0 when no HTTP answer arrived. */
  readonly status: number;
  /** The control plane's stable code (`HEDDLE_HTTP_NOT_FOUND` …) or one of CLIENT_ERROR_CODES. */
  readonly code: string;
  /** The request path, so a banner can say which view's data failed. */
  readonly path: string;

  constructor(status: number, code: string, message: string, path: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.path = path;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}
