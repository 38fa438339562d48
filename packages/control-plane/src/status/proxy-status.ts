// Per proxy and xDS type, whether the proxy holds what was last sent: the rows `heddle proxy-status` prints.
import type { TypeSync } from '../push/sync-state.ts';
import { XDS_TYPES } from '../xds/xds-types.ts';
import type { ProxyConnection } from '../xds/xds-stream.ts';

/** istioctl's words: SYNCED (ACKed what was sent), STALE (sent, no answer yet), NOT SENT, NACKED (refused). */
export type SyncStatus = 'SYNCED' | 'STALE' | 'NOT SENT' | 'NACKED';

export interface TypeStatus {
  /** `CDS`, `EDS`, `LDS`, `RDS`, `SDS`. */
  readonly type: string;
  readonly typeUrl: string;
  readonly status: SyncStatus;
  readonly sentVersion?: string;
  readonly sentNonce?: string;
  /** RFC 3339. */
  readonly sentAt?: string;
  readonly ackedVersion?: string;
  readonly ackedAt?: string;
  /** Resources in the last response (SotW) or held by the proxy (Delta). */
  readonly resources: number;
  /** How many responses of this type the proxy refused on this stream. */
  readonly rejects: number;
  /** The last refusal, kept after later ACKs. */
  readonly lastError?: {
    readonly version: string;
    readonly code: number;
    readonly message: string;
    readonly at: string;
  };
}

export interface ProxyStatus {
  /** The xDS node id. */
  readonly proxy: string;
  readonly connectionId: string;
  readonly role: string;
  readonly namespace: string;
  readonly workload: string;
  readonly version?: string;
  /** `sotw` or `delta`. */
  readonly stream: string;
  readonly connectedAt: string;
  /** The control-plane replica that serves this proxy. */
  readonly controlPlane: string;
  readonly types: readonly TypeStatus[];
}

export function proxyStatus(connection: ProxyConnection, controlPlane: string): ProxyStatus {
  const { node } = connection;
  return {
    proxy: node.id,
    connectionId: connection.connectionId,
    role: node.role,
    namespace: node.namespace,
    workload: node.workloadName,
    ...(node.version !== undefined ? { version: node.version } : {}),
    stream: connection.kind,
    connectedAt: iso(connection.connectedAt),
    controlPlane,
    types: XDS_TYPES.map((type) => typeStatus(type.label, type.typeUrl, connection.sync.get(type.typeUrl))),
  };
}

export function syncStatusOf(sync: TypeSync | undefined): SyncStatus {
  if (!sync?.sentNonce) return 'NOT SENT';
  if (sync.lastReject?.nonce === sync.sentNonce) return 'NACKED';
  return sync.ackedNonce === sync.sentNonce ? 'SYNCED' : 'STALE';
}

function typeStatus(label: string, typeUrl: string, sync: TypeSync | undefined): TypeStatus {
  const reject = sync?.lastReject;
  return {
    type: label,
    typeUrl,
    status: syncStatusOf(sync),
    ...(sync?.sentVersion !== undefined ? { sentVersion: sync.sentVersion } : {}),
    ...(sync?.sentNonce !== undefined ? { sentNonce: sync.sentNonce } : {}),
    ...(sync?.sentAt !== undefined ? { sentAt: iso(sync.sentAt) } : {}),
    ...(sync?.ackedVersion !== undefined ? { ackedVersion: sync.ackedVersion } : {}),
    ...(sync?.ackedAt !== undefined ? { ackedAt: iso(sync.ackedAt) } : {}),
    resources: sync?.sentResources.length ?? 0,
    rejects: sync?.rejects ?? 0,
    ...(reject
      ? {
          lastError: {
            version: reject.version,
            code: reject.code,
            message: reject.message,
            at: iso(reject.at),
          },
        }
      : {}),
  };
}

function iso(epochMs: number): string {
  return new Date(epochMs).toISOString();
}
