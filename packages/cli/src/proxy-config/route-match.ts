// Describes a route's path match as istioctl does: `/api*` for a prefix, the path itself, `regex …`.
import { at, text } from './json-fields.ts';

/** Header and query matches are left out, as istioctl leaves them out. */
export function describeRouteMatch(match: unknown): string {
  const parts: string[] = [];
  const prefix = text(match, 'prefix');
  if (prefix !== undefined) parts.push(`${prefix}*`);
  const separated = text(match, 'pathSeparatedPrefix');
  if (separated !== undefined) parts.push(`${separated}/*`);
  const path = text(match, 'path');
  if (path !== undefined) parts.push(path);
  const regex = text(match, 'safeRegex', 'regex');
  if (regex !== undefined) parts.push(`regex ${regex}`);
  if (at(match, 'connectMatcher') !== undefined) parts.push('CONNECT');
  return parts.length > 0 ? parts.join(' ') : '-';
}
