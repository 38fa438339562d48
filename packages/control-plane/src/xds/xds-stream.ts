// What the push machinery, proxy status and config_dump see of one connected proxy, whatever its protocol.
import type { status } from '@grpc/grpc-js';
import type { ProxyNode } from '@heddle/translate';
import type { SyncState } from '../push/sync-state.ts';
import type { ProxyResources } from './proxy-resources.ts';

export type StreamKind = 'sotw' | 'delta';

export interface ProxyConnection {
  /** Unique per stream (a proxy that reconnects gets a new one), like Istio's `<node id>-<n>`. */
  readonly connectionId: string;
  readonly node: ProxyNode;
  readonly kind: StreamKind;
  /** Epoch milliseconds. */
  readonly connectedAt: number;
  readonly sync: SyncState;
  /** Latest translation for this proxy; undefined until one succeeded. */
  readonly resources: ProxyResources | undefined;
}

export interface PushContext {
  /**
   * When the first change of this push happened (epoch ms), for pilot_proxy_convergence_time; absent for a
   * newly connected proxy's first translation, which answers a request rather than a change.
   */
  readonly changedAt?: number;
}

export interface XdsStream {
  readonly connection: ProxyConnection;
  /** True once the stream ended; pushes to it are ignored. */
  readonly closed: boolean;
  /** Takes a new translation and sends every subscribed type whose content changed; returns how many. */
  push(resources: ProxyResources, context: PushContext): number;
  /** Ends the stream with a gRPC status (UNAVAILABLE on shutdown, so that proxies reconnect elsewhere). */
  close(code: status, details: string): void;
}
