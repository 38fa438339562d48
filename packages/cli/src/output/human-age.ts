// kubectl's AGE column: how long ago a resource was created, in at most two units ("45s", "3m12s", "5d").

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const YEAR = 365 * DAY;

/** `created` is RFC 3339; an unreadable or missing time is shown as `<unknown>`, as kubectl does. */
export function humanAge(created: string | undefined, now: Date): string {
  const at = created === undefined ? NaN : Date.parse(created);
  if (Number.isNaN(at)) return '<unknown>';
  const seconds = Math.max(0, Math.floor((now.getTime() - at) / 1000));
  if (seconds < 2 * MINUTE) return `${seconds}s`;
  const minutes = Math.floor(seconds / MINUTE);
  if (seconds < 10 * MINUTE) return withRest(minutes, 'm', seconds % MINUTE, 's');
  if (seconds < 3 * HOUR) return `${minutes}m`;
  const hours = Math.floor(seconds / HOUR);
  if (seconds < 8 * HOUR) return withRest(hours, 'h', minutes % 60, 'm');
  if (seconds < 2 * DAY) return `${hours}h`;
  const days = Math.floor(seconds / DAY);
  if (seconds < 8 * DAY) return withRest(days, 'd', hours % 24, 'h');
  if (seconds < 2 * YEAR) return `${days}d`;
  return withRest(Math.floor(seconds / YEAR), 'y', days % 365, 'd');
}

function withRest(value: number, unit: string, rest: number, restUnit: string): string {
  return rest === 0 ? `${value}${unit}` : `${value}${unit}${rest}${restUnit}`;
}
