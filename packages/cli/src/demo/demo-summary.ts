// The demo's result: what the traffic showed (counts, latency, the canary split, the injected delay, denials)
// and the edge checks, each must-show behaviour as one boolean in `checks`, and where to look next.
import type { ProxyRow } from './proxy-sync.ts';
import { checkSplit, percentile, type SplitCheck } from './sample-stats.ts';
import type { HttpsCheck, PlaintextCheck, RedirectCheck, TraceCheck } from './traffic/edge-checks.ts';
import type { Sample, TrafficResult } from './traffic/drive-traffic.ts';
import { EXPECTED_STATUS, type RequestKind } from './traffic/request-mix.ts';

/** The product VirtualService's weight for v2, and its delay for the test user. */
export const CANARY_V2_SHARE = 0.1;
export const INJECTED_DELAY_MS = 5_000;
/** Timers fire at or after their time; a little slack covers clocks measured in different processes. */
const DELAY_SLACK_MS = 50;

export interface DemoChecks {
  readonly proxiesSynced: boolean;
  readonly canaryWithinTolerance: boolean;
  readonly testUserDelayed: boolean;
  readonly unauthorizedDenied: boolean;
  readonly jwtEnforced: boolean;
  readonly plaintextRefused: boolean;
  readonly httpsWithDemoCertificate: boolean;
  readonly httpRedirected: boolean;
}

export interface DemoSummary {
  readonly passed: boolean;
  readonly checks: DemoChecks;
  readonly dataDir: string;
  readonly durationSeconds: number;
  readonly rps: number;
  readonly requests: {
    readonly total: number;
    /** Requests of the ordinary kinds answered otherwise than expected (5xx, no answer …). */
    readonly errors: number;
    readonly errorRate: number;
    readonly skipped: number;
    readonly byKind: Readonly<
      Record<string, { readonly sent: number; readonly statuses: Record<string, number> }>
    >;
  };
  readonly latencyMs: { readonly p50?: number; readonly p99?: number; readonly samples: number };
  readonly canary: SplitCheck & { readonly v1: number; readonly v2: number };
  readonly testUser: {
    readonly requests: number;
    readonly delayed: number;
    readonly injectedDelayMs: number;
    readonly minMs?: number;
    readonly p50Ms?: number;
    readonly maxMs?: number;
  };
  readonly unauthorized: { readonly sent: number; readonly denied: number };
  readonly jwt: {
    readonly validSent: number;
    readonly validAccepted: number;
    readonly forgedSent: number;
    readonly forgedRejected: number;
  };
  readonly plaintext: PlaintextCheck;
  readonly https: HttpsCheck;
  readonly httpRedirect: RedirectCheck;
  readonly proxies: {
    readonly expected: number;
    readonly synced: number;
    readonly allSynced: boolean;
    readonly rows: readonly ProxyRow[];
  };
  readonly trace: TraceCheck;
  readonly metrics: {
    readonly gatewayIstioRequestsTotal?: number;
    readonly urls: Readonly<Record<string, string>>;
  };
  readonly where: Where;
  /** True when the mesh was left running (--keep). */
  readonly kept: boolean;
}

export interface Where {
  readonly controlPlane: string;
  readonly gatewayHttps: string;
  readonly gatewayHttp: string;
  readonly caCertificate: string;
  readonly logs: string;
  readonly traces: string;
  /** The web dashboard the control plane serves. */
  readonly dashboard?: string;
  readonly commands: readonly string[];
}

/** Kinds whose answers count towards the error rate and latency: the shop's ordinary requests. */
const ORDINARY: readonly RequestKind[] = ['storefront', 'product', 'checkout', 'orders-api'];

export interface SummaryInput {
  readonly dataDir: string;
  readonly rps: number;
  readonly traffic: TrafficResult;
  readonly https: HttpsCheck;
  readonly redirect: RedirectCheck;
  readonly plaintext: PlaintextCheck;
  readonly proxies: readonly ProxyRow[];
  readonly trace: TraceCheck;
  readonly gatewayIstioRequestsTotal?: number;
  readonly metricsUrls: Readonly<Record<string, string>>;
  readonly where: Where;
  readonly kept: boolean;
}

