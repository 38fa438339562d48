// One load run, as Fortio does it: `connections` workers share a keep-alive pool; at a target rate each worker
// sends on its own schedule (worker i at start + (i + k·connections)/qps), never faster, and right away when it
// has fallen behind; at rate 0 each sends its next request as soon as the last answer arrived. Latency is
// measured per request from sending to the end of the body, into an HDR histogram (µs, 3 significant digits).
// The run stops at the duration or the request count, whichever comes first, and waits for the answers.
import { build } from 'hdr-histogram-js';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import type { LoadRequest } from './load-request.ts';

export const REPORTED_PERCENTILES = [50, 75, 90, 95, 99, 99.9] as const;

export interface LatencySummary {
  readonly count: number;
  readonly min: number;
  readonly mean: number;
  readonly max: number;
  readonly stddev: number;
  readonly percentiles: readonly { readonly percentile: number; readonly value: number }[];
}

export interface LoadResult {
  readonly request: {
    readonly url: string;
    readonly method: string;
    readonly connections: number;
    readonly qps: number;
    readonly durationMs: number;
    readonly count?: number;
  };
  /** Requests sent (answered or failed). */
  readonly requests: number;
  readonly elapsedMs: number;
  readonly actualQps: number;
  /** Answers by status code. */
  readonly codes: Readonly<Record<string, number>>;
  /** Requests that got no answer (connect failure, reset, timeout). */
  readonly errors: number;
  readonly errorReasons: Readonly<Record<string, number>>;
  /** Latency of the answered requests, in microseconds. */
  readonly latencyMicros: LatencySummary;
  /** How far the last request was sent after its scheduled time (0 when the rate held). */
  readonly behindScheduleMs: number;
}

export interface LoadProgress {
  readonly requests: number;
  readonly elapsedMs: number;
}

export interface LoadOptions {
  /** Called about ten times a second while the run lasts. */
  readonly onProgress?: (progress: LoadProgress) => void;
  /** Stops the run early (Ctrl-C); what was measured so far is reported. */
  readonly signal?: AbortSignal;
}

/** Fortio-style names for what went wrong. */
function errorReason(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return 'timeout';
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return 'connect timeout';
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'connection reset';
  if (
    code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' ||
    code === 'SELF_SIGNED_CERT_IN_CHAIN' ||
    code === 'DEPTH_ZERO_SELF_SIGNED_CERT'
  )
    return 'certificate not trusted (give its CA with --cacert, or -k)';
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return 'certificate names another host (set --sni)';
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.message : String(error);
}

export async function runLoad(request: LoadRequest, options: LoadOptions = {}): Promise<LoadResult> {
  const histogram = build({
    useWebAssembly: false,
    lowestDiscernibleValue: 1,
    numberOfSignificantValueDigits: 3,
  });
  const pool = new Pool(request.url.origin, {
    connections: request.connections,
    pipelining: 1,
    headersTimeout: request.timeoutMs,
    bodyTimeout: request.timeoutMs,
    connect: {
      timeout: request.timeoutMs,
      ...(request.insecure ? { rejectUnauthorized: false } : {}),
      ...(request.serverName !== undefined ? { servername: request.serverName } : {}),
      ...(request.caCertificates !== undefined ? { ca: request.caCertificates } : {}),
    },
  });
  const codes = new Map<number, number>();
  const errorReasons = new Map<string, number>();
  let sent = 0;
  let errors = 0;
  let behindMs = 0;
  const path = `${request.url.pathname}${request.url.search}`;
  const started = performance.now();
  const deadline = started + request.durationMs;
  const limit = request.count ?? Number.POSITIVE_INFINITY;
  const stopped = (): boolean => options.signal?.aborted === true;

  const one = async (): Promise<void> => {
    const sentAt = performance.now();
    try {
      const response = await pool.request({
        path,
        method: request.method,
        headers: request.headers as Record<string, string | string[]>,
        ...(request.body !== undefined ? { body: request.body } : {}),
      });
      await response.body.dump({ limit: Number.POSITIVE_INFINITY });
      histogram.recordValue(Math.max(1, Math.round((performance.now() - sentAt) * 1000)));
      codes.set(response.statusCode, (codes.get(response.statusCode) ?? 0) + 1);
    } catch (error) {
      errors++;
      const reason = errorReason(error);
      errorReasons.set(reason, (errorReasons.get(reason) ?? 0) + 1);
    }
  };

  const worker = async (index: number): Promise<void> => {
    for (let k = 0; ; k++) {
      if (stopped() || sent >= limit) return;
      if (request.qps > 0) {
        const due = started + ((index + k * request.connections) / request.qps) * 1000;
        if (due >= deadline) return;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
        else behindMs = Math.max(behindMs, -wait);
      }
      if (performance.now() >= deadline || stopped() || sent >= limit) return;
      sent++;
      await one();
    }
  };

  const progress = options.onProgress
    ? setInterval(() => options.onProgress?.({ requests: sent, elapsedMs: performance.now() - started }), 100)
    : undefined;
  try {
    await Promise.all(Array.from({ length: request.connections }, (_, index) => worker(index)));
  } finally {
    if (progress) clearInterval(progress);
    await pool.close().catch(() => pool.destroy());
  }
  const elapsedMs = performance.now() - started;
  const answered = histogram.totalCount;
  const latencyMicros: LatencySummary = {
    count: answered,
    min: answered > 0 ? histogram.minNonZeroValue : 0,
    mean: answered > 0 ? histogram.mean : 0,
    max: answered > 0 ? histogram.maxValue : 0,
    stddev: answered > 0 ? histogram.stdDeviation : 0,
    percentiles: REPORTED_PERCENTILES.map((percentile) => ({
      percentile,
      value: answered > 0 ? histogram.getValueAtPercentile(percentile) : 0,
    })),
  };
  histogram.destroy();
  return {
    request: {
      url: request.url.href,
      method: request.method,
      connections: request.connections,
      qps: request.qps,
      durationMs: request.durationMs,
      ...(request.count !== undefined ? { count: request.count } : {}),
    },
    requests: sent,
    elapsedMs,
    actualQps: elapsedMs > 0 ? (sent / elapsedMs) * 1000 : 0,
    codes: Object.fromEntries([...codes].map(([code, n]) => [String(code), n])),
    errors,
    errorReasons: Object.fromEntries(errorReasons),
    latencyMicros,
    // Lateness below a scheduling tick is noise, not a missed rate.
    behindScheduleMs: behindMs > 50 ? behindMs : 0,
  };
}
