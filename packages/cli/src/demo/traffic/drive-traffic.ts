// Drives the demo's traffic for a bounded time at a fixed rate (open loop: a slow answer does not slow the
// schedule, up to a cap on requests in flight), and records one sample per request.
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TokenSigner } from '../demo-issuer.ts';
import { requestsAt, type RequestKind } from './request-mix.ts';
import { viaSidecar, type Reply, type ShopClient } from './shop-client.ts';

export interface Sample {
  readonly kind: RequestKind;
  readonly status: number;
  readonly ms: number;
  /** The product version the storefront page came from (the canary split), when it says. */
  readonly productVersion?: string;
  readonly error?: string;
}

export interface TrafficPlan {
  readonly shop: ShopClient;
  readonly signer: TokenSigner;
  /** The mesh client's sidecar proxy port. */
  readonly clientOutboundPort: number;
  readonly orderHost: string;
  readonly rps: number;
  readonly durationMs: number;
  readonly signal: AbortSignal;
}

export interface TrafficResult {
  readonly samples: Sample[];
  /** Ticks skipped because too many requests were in flight. */
  readonly skipped: number;
  /** The trace id the first storefront request started, to look up in the collector. */
  readonly traceId: string;
  /** How long requests were sent for. */
  readonly sendingMs: number;
  /** From the first request to the last answer (late answers included). */
  readonly elapsedMs: number;
}

const MAX_IN_FLIGHT = 256;

export async function driveTraffic(plan: TrafficPlan): Promise<TrafficResult> {
  const token = await plan.signer.sign('customer-42', 'Ada Customer');
  const forged = await plan.signer.forge('customer-42');
  const traceId = randomBytes(16).toString('hex');
  const samples: Sample[] = [];
  const inFlight = new Set<Promise<void>>();
  let skipped = 0;
  let tracedOne = false;

  const send = (kind: RequestKind): void => {
    const headers: Record<string, string> = {};
    if (kind === 'storefront' && !tracedOne) {
      tracedOne = true;
      headers.traceparent = `00-${traceId}-${randomBytes(8).toString('hex')}-01`;
    }
    const task = request(plan, kind, kind === 'forged-token' ? forged : token, headers).then((reply) => {
      samples.push(sample(kind, reply));
    });
    inFlight.add(task);
    void task.finally(() => inFlight.delete(task));
  };

  const interval = 1000 / plan.rps;
  const started = performance.now();
  for (let tick = 0; !plan.signal.aborted; tick++) {
    const due = tick * interval;
    if (due >= plan.durationMs) break;
    const wait = due - (performance.now() - started);
    if (wait > 0) await sleep(wait, undefined, { signal: plan.signal }).catch(() => undefined);
    if (plan.signal.aborted) break;
    for (const kind of requestsAt(tick)) {
      if (inFlight.size >= MAX_IN_FLIGHT) skipped++;
      else send(kind);
    }
  }
  const sendingMs = performance.now() - started;
  // Answers still on their way (the test user's are 5 s late) are waited for; each has its own timeout.
  await Promise.all(inFlight);
  return { samples, skipped, traceId, sendingMs, elapsedMs: performance.now() - started };
}

function request(
  plan: TrafficPlan,
  kind: RequestKind,
  token: string,
  extra: Record<string, string>,
): Promise<Reply> {
  const signedIn = { authorization: `Bearer ${token}`, ...extra };
  const json = { 'content-type': 'application/json' };
  switch (kind) {
    case 'storefront':
    case 'forged-token':
      return plan.shop.https({ path: '/', headers: signedIn });
    case 'test-user':
      return plan.shop.https({ path: '/', headers: { ...signedIn, 'end-user': 'test-user' } });
    case 'product':
      return plan.shop.https({ path: `/api/products/${1 + Math.floor(Math.random() * 5)}` });
    case 'checkout':
      return plan.shop.https({
        method: 'POST',
        path: '/checkout',
        headers: { ...signedIn, ...json },
        body: JSON.stringify({ productId: '2' }),
      });
    case 'orders-api':
      return plan.shop.https({ path: '/api/orders' });
    case 'unauthorized':
      return viaSidecar(plan.clientOutboundPort, plan.orderHost, { path: '/api/orders' });
  }
}

function sample(kind: RequestKind, reply: Reply): Sample {
  const productVersion = kind === 'storefront' || kind === 'test-user' ? versionOf(reply.body) : undefined;
  return {
    kind,
    status: reply.status,
    ms: reply.ms,
    ...(productVersion !== undefined ? { productVersion } : {}),
    ...(reply.error !== undefined ? { error: reply.error } : {}),
  };
}

function versionOf(body: string): string | undefined {
  try {
    const version = (JSON.parse(body) as { productVersion?: unknown }).productVersion;
    return typeof version === 'string' ? version : undefined;
  } catch {
    return undefined;
  }
}
