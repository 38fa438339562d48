// How numbers read on the dashboard: rates, percentages, latencies and ages, with a dash for "no data".

/** What a cell shows when there is nothing to show (no requests in the window, no sample yet). */
export const NO_DATA = '—';

/** Requests per second: two significant decimals below 10, one below 100, whole numbers above. */
export function formatRate(perSecond: number | null | undefined): string {
  if (perSecond === null || perSecond === undefined || !Number.isFinite(perSecond)) return NO_DATA;
  return `${roundForDisplay(perSecond)} rps`;
}

/** A 0..1 fraction as a percentage, e.g. 0.0512 → `5.1 %`; exact zero stays `0 %`. */
export function formatPercent(fraction: number | null | undefined): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return NO_DATA;
  if (fraction === 0) return '0 %';
  const percent = fraction * 100;
  return `${percent < 0.1 ? '<0.1' : roundForDisplay(percent)} %`;
}

/** Milliseconds; sub-millisecond latencies keep two decimals, seconds switch unit. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return NO_DATA;
  if (ms >= 1000) return `${roundForDisplay(ms / 1000)} s`;
  return `${roundForDisplay(ms)} ms`;
}

/** A Zipkin duration (microseconds) in the unit that reads best. */
export function formatMicros(micros: number | null | undefined): string {
  if (micros === null || micros === undefined || !Number.isFinite(micros)) return NO_DATA;
  if (micros < 1000) return `${Math.round(micros)} µs`;
  return formatMs(micros / 1000);
}

/** Bytes per second in B/s, KiB/s or MiB/s. */
export function formatBytesRate(perSecond: number | null | undefined): string {
  if (perSecond === null || perSecond === undefined || !Number.isFinite(perSecond)) return NO_DATA;
  if (perSecond < 1024) return `${roundForDisplay(perSecond)} B/s`;
  if (perSecond < 1024 * 1024) return `${roundForDisplay(perSecond / 1024)} KiB/s`;
  return `${roundForDisplay(perSecond / (1024 * 1024))} MiB/s`;
}

/** How long ago `iso` was, relative to `nowMs`: `12s`, `5m`, `3h`, `2d` (kubectl's AGE column). */
export function formatAge(iso: string | undefined, nowMs: number): string {
  if (!iso) return NO_DATA;
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return NO_DATA;
  const seconds = Math.max(0, Math.floor((nowMs - then) / 1000));
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 120) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h`;
  return `${Math.floor(hours / 24)}d`;
}

/** A window length as the selector names it: 60 → `1m`. */
export function formatWindow(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60}m` : `${seconds}s`;
}

function roundForDisplay(value: number): string {
  const abs = Math.abs(value);
  if (abs === 0) return '0';
  if (abs < 10) return trimZeros(value.toFixed(2));
  if (abs < 100) return trimZeros(value.toFixed(1));
  return String(Math.round(value));
}

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}
