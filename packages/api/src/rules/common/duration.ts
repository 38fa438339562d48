// Istio durations (protobuf Duration in its JSON form): a number with a unit, e.g. `5s`, `100ms`, `1h30m`.

const UNIT_MS: Readonly<Record<string, number>> = {
  h: 3_600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
  us: 0.001,
  µs: 0.001,
  ns: 0.000001,
};
const DURATION_PATTERN = /^(?:(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns))+$/;
const PART_PATTERN = /(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g;

/** Milliseconds in a duration string, or undefined when it is not one. */
export function parseDurationMs(text: string): number | undefined {
  if (!DURATION_PATTERN.test(text)) return undefined;
  let total = 0;
  for (const match of text.matchAll(PART_PATTERN)) {
    const value = Number(match[1]);
    const unit = UNIT_MS[match[2] ?? ''];
    if (unit === undefined) return undefined;
    total += value * unit;
  }
  return total;
}

export interface DurationProblem {
  readonly message: string;
}

/** Checks a duration as Istio does: parseable, at least 1 ms, whole milliseconds. */
export function checkDuration(value: unknown, options: { minMs?: number } = {}): DurationProblem | undefined {
  if (typeof value !== 'string') return { message: `must be a duration string such as "5s" or "250ms"` };
  const ms = parseDurationMs(value);
  if (ms === undefined) {
    const hint = /^\d+$/.test(value) ? ` (add a unit: "${value}s" or "${value}ms")` : '';
    return {
      message: `"${value}" is not a duration; use a number with a unit such as "5s" or "250ms"${hint}`,
    };
  }
  const minMs = options.minMs ?? 1;
  if (ms < minMs) return { message: `"${value}" is too short; the minimum is ${minMs} ms` };
  if (!Number.isInteger(Math.round(ms * 1e6) / 1e6)) {
    return { message: `"${value}" is not a whole number of milliseconds` };
  }
  return undefined;
}
