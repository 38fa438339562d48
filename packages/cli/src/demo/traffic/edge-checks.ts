// The one-off checks around the traffic: the gateway's certificate, the HTTP→HTTPS redirect, plaintext to a
// STRICT mTLS port, and what observability recorded (a trace across services, the gateway's istio_* metrics).
import { setTimeout as sleep } from 'node:timers/promises';
import { plaintextExchange, type ShopClient } from './shop-client.ts';

export interface HttpsCheck {
  readonly ok: boolean;
  readonly status: number;
  readonly certificate?: {
    readonly subject: string;
    readonly issuer: string;
    readonly subjectAltName: string;
    readonly validTo: string;
    readonly fingerprint256: string;
  };
  readonly error?: string;
}

/** A GET over HTTPS that trusts only the demo CA and checks the name shop.example.com. */
export async function checkHttps(shop: ShopClient, headers: Record<string, string>): Promise<HttpsCheck> {
  const reply = await shop.https({ path: '/', headers }, true);
  const cert = reply.certificate;
  const certificate =
    cert && cert.subject
      ? {
          subject: firstOf(cert.subject.CN),
          issuer: firstOf(cert.issuer.CN),
          subjectAltName: cert.subjectaltname ?? '',
          validTo: cert.valid_to,
          fingerprint256: cert.fingerprint256,
        }
      : undefined;
  return {
    ok: reply.status === 200 && certificate !== undefined,
    status: reply.status,
    ...(certificate ? { certificate } : {}),
    ...(reply.error !== undefined ? { error: reply.error } : {}),
  };
}

/** A certificate field may repeat; the first value is the one people mean. */
function firstOf(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

export interface RedirectCheck {
  readonly ok: boolean;
  readonly status: number;
  readonly location?: string;
}

/** Port 80 must answer 301 with the same URL over https (the Gateway's httpsRedirect). */
export async function checkRedirect(shop: ShopClient, hostname: string): Promise<RedirectCheck> {
  const path = '/api/products/1';
  const reply = await shop.http({ path });
  const location = typeof reply.headers.location === 'string' ? reply.headers.location : undefined;
  return {
    ok: reply.status === 301 && location === `https://${hostname}${path}`,
    status: reply.status,
    ...(location !== undefined ? { location } : {}),
  };
}

export interface PlaintextCheck {
  readonly attempts: number;
  readonly refused: number;
  readonly ports: readonly { readonly workload: string; readonly port: number; readonly refused: boolean }[];
}

/** A plaintext request to each workload's mesh port: STRICT mTLS must refuse every one. */
export async function checkPlaintext(
  targets: readonly { readonly workload: string; readonly port: number; readonly host: string }[],
): Promise<PlaintextCheck> {
  const ports = await Promise.all(
    targets.map(async ({ workload, port, host }) => {
      const answer = await plaintextExchange(port, host);
      return { workload, port, refused: !answer.startsWith('HTTP/') };
    }),
  );
  return { attempts: ports.length, refused: ports.filter((p) => p.refused).length, ports };
}

export interface TraceCheck {
  readonly traceId: string;
  readonly spans: number;
  /** The services that reported spans of the trace (`<workload>.<namespace>`, `ingress.istio-system` …). */
  readonly services: readonly string[];
  readonly url: string;
}

/** Looks the trace up in the control plane's collector; spans arrive a little after the answers. */
export async function fetchTrace(
  controlPlaneUrl: string,
  traceId: string,
  waitMs = 5_000,
): Promise<TraceCheck> {
  const url = `${controlPlaneUrl}/api/v2/trace/${traceId}`;
  const deadline = Date.now() + waitMs;
  let spans: { localEndpoint?: { serviceName?: string } }[] = [];
  for (;;) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      spans = response.status === 200 ? ((await response.json()) as typeof spans) : [];
    } catch {
      spans = [];
    }
    // Each hop adds its spans: keep polling while more may come.
    if (spans.length >= 10 || Date.now() >= deadline) break;
    await sleep(500);
  }
  const services = [
    ...new Set(spans.map((span) => span.localEndpoint?.serviceName ?? '').filter(Boolean)),
  ].sort();
  return { traceId, spans: spans.length, services, url };
}

/** The sum of `istio_requests_total` on a proxy's Prometheus endpoint; undefined when it cannot be read. */
export async function istioRequestsTotal(metricsUrl: string): Promise<number | undefined> {
  try {
    const response = await fetch(metricsUrl, { signal: AbortSignal.timeout(5_000) });
    if (response.status !== 200) return undefined;
    let total = 0;
    for (const line of (await response.text()).split('\n')) {
      if (!line.startsWith('istio_requests_total')) continue;
      const value = Number(line.slice(line.lastIndexOf(' ') + 1));
      if (Number.isFinite(value)) total += value;
    }
    return total;
  } catch {
    return undefined;
  }
}

/** Until the storefront answers 200 over HTTPS (certificate pushed, key set fetched, routes in place). */
export async function waitStorefront(
  shop: ShopClient,
  headers: Record<string, string>,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<{ ok: boolean; last: string }> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (!signal.aborted) {
    const reply = await shop.https({ path: '/', headers });
    if (reply.status === 200) return { ok: true, last: '200' };
    last = reply.error ?? `${reply.status} ${reply.body.slice(0, 200)}`;
    if (Date.now() >= deadline) break;
    await sleep(500, undefined, { signal }).catch(() => undefined);
  }
  return { ok: false, last };
}
