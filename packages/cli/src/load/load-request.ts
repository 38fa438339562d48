// The options of `heddle x load` after parsing, and their parsers: each bad value is a usage error that says
// what would be accepted.
import { UsageError } from '../usage-error.ts';

export interface LoadRequest {
  readonly url: URL;
  readonly method: string;
  /** Lower-case names; a repeated -H adds another value. */
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
  readonly body?: string;
  /** Connections (and requests in flight) at most. */
  readonly connections: number;
  /** Target requests per second over all connections; 0 sends as fast as the answers come back. */
  readonly qps: number;
  /** How long to send for; with `count`, whichever comes first ends the run. */
  readonly durationMs: number;
  /** How many requests in all; undefined: as many as the duration allows. */
  readonly count?: number;
  /** One request's limit: headers and body each. */
  readonly timeoutMs: number;
  /** Accept any certificate from an https target (self-signed demo certificates). */
  readonly insecure: boolean;
  /** The TLS server name to send instead of the URL's host (a gateway selecting certificates by SNI). */
  readonly serverName?: string;
  /** PEM certificates to trust for an https target, instead of the system's (a mesh's own CA). */
  readonly caCertificates?: string;
}

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

function duration(value: string, option: string, lowestMs: number, highestMs: number): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  const ms = match ? Number(match[1]) * (UNIT_MS[match[2] ?? 's'] ?? 1000) : Number.NaN;
  if (!(ms >= lowestMs && ms <= highestMs))
    throw new UsageError(
      `invalid duration '${value}' for ${option}`,
      `Give a duration such as 500ms, 30s or 5m, from ${lowestMs} ms to ${highestMs / 3_600_000} h.`,
    );
  return ms;
}

/** -t / --duration: 100ms to 24h. */
export function parseLoadDuration(value: string): number {
  return duration(value, '--duration', 100, 24 * 3_600_000);
}

/** --timeout: 1ms to 10m. */
export function parseRequestTimeout(value: string): number {
  return duration(value, '--timeout', 1, 600_000);
}

/** --qps: a rate from 0 (as fast as possible) up. */
export function parseQps(value: string): number {
  const qps = /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!(qps >= 0 && qps <= 1_000_000))
    throw new UsageError(
      `invalid rate '${value}' for --qps`,
      'Give requests per second, e.g. --qps 1000, or --qps 0 to send as fast as answers come back.',
    );
  return qps;
}

function positiveInteger(value: string, option: string, highest: number, example: string): number {
  const n = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!(n >= 1 && n <= highest))
    throw new UsageError(`invalid number '${value}' for ${option}`, `Give 1 to ${highest}, e.g. ${example}.`);
  return n;
}

/** -c / --connections: 1 to 10000. */
export function parseConnections(value: string): number {
  return positiveInteger(value, '--connections', 10_000, '-c 50');
}

/** -n / --requests: 1 to 1e9. */
export function parseCount(value: string): number {
  return positiveInteger(value, '--requests', 1_000_000_000, '-n 10000');
}

/** -H 'name: value', repeatable; collected into a header map. */
export function collectHeader(
  value: string,
  previous: Readonly<Record<string, string | readonly string[]>> = {},
): Record<string, string | readonly string[]> {
  const colon = value.indexOf(':');
  const name = colon > 0 ? value.slice(0, colon).trim().toLowerCase() : '';
  if (!/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(name))
    throw new UsageError(`invalid header '${value}' for -H`, "Write a header as -H 'name: value'.");
  const headerValue = value.slice(colon + 1).trim();
  const existing = previous[name];
  const merged =
    existing === undefined
      ? headerValue
      : [...(typeof existing === 'string' ? [existing] : existing), headerValue];
  return { ...previous, [name]: merged };
}

/** The target: an http or https URL. */
export function parseTarget(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(
      `invalid URL '${value}'`,
      'Give a full URL, e.g. http://127.0.0.1:8080/api/products.',
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(
      `unsupported scheme '${url.protocol}' in '${value}'`,
      'Give an http:// or https:// URL.',
    );
  return url;
}
