// Whether every proxy of the demo holds the config last sent to it, as `heddle proxy-status` shows: one word
// per proxy, from the per-type rows of the control plane's /debug/syncz.
import { setTimeout as sleep } from 'node:timers/promises';
import type { ProxyStatus } from '../client/api-types.ts';
import type { ControlPlaneClient } from '../client/control-plane-client.ts';

export type ProxySync = 'SYNCED' | 'STALE' | 'NACKED' | 'NOT SENT' | 'NOT CONNECTED';

export interface ProxyRow {
  /** `workload.namespace`, as `heddle proxy-status` names it. */
  readonly name: string;
  readonly status: ProxySync;
}

/** NACKED over STALE over SYNCED; a proxy that was sent nothing yet is NOT SENT. */
export function proxySync(status: ProxyStatus): ProxySync {
  const sent = status.types.filter((type) => type.status !== 'NOT SENT');
  if (sent.some((type) => type.status === 'NACKED')) return 'NACKED';
  if (sent.some((type) => type.status === 'STALE')) return 'STALE';
  return sent.length > 0 ? 'SYNCED' : 'NOT SENT';
}

/** One row per expected proxy, in the order given; a proxy that is not connected says so. */
export function proxyRows(expected: readonly string[], statuses: readonly ProxyStatus[]): ProxyRow[] {
  const byName = new Map(statuses.map((status) => [`${status.workload}.${status.namespace}`, status]));
  return expected.map((name) => {
    const status = byName.get(name);
    return { name, status: status ? proxySync(status) : 'NOT CONNECTED' };
  });
}

/** Polls until every expected proxy is SYNCED; resolves with the last rows either way. */
export async function waitSynced(
  client: ControlPlaneClient,
  expected: readonly string[],
  timeoutMs: number,
  signal: AbortSignal,
): Promise<ProxyRow[]> {
  const deadline = Date.now() + timeoutMs;
  let rows = proxyRows(expected, []);
  while (!signal.aborted) {
    rows = proxyRows(expected, await client.proxyStatuses().catch(() => []));
    if (rows.every((row) => row.status === 'SYNCED') || Date.now() >= deadline) return rows;
    await sleep(250, undefined, { signal }).catch(() => undefined);
  }
  return rows;
}
