// A proxy's xDS sync state as a coloured word, istioctl's vocabulary.
import type { SyncStatus } from '../../client/index.ts';

const TONE: Readonly<Record<SyncStatus, string>> = {
  SYNCED: 'good',
  STALE: 'warn',
  NACKED: 'bad',
  'NOT SENT': 'muted',
};

export function SyncBadge({ status, title }: { status: SyncStatus | ''; title?: string | undefined }) {
  if (status === '') return <span class="badge muted">—</span>;
  return (
    <span class={`badge ${TONE[status]}`} title={title}>
      {status}
    </span>
  );
}
