// An error that becomes a JSON response with a status and a stable HEDDLE_* code (never a stack trace).
import type { ControlPlaneCode } from '../errors.ts';

export class HttpError extends Error {
  readonly status: number;
  readonly code: ControlPlaneCode;
  /** Extra JSON fields of the response body (findings, the resource key …). */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    status: number,
    code: ControlPlaneCode,
    message: string,
    details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}
