// One GET of a JSON document from the control plane, turning every failure into an ApiError.
import { ApiError, CLIENT_ERROR_CODES } from './api-error.ts';

export interface RequestOptions {
  /** '' (the default) means the page's own origin, as when the control plane serves the dashboard. */
  readonly baseUrl?: string;
  readonly signal?: AbortSignal;
}

export async function getJson<T>(path: string, options: RequestOptions = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${options.baseUrl ?? ''}${path}`, {
      headers: { accept: 'application/json' },
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ApiError(
      0,
      CLIENT_ERROR_CODES.UNREACHABLE,
      `the control plane did not answer: ${reason}`,
      path,
    );
  }
  const text = await response.text();
  if (!response.ok) throw errorFromBody(response.status, text, path);
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError(
      response.status,
      CLIENT_ERROR_CODES.BAD_RESPONSE,
      `the answer to ${path} is not JSON`,
      path,
    );
  }
}

/** The control plane answers errors as `{code, message, ...details}`; anything else keeps the status only. */
function errorFromBody(status: number, text: string, path: string): ApiError {
  try {
    const body = JSON.parse(text) as { code?: unknown; message?: unknown };
    if (typeof body.code === 'string') {
      const message = typeof body.message === 'string' ? body.message : `HTTP ${status}`;
      return new ApiError(status, body.code, message, path);
    }
  } catch {
    // Not JSON: fall through to the status-only error.
  }
  return new ApiError(status, CLIENT_ERROR_CODES.HTTP_STATUS, `HTTP ${status} from ${path}`, path);
}
