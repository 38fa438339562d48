// One word per connected proxy from its per-type sync rows, as `heddle proxy-status` would sum it up:
// NACKED over STALE over SYNCED; a proxy that was sent nothing yet is NOT SENT.
import type { ProxyStatus, SyncStatus } from '../status/proxy-status.ts';

export function overallSync(status: Pick<ProxyStatus, 'types'>): SyncStatus {
  const sent = status.types.filter((type) => type.status !== 'NOT SENT');
  if (sent.some((type) => type.status === 'NACKED')) return 'NACKED';
  if (sent.some((type) => type.status === 'STALE')) return 'STALE';
  return sent.length > 0 ? 'SYNCED' : 'NOT SENT';
}