export function summarize(input: SummaryInput): DemoSummary {
  const { samples } = input.traffic;
  const of = (kind: RequestKind): Sample[] => samples.filter((s) => s.kind === kind);
  const ordinary = samples.filter((s) => ORDINARY.includes(s.kind));
  const errors = ordinary.filter((s) => s.status !== EXPECTED_STATUS[s.kind]).length;
  const latencies = ordinary.map((s) => s.ms);

  const page = of('storefront').filter((s) => s.status === 200);
  const v1 = page.filter((s) => s.productVersion === 'v1').length;
  const v2 = page.filter((s) => s.productVersion === 'v2').length;
  const canary = { ...checkSplit(v2, v1 + v2, CANARY_V2_SHARE), v1, v2 };

  const testUser = of('test-user');
  const testMs = testUser.map((s) => s.ms);
  const delayed = testUser.filter(
    (s) => s.status === 200 && s.ms >= INJECTED_DELAY_MS - DELAY_SLACK_MS,
  ).length;
  const p50 = percentile(latencies, 50);

  const unauthorized = of('unauthorized');
  const denied = unauthorized.filter((s) => s.status === 403).length;
  const forged = of('forged-token');
  const forgedRejected = forged.filter((s) => s.status === 401).length;
  const valid = of('storefront');
  const validAccepted = valid.filter((s) => s.status === 200).length;
  const synced = input.proxies.filter((row) => row.status === 'SYNCED').length;

  const checks: DemoChecks = {
    proxiesSynced: input.proxies.length > 0 && synced === input.proxies.length,
    canaryWithinTolerance: canary.total > 0 && canary.withinTolerance,
    // Every test-user page is late by the injected delay, while ordinary pages are not.
    testUserDelayed: testUser.length > 0 && delayed === testUser.length && (p50 ?? 0) < INJECTED_DELAY_MS / 2,
    unauthorizedDenied: unauthorized.length > 0 && denied === unauthorized.length,
    jwtEnforced: forged.length > 0 && forgedRejected === forged.length && validAccepted > 0,
    plaintextRefused: input.plaintext.attempts > 0 && input.plaintext.refused === input.plaintext.attempts,
    httpsWithDemoCertificate: input.https.ok,
    httpRedirected: input.redirect.ok,
  };
  return {
    passed: Object.values(checks).every(Boolean),
    checks,
    dataDir: input.dataDir,
    durationSeconds: round(input.traffic.sendingMs / 1000, 1),
    rps: input.rps,
    requests: {
      total: samples.length,
      errors,
      errorRate: ordinary.length === 0 ? 0 : round(errors / ordinary.length, 4),
      skipped: input.traffic.skipped,
      byKind: byKind(samples),
    },
    latencyMs: {
      ...optional('p50', p50),
      ...optional('p99', percentile(latencies, 99)),
      samples: latencies.length,
    },
    canary: { ...canary, share: round(canary.share, 4), tolerance: round(canary.tolerance, 4) },
    testUser: {
      requests: testUser.length,
      delayed,
      injectedDelayMs: INJECTED_DELAY_MS,
      ...optional('minMs', percentile(testMs, 0)),
      ...optional('p50Ms', percentile(testMs, 50)),
      ...optional('maxMs', percentile(testMs, 100)),
    },
    unauthorized: { sent: unauthorized.length, denied },
    jwt: { validSent: valid.length, validAccepted, forgedSent: forged.length, forgedRejected },
    plaintext: input.plaintext,
    https: input.https,
    httpRedirect: input.redirect,
    proxies: { expected: input.proxies.length, synced, allSynced: checks.proxiesSynced, rows: input.proxies },
    trace: input.trace,
    metrics: {
      ...optional('gatewayIstioRequestsTotal', input.gatewayIstioRequestsTotal),
      urls: input.metricsUrls,
    },
    where: input.where,
    kept: input.kept,
  };
}

function byKind(
  samples: readonly Sample[],
): Record<string, { sent: number; statuses: Record<string, number> }> {
  const kinds: Record<string, { sent: number; statuses: Record<string, number> }> = {};
  for (const sample of samples) {
    const entry = (kinds[sample.kind] ??= { sent: 0, statuses: {} });
    entry.sent++;
    const key = sample.status === 0 ? 'no answer' : String(sample.status);
    entry.statuses[key] = (entry.statuses[key] ?? 0) + 1;
  }
  return kinds;
}

function optional<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return value === undefined ? {} : ({ [key]: Math.round(value) } as Record<K, number>);
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
