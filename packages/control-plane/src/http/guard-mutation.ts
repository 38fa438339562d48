// Keeps web pages from changing config through the API: a page can send a "simple" cross-origin POST (text/plain,
// no preflight) to 127.0.0.1, so changes need a YAML or JSON content type and no Origin header.
import type { IncomingMessage } from 'node:http';
import { CONTROL_PLANE_CODES } from '../errors.ts';
import { HttpError } from './http-error.ts';

/** None of these is CORS-safelisted, so a browser must preflight them, and the API answers no preflight. */
const BODY_TYPES = new Set([
  'application/yaml',
  'application/x-yaml',
  'text/yaml',
  'text/x-yaml',
  'application/json',
]);

export function guardMutation(req: IncomingMessage): void {
  const method = req.method ?? 'GET';
  if (method === 'GET' || method === 'HEAD') return;
  // Browsers send Origin on every non-GET request, DNS-rebound pages included; the CLI sends none.
  if (req.headers.origin !== undefined) {
    throw new HttpError(
      403,
      CONTROL_PLANE_CODES.HTTP_FORBIDDEN_ORIGIN,
      'config changes are not accepted from web pages (the request has an Origin header)',
    );
  }
  if (method !== 'POST') return;
  const mediaType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!BODY_TYPES.has(mediaType)) {
    throw new HttpError(
      415,
      CONTROL_PLANE_CODES.HTTP_UNSUPPORTED_MEDIA_TYPE,
      `send the body as application/yaml or application/json, not "${mediaType || 'no content type'}"`,
    );
  }
}
