// Matches method and path against a small route table; `:name` segments become parameters.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CONTROL_PLANE_CODES } from '../errors.ts';
import { HttpError } from './http-error.ts';

export interface RouteRequest {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  readonly params: Readonly<Record<string, string>>;
}

export interface Route {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** e.g. `/apis/v1/resources/:kind/:namespace/:name`. */
  readonly path: string;
  readonly handle: (request: RouteRequest) => Promise<void> | void;
}

export type RouteMatch =
  | { readonly route: Route; readonly params: Record<string, string> }
  | { readonly route?: undefined; readonly allowed: readonly string[] };

export function matchRoute(routes: readonly Route[], method: string, pathname: string): RouteMatch {
  const segments = pathname.split('/');
  const allowed: string[] = [];
  for (const route of routes) {
    const params = matchPath(route.path.split('/'), segments);
    if (!params) continue;
    if (route.method === method || (method === 'HEAD' && route.method === 'GET')) return { route, params };
    allowed.push(route.method);
  }
  return { allowed };
}

function matchPath(
  pattern: readonly string[],
  segments: readonly string[],
): Record<string, string> | undefined {
  if (pattern.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const expected = pattern[i] as string;
    const actual = segments[i] as string;
    if (expected.startsWith(':')) params[expected.slice(1)] = decodeSegment(actual);
    else if (expected !== actual) return undefined;
  }
  return params;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(
      400,
      CONTROL_PLANE_CODES.HTTP_BAD_REQUEST,
      `malformed percent-encoding in "${segment}"`,
    );
  }
}
