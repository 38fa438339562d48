// The demo's summary as people read it: one line per behaviour with a mark, then where to look next.
import type { DemoSummary } from './demo-summary.ts';

const seconds = (ms: number | undefined): string => (ms === undefined ? '-' : `${(ms / 1000).toFixed(2)} s`);
const percent = (share: number): string => `${(share * 100).toFixed(1)}%`;

export function renderSummary(summary: DemoSummary): string {
  const mark = (ok: boolean): string => (ok ? '✔' : '✘');
  const { checks, requests, canary, testUser, jwt, plaintext, https, httpRedirect, proxies, trace } = summary;
  const line = (ok: boolean | undefined, label: string, text: string): string =>
    `  ${ok === undefined ? ' ' : mark(ok)} ${label.padEnd(22)}${text}`;
  const cert = https.certificate;
  const lines = [
    '',
    `Heddle demo: ${summary.durationSeconds} s of traffic at ${summary.rps} requests/s through ${summary.where.gatewayHttps}`,
    '',
    line(
      undefined,
      'requests',
      `${requests.total} sent, ${requests.errors} errors (${percent(requests.errorRate)}); ` +
        `p50 ${summary.latencyMs.p50 ?? '-'} ms, p99 ${summary.latencyMs.p99 ?? '-'} ms`,
    ),
    line(
      checks.canaryWithinTolerance,
      'canary split',
      `product v1 ${canary.v1}, v2 ${canary.v2}: ${percent(canary.share)} on v2 ` +
        `(90/10 expects ${percent(canary.expectedShare)} ± ${percent(canary.tolerance)} at this count)`,
    ),
    line(
      checks.testUserDelayed,
      'fault injection',
      `${testUser.delayed}/${testUser.requests} test-user pages delayed by the injected 5 s ` +
        `(min ${seconds(testUser.minMs)}, others p50 ${summary.latencyMs.p50 ?? '-'} ms)`,
    ),
    line(
      checks.unauthorizedDenied,
      'authorization',
      `${summary.unauthorized.denied}/${summary.unauthorized.sent} calls from demo-client to order denied (403)`,
    ),
    line(
      checks.jwtEnforced,
      'JWT on frontend',
      `${jwt.forgedRejected}/${jwt.forgedSent} forged tokens refused (401); ${jwt.validAccepted}/${jwt.validSent} valid ones served`,
    ),
    line(
      checks.plaintextRefused,
      'mTLS STRICT',
      `plaintext refused on ${plaintext.refused}/${plaintext.attempts} mesh ports (${plaintext.ports.map((p) => p.workload).join(', ')})`,
    ),
    line(
      checks.httpsWithDemoCertificate,
      'HTTPS',
      cert
        ? `${cert.subject} issued by ${cert.issuer}, verified with ${summary.where.caCertificate}`
        : `failed: ${https.error ?? `status ${https.status}`}`,
    ),
    line(
      checks.httpRedirected,
      'HTTP → HTTPS',
      `${httpRedirect.status} ${httpRedirect.location ?? '(no location)'}`,
    ),
    line(
      checks.proxiesSynced,
      'proxies',
      `${proxies.synced}/${proxies.expected} SYNCED` +
        (proxies.allSynced
          ? ''
          : `: ${proxies.rows
              .filter((row) => row.status !== 'SYNCED')
              .map((row) => `${row.name} ${row.status}`)
              .join(', ')}`),
    ),
    line(
      undefined,
      'tracing',
      `trace ${trace.traceId}: ${trace.spans} spans from ${trace.services.length} services`,
    ),
    line(
      undefined,
      'metrics',
      `istio_requests_total on the gateway: ${summary.metrics.gatewayIstioRequestsTotal ?? 'unavailable'}`,
    ),
    '',
    summary.passed
      ? 'Every check passed.'
      : 'Some checks failed (✘ above); the logs are in ' + summary.where.logs,
    '',
    'Where to look:',
    ...(summary.where.dashboard !== undefined ? [`  dashboard      ${summary.where.dashboard}`] : []),
    ...summary.where.commands.map((command) => `  ${command}`),
    `  traces         ${summary.where.traces}`,
    `  metrics        ${summary.metrics.urls['istio-ingressgateway.istio-system'] ?? '-'} (gateway; each sidecar has its own)`,
    `  logs           ${summary.where.logs}`,
    '',
  ];
  return lines.join('\n');
}
