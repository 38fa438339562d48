// The options of `heddle demo` after parsing.
import type { LogLevel } from '../control/run-control.ts';
import { UsageError } from '../usage-error.ts';

export interface DemoRequest {
  /** --data-dir as given; ~/.heddle-demo when absent. */
  readonly dataDir?: string;
  readonly durationMs: number;
  readonly rps: number;
  readonly json: boolean;
  /** Leave the mesh running afterwards (stopped by `heddle down --data-dir`). */
  readonly keep: boolean;
  /** How long starting everything may take, in all. */
  readonly timeoutMs: number;
  readonly logLevel: LogLevel;
  readonly cwd: string;
}

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000 };

/** `30s`, `1m`, `1500ms` or a bare number of seconds; at least one second, at most an hour. */
export function parseDuration(value: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(value.trim());
  const ms = match ? Number(match[1]) * (UNIT_MS[match[2] ?? 's'] ?? 1000) : Number.NaN;
  if (!(ms >= 1000 && ms <= 3_600_000))
    throw new UsageError(
      `invalid duration '${value}' for --duration`,
      'Give a duration from 1s to 60m, e.g. --duration 30s or --duration 2m.',
    );
  return ms;
}

/** Requests per second through the gateway: 1 to 200 (the whole mesh runs on this machine). */
export function parseRps(value: string): number {
  const rps = /^\d+(\.\d+)?$/.test(value) ? Number(value) : Number.NaN;
  if (!(rps >= 1 && rps <= 200))
    throw new UsageError(
      `invalid rate '${value}' for --rps`,
      'Give requests per second from 1 to 200, e.g. --rps 10.',
    );
  return rps;
}
