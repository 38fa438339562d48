// What a load run found, as text (Fortio's shape: rate achieved, codes, latency distribution) or JSON.
import type { LoadResult } from './run-load.ts';

export type LoadReportFormat = 'text' | 'json';

const ms = (micros: number): string => (micros / 1000).toFixed(3);
const percent = (part: number, whole: number): string =>
  whole === 0 ? '0.00' : ((part / whole) * 100).toFixed(2);

export function renderLoadReport(result: LoadResult, format: LoadReportFormat): string {
  if (format === 'json') return `${JSON.stringify(result, null, 2)}\n`;
  const { request } = result;
  const lines: string[] = [];
  const target = request.qps === 0 ? 'max qps' : `${request.qps} qps target`;
  lines.push(
    `Load on ${request.url}: ${target}, ${request.connections} connection${request.connections === 1 ? '' : 's'}, ` +
      (request.count !== undefined
        ? `${request.count} requests`
        : `${(request.durationMs / 1000).toFixed(1)} s`),
  );
  lines.push(
    `Sent ${result.requests} requests in ${(result.elapsedMs / 1000).toFixed(2)} s: ${result.actualQps.toFixed(2)} qps` +
      (request.qps === 0 ? '' : ` (target ${request.qps})`),
  );
  const width = Math.max(0, ...Object.keys(result.codes).map((code) => code.length));
  for (const [code, n] of Object.entries(result.codes).sort(([a], [b]) => Number(a) - Number(b)))
    lines.push(`Code ${code.padStart(width)} : ${n} (${percent(n, result.requests)} %)`);
  lines.push(
    `Errors ${' '.repeat(Math.max(0, width - 1))}: ${result.errors} (${percent(result.errors, result.requests)} %)`,
  );
  for (const [reason, n] of Object.entries(result.errorReasons).sort(([, a], [, b]) => b - a))
    lines.push(`  ${n} × ${reason}`);
  const l = result.latencyMicros;
  if (l.count > 0) {
    lines.push(
      `Latency (ms): min ${ms(l.min)}  mean ${ms(l.mean)}  max ${ms(l.max)}  stddev ${ms(l.stddev)}`,
      `Percentiles (ms): ${l.percentiles.map(({ percentile, value }) => `p${percentile} ${ms(value)}`).join('  ')}`,
    );
  }
  if (result.behindScheduleMs > 0)
    lines.push(
      `The target rate was not reached: sending fell ${(result.behindScheduleMs / 1000).toFixed(2)} s behind ` +
        'schedule (more connections, or a faster target, would help).',
    );
  return `${lines.join('\n')}\n`;
}
