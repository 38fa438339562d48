// What one proxy was sent and what it answered, per xDS type: the record proxy-status and config_dump read.
import type { XdsResource } from '../xds/proxy-resources.ts';

export interface RejectRecord {
  /** The version the proxy refused. */
  readonly version: string;
  readonly nonce: string;
  /** google.rpc.Status code and message from the request's error_detail. */
  readonly code: number;
  readonly message: string;
  readonly at: number;
}

export interface TypeSync {
  sentVersion?: string;
  sentNonce?: string;
  sentAt?: number;
  /** What the proxy holds if it accepted the last response (SotW: the response; Delta: its whole state). */
  sentResources: readonly XdsResource[];
  ackedVersion?: string;
  ackedNonce?: string;
  ackedAt?: number;
  /** The last NACK; kept after later ACKs so an operator can still see what went wrong. */
  lastReject?: RejectRecord;
  rejects: number;
}

export class SyncState {
  readonly #types = new Map<string, TypeSync>();

  get(typeUrl: string): TypeSync | undefined {
    return this.#types.get(typeUrl);
  }

  entries(): [string, TypeSync][] {
    return [...this.#types.entries()];
  }

  sent(typeUrl: string, version: string, nonce: string, at: number, resources: readonly XdsResource[]): void {
    const sync = this.#ensure(typeUrl);
    sync.sentVersion = version;
    sync.sentNonce = nonce;
    sync.sentAt = at;
    sync.sentResources = resources;
  }

  acked(typeUrl: string, nonce: string, version: string, at: number): void {
    const sync = this.#ensure(typeUrl);
    sync.ackedVersion = version;
    sync.ackedNonce = nonce;
    sync.ackedAt = at;
  }

  rejected(typeUrl: string, record: RejectRecord): void {
    const sync = this.#ensure(typeUrl);
    sync.lastReject = record;
    sync.rejects += 1;
  }

  #ensure(typeUrl: string): TypeSync {
    let sync = this.#types.get(typeUrl);
    if (!sync) {
      sync = { sentResources: [], rejects: 0 };
      this.#types.set(typeUrl, sync);
    }
    return sync;
  }
}
