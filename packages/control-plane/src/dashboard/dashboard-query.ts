// Reads the dashboard routes' query parameters, refusing malformed ones with HEDDLE_HTTP_BAD_REQUEST.
import { CONTROL_PLANE_CODES } from '../errors.ts';
import { HttpError } from '../http/http-error.ts';

/** `window=<seconds>`: a whole number from 1; longer than the history keeps, it is the history. */
export function windowSeconds(url: URL, fallback: number, maxSeconds: number): number {
  const text = url.searchParams.get('window');
  if (text === null || text === '') return Math.min(fallback, maxSeconds);
  const seconds = Number(text.replace(/s$/, ''));
  if (!Number.isInteger(seconds) || seconds < 1)
    throw badRequest(`window must be a whole number of seconds (like 60 or 60s), not "${text}"`);
  return Math.min(seconds, maxSeconds);
}

/** An optional name parameter; empty counts as absent. */
export function optionalName(url: URL, name: string): string | undefined {
  const value = url.searchParams.get(name)?.trim();
  if (value === undefined || value === '') return undefined;
  if (value.length > 253 || /[\s/]/.test(value)) throw badRequest(`${name} "${value}" is not a valid name`);
  return value;
}

export function badRequest(message: string): HttpError {
  return new HttpError(400, CONTROL_PLANE_CODES.HTTP_BAD_REQUEST, message);
}
