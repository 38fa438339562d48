// %START_TIME% and its strftime-like sub-formats (`%START_TIME(%Y-%m-%dT%H:%M:%S.%3fZ)%`), compiled once into
// a list of field writers. Times are UTC, as Envoy writes them.

type Field = (date: Date, epochMs: number) => string;

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Fractional seconds with `digits` digits; the clock has millisecond resolution, so deeper digits are 0. */
const fraction =
  (digits: number): Field =>
  (date) =>
    pad(date.getUTCMilliseconds(), 3).padEnd(9, '0').slice(0, digits);

const dayOfYear = (date: Date): number =>
  Math.floor((date.getTime() - Date.UTC(date.getUTCFullYear(), 0, 1)) / 86_400_000) + 1;

const SPECIFIERS: Readonly<Record<string, Field>> = {
  Y: (d) => String(d.getUTCFullYear()),
  y: (d) => pad(d.getUTCFullYear() % 100),
  m: (d) => pad(d.getUTCMonth() + 1),
  d: (d) => pad(d.getUTCDate()),
  e: (d) => String(d.getUTCDate()).padStart(2, ' '),
  H: (d) => pad(d.getUTCHours()),
  I: (d) => pad(d.getUTCHours() % 12 || 12),
  p: (d) => (d.getUTCHours() < 12 ? 'AM' : 'PM'),
  M: (d) => pad(d.getUTCMinutes()),
  S: (d) => pad(d.getUTCSeconds()),
  j: (d) => pad(dayOfYear(d), 3),
  a: (d) => DAYS[d.getUTCDay()] ?? '',
  A: (d) =>
    ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'][d.getUTCDay()] ?? '',
  b: (d) => MONTHS[d.getUTCMonth()] ?? '',
  h: (d) => MONTHS[d.getUTCMonth()] ?? '',
  F: (d) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`,
  T: (d) => `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`,
  D: (d) => `${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${pad(d.getUTCFullYear() % 100)}`,
  s: (_d, ms) => String(Math.floor(ms / 1000)),
  z: () => '+0000',
  Z: () => 'UTC',
  f: fraction(9),
  '%': () => '%',
  n: () => '\n',
  t: () => '\t',
};

/** Envoy's default START_TIME rendering: ISO 8601 in UTC with milliseconds. */
export const DEFAULT_START_TIME_FORMAT = '%Y-%m-%dT%H:%M:%E3SZ';

export type StartTimeFormatter = (epochMs: number) => string;

export function compileStartTime(format: string): StartTimeFormatter | { readonly error: string } {
  const fields: (string | Field)[] = [];
  let i = 0;
  while (i < format.length) {
    const char = format[i] ?? '';
    if (char !== '%') {
      fields.push(char);
      i++;
      continue;
    }
    const rest = format.slice(i + 1);
    // %E<n>S: seconds with n fractional digits; %<n>f: n fractional digits.
    const extended = /^E(\d)S/.exec(rest) ?? /^(\d)f/.exec(rest);
    if (extended) {
      const digits = Number(extended[1]);
      const frac = fraction(digits);
      fields.push(
        extended[0].startsWith('E')
          ? (d, ms) => `${pad(d.getUTCSeconds())}${digits > 0 ? `.${frac(d, ms)}` : ''}`
          : frac,
      );
      i += 1 + extended[0].length;
      continue;
    }
    const spec = SPECIFIERS[rest[0] ?? ''];
    if (!spec) return { error: `START_TIME format "${format}": unknown specifier "%${rest[0] ?? ''}"` };
    fields.push(spec);
    i += 2;
  }
  return (epochMs) => {
    const date = new Date(epochMs);
    let out = '';
    for (const field of fields) out += typeof field === 'string' ? field : field(date, epochMs);
    return out;
  };
}
